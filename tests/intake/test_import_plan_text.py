import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tasks.models import Plan, Section, Task

pytestmark = pytest.mark.django_db
DOCUMENT = settings.BASE_DIR / "fixtures" / "siping-2021-education-work-points.txt"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan_text", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_previews_and_warns_but_writes_nothing():
    out, err = run(str(DOCUMENT), "--year", "2031", "--dry-run")
    assert "7 sections, 35 tasks" in out
    assert "10. 完善教育督導體制机制" in out
    assert "導體 → 导体" in err and "and" in err and "2021" in err
    assert not Plan.objects.exists()


def test_import_creates_a_draft_plan_once(tmp_path):
    run(str(DOCUMENT), "--year", "2031", "--title", "测试计划")
    plan = Plan.objects.get(year=2031)
    assert plan.status == Plan.Status.DRAFT and plan.preamble.startswith("2021年全市教育工作的总体思路")
    assert Section.objects.filter(plan=plan).count() == 7 and Task.objects.filter(plan=plan).count() == 35
    with pytest.raises(CommandError, match="2031"):
        run(str(DOCUMENT), "--year", "2031")
    assert Task.objects.filter(plan=plan).count() == 35


def test_owner_notes_need_known_departments_unless_allowed(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text("一、党建\n1. 加强学习。内容。（牵头单位：宣传科；配合单位：机关党委）\n", encoding="utf-8")
    with pytest.raises(CommandError, match="宣传科、机关党委"):
        run(str(source), "--year", "2032")
    assert not Plan.objects.exists()
    run(str(source), "--year", "2032", "--create-departments")
    task = Task.objects.get()
    assert task.lead_department.name == "宣传科"
    assert [d.name for d in task.cooperating_departments.all()] == ["机关党委"]
