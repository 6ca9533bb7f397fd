"""The supervision office imports a task list: a bad row is refused, the file fixed; an unknown
unit is mapped to an existing one in the preview; an unreadable deadline is a warning; then confirmed."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from departments.models import Department
from tasks.models import Task

from .. import factories
from ..intake.test_sheet_import import GOOD_ROWS, ledger_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def upload(page, rows):
    page.get_by_label("年度").fill("2022")
    page.get_by_label("Excel 任务分解表（.xlsx）").set_input_files(
        [{"name": "2022年任务分解表.xlsx", "mimeType": "application/octet-stream", "buffer": ledger_file(rows).getvalue()}]
    )
    page.get_by_role("button", name="预览").click()


def test_upload_preview_fix_map_a_unit_and_confirm(page, live_server, transactional_db):
    for name in ["宣传科", "机关党委", "德育科", "基础教育科", "督导室", "教研室"]:
        factories.department(name)
    factories.leader(first_name="王建国")
    factories.supervisor(username="supervisor")
    bad = [row[:] for row in GOOD_ROWS]
    bad[1][0] = "二"

    page.goto(f"{live_server.url}/accounts/login/?next=/imports/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("从 Excel 导入任务")

    upload(page, bad)
    expect(page.get_by_role("alert")).to_contain_text("第4行，序号：“二”不是整数")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert not Task.objects.exists()

    page.get_by_role("link", name="重新上传").click()
    fixed = [row[:] for row in GOOD_ROWS]
    fixed[1][8] = "尽快"
    fixed[2][4] = "基础教育一科"
    upload(page, fixed)
    expect(page.locator("tr.import-row--new")).to_have_count(3)
    expect(page.locator(".unit-chip--unmatched").first).to_have_text("基础教育一科")
    expect(page.get_by_text("第4行，完成时限：")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "import-preview.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "import-preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("select[name=unit-0-action]").select_option("map")
    page.locator("select[name=unit-0-department]").select_option(label="基础教育科")
    page.get_by_role("button", name="按以上选择重新预览").click()
    expect(page.locator("tr.import-row--new")).to_have_count(3)
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成：新增 3 项，修改 0 项，无变化 0 项。")).to_be_visible()
    expect(page.locator("tr.task-row")).to_have_count(3)
    assert Task.objects.get(plan__year=2022, number=3).lead_department.name == "基础教育科"
    assert Task.objects.get(plan__year=2022, number=2).deadline_text == "尽快"
    assert not Department.objects.filter(name="基础教育一科").exists()
