"""Excel task-list import: preview, all-or-nothing, idempotence, round trip, commands and page."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from siping_edu.stored_files import UPLOAD_PREFIX, stored_names
from departments.models import Department
from tasks.intake.matching import CREATE
from tasks.intake.services import plan_export_dataset, task_sheet_import
from tasks.models import Plan, Section, Task

from .. import factories

pytestmark = pytest.mark.django_db
HEADER = ["序号", "板块", "工作任务", "具体内容", "牵头单位", "配合单位", "责任领导", "责任人", "完成时限"]


def ledger_file(rows, merges=(), title_rows=(("四平市教育局2022年重点工作任务分解表",),)):
    from .test_task_sheet import workbook_bytes

    return workbook_bytes([list(row) for row in title_rows] + [HEADER] + list(rows), merges)


GOOD_ROWS = [
    ["1", "一、党建工作", "加强学习教育", "准确领会，深入学习。", "宣传科", "机关党委、德育科", "王建国", "曹雪", "全年"],
    ["2", None, "夯实基层党组织", "落实质量建党要求。", "机关党委", "", "", "何芳", "6月底"],
    ["3", "二、教育改革", "深化大学区管理改革", "出台实施方案。", "基础教育科", "督导室/教研室", "", "", "持续推进"],
]


@pytest.fixture
def offices(db):
    for name in ["宣传科", "机关党委", "德育科", "基础教育科", "督导室", "教研室"]:
        factories.department(name)
    factories.leader(first_name="王建国")


def snapshot():
    return (Plan.objects.count(), Section.objects.count(), Task.objects.count(),
            Department.objects.count(), Task.history.count())


def test_preview_writes_nothing_and_import_writes_everything(offices):
    before = snapshot()
    preview = task_sheet_import(handle=ledger_file(GOOD_ROWS, merges=["B3:B4"]), plan_year=2022, actor=None)
    assert preview.ok and not preview.applied
    assert [(r.line, r.kind) for r in preview.rows] == [(3, "new"), (4, "new"), (5, "new")]
    assert snapshot() == before

    report = task_sheet_import(handle=ledger_file(GOOD_ROWS, merges=["B3:B4"]), plan_year=2022, actor=None, dry_run=False)
    assert report.applied
    plan = Plan.objects.get(year=2022)
    assert [(s.number, s.title) for s in plan.sections.all()] == [(1, "党建工作"), (2, "教育改革")]
    first, second, third = Task.objects.filter(plan=plan).order_by("number")
    assert second.section.number == 1, "the merged section cell covers row 2"
    assert first.content == "准确领会，深入学习。", "Chinese punctuation is kept"
    assert [d.name for d in first.cooperating_departments.order_by("name")] == sorted(["机关党委", "德育科"])
    assert first.responsible_leader.first_name == "王建国"
    assert (first.deadline, first.deadline_text) == (datetime.date(2022, 12, 31), "全年")
    assert (second.deadline, third.deadline) == (datetime.date(2022, 6, 30), None)
    assert get_perms(first.lead_department.group, first) == [], "a draft plan grants nothing until published"
    assert first.history.exists(), "imported rows are recorded in the history"


def test_importing_the_same_file_again_changes_nothing(offices):
    task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=None, dry_run=False)
    before = snapshot()
    again = task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=None, dry_run=False)
    assert {r.kind for r in again.rows} == {"unchanged"}
    assert snapshot() == before


def test_changed_rows_name_their_changed_columns(offices):
    task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=None, dry_run=False)
    changed = [row[:] for row in GOOD_ROWS]
    changed[0][8] = "2022年9月30日"
    changed[2][5] = "督导室"
    preview = task_sheet_import(handle=ledger_file(changed), plan_year=2022, actor=None)
    assert [(r.kind, r.changes) for r in preview.rows] == [
        ("changed", ["完成时限"]), ("unchanged", []), ("changed", ["配合单位"])]


def test_bulk_import_writes_history_snapshots_and_moves_grants(offices, supervisor_user):
    """Rows are written in bulk, without save signals: history, snapshots and grants still follow
    (in a published plan: a draft grants nothing)."""
    factories.PlanFactory(year=2022, published_at=timezone.now())
    task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=supervisor_user, dry_run=False)
    task = Task.objects.get(plan__year=2022, number=1)
    created = task.history.get()
    assert (created.history_type, created.history_user, created.version) == ("+", supervisor_user, 1)
    assert sorted(d.department.name for d in created.cooperating_departments.all()) == sorted(["机关党委", "德育科"])

    moved = [row[:] for row in GOOD_ROWS]
    moved[0][4], moved[0][5] = "基础教育科", "宣传科、教研室"
    report = task_sheet_import(handle=ledger_file(moved), plan_year=2022, actor=supervisor_user, dry_run=False)
    assert [(r.kind, r.changes) for r in report.rows][0] == ("changed", ["牵头单位", "配合单位"])
    task.refresh_from_db()
    changed = task.history.order_by("-history_id").first()
    assert (changed.history_type, changed.version, changed.lead_department.name) == ("~", 2, "基础教育科")
    assert sorted(d.department.name for d in changed.cooperating_departments.all()) == sorted(["宣传科", "教研室"])
    assert task.history.count() == 2, "one record per changed task, none for unchanged ones"
    group = lambda name: Department.objects.get(name=name).group  # noqa: E731
    assert set(get_perms(group("基础教育科"), task)) == {"change_task", "report_task"}
    assert set(get_perms(group("宣传科"), task)) == {"report_task"}, "the old lead now only cooperates"
    assert get_perms(group("机关党委"), task) == [] and get_perms(group("德育科"), task) == []
    assert Task.objects.get(plan__year=2022, number=2).history.count() == 1


def _imported(plan):
    return [
        (t.number, t.section.number, t.section.title, t.title, t.content, t.lead_department_id, t.owner_text,
         t.responsible_leader_id, t.responsible_person, t.deadline, t.deadline_text, t.version,
         sorted(t.co_lead_departments.values_list("pk", flat=True)),
         sorted(t.cooperating_departments.values_list("pk", flat=True)), t.history.count())
        for t in Task.objects.filter(plan=plan).order_by("number")
    ]


def _library_import(rows, plan):
    """The admin's path: django-import-export's import_data, row by row, on the same resource."""
    from tasks.intake.resources import TaskResource, item_rows, task_sheet_dataset
    from tasks.intake.task_sheet import read_task_sheet

    sheet = read_task_sheet(ledger_file(rows))
    result = TaskResource(plan=plan, actor=None).import_data(task_sheet_dataset(sheet, item_rows(sheet)), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    return [(row.import_type, sorted(getattr(row.instance, "_changed_columns", []))) for row in result.rows]


def test_the_library_path_and_the_bulk_path_apply_the_same_rules(offices):
    """The admin imports through django-import-export row by row; the page and the commands
    through `import_rows_in_bulk`. Both read the cells with TaskResource.apply_columns: the same
    file gives the same tasks, and the same edit the same changed columns."""
    library_plan = factories.PlanFactory(year=2023)
    first = _library_import(GOOD_ROWS, library_plan)
    bulk = task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=None, dry_run=False)
    bulk_plan = Plan.objects.get(year=2022)
    assert [kind for kind, _ in first] == ["new"] * 3 == [row.kind for row in bulk.rows]
    assert _same_but_the_year(library_plan, bulk_plan)

    edited = [row[:] for row in GOOD_ROWS]
    edited[0][8], edited[1][4], edited[2][2] = "2022年9月30日", "基础教育科、宣传科", "深化改革"
    again = _library_import(edited, library_plan)
    bulk_again = task_sheet_import(handle=ledger_file(edited), plan_year=2022, actor=None, dry_run=False)
    kinds = {"update": "changed", "skip": "unchanged"}
    assert [(kinds[kind], changes) for kind, changes in again] == [(row.kind, sorted(row.changes))
                                                                    for row in bulk_again.rows]
    assert _same_but_the_year(library_plan, bulk_plan)


def _same_but_the_year(one, other):
    """“6月底” is a date of each plan's own year: the deadlines are compared without it."""
    def without_year(plan):
        return [(*row[:9], row[9] and row[9].replace(year=2000), *row[10:]) for row in _imported(plan)]
    assert without_year(one) == without_year(other)
    return True


def test_one_bad_row_and_nothing_is_written(offices):
    bad = [row[:] for row in GOOD_ROWS]
    bad[1][0] = "第二"
    before = snapshot()
    report = task_sheet_import(handle=ledger_file(bad), plan_year=2022, actor=None, dry_run=False)
    assert not report.ok and not report.applied
    assert any("第4行" in p and "序号" in p and "第二" in p for p in report.problems)
    assert snapshot() == before


def test_an_unreadable_deadline_and_an_unknown_unit_are_warnings_not_refusals(offices):
    rows = [row[:] for row in GOOD_ROWS]
    rows[1][8] = "尽快"
    rows[2][4] = "不存在的科"
    report = task_sheet_import(handle=ledger_file(rows), plan_year=2022, actor=None, dry_run=False)
    assert report.applied and report.unmatched == ["不存在的科"]
    warnings = [w for row in report.rows for w in row.warnings]
    assert any("第4行" in w and "完成时限" in w and "尽快" in w for w in warnings)
    late = Task.objects.get(plan__year=2022, number=2)
    assert late.deadline is None and late.deadline_text == "尽快", "the words are kept, the date left empty"
    unknown = Task.objects.get(plan__year=2022, number=3)
    assert unknown.lead_department is None and unknown.owner_text == "不存在的科"
    assert not Department.objects.filter(name="不存在的科").exists(), "no unit is made up from a name"


def test_unknown_departments_can_be_created_with_the_import(offices):
    rows = [["1", "一、党建", "新任务", "", "新成立的科", "另一个新科", "", "", "全年"]]
    report = task_sheet_import(handle=ledger_file(rows), plan_year=2022, actor=None, dry_run=False,
                               default_choice=CREATE)
    assert report.applied
    task = Task.objects.get(plan__year=2022)
    assert task.lead_department.name == "新成立的科"
    assert task.lead_department.group.name == "部门:新成立的科"


def test_duplicate_numbers_are_refused_naming_the_rows(offices):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1][:], GOOD_ROWS[2]]
    rows[1][0] = "1"
    report = task_sheet_import(handle=ledger_file(rows), plan_year=2022, actor=None, dry_run=False)
    assert not report.ok and "序号 1" in report.problems[0] and "3" in report.problems[0] and "4" in report.problems[0]
    assert not Plan.objects.filter(year=2022).exists()


def test_export_then_import_is_a_round_trip(offices, tmp_path):
    task_sheet_import(handle=ledger_file(GOOD_ROWS), plan_year=2022, actor=None, dry_run=False)
    output = tmp_path / "tasks.xlsx"
    call_command("export_tasks", "--plan-year", "2022", "-o", str(output), stdout=io.StringIO())
    with output.open("rb") as handle:
        report = task_sheet_import(handle=handle, plan_year=2022, actor=None, dry_run=False)
    assert {r.kind for r in report.rows} == {"unchanged"}
    assert len(plan_export_dataset(Plan.objects.get(year=2022))) == 3


def test_commands_exit_non_zero_with_one_line_per_problem(offices, tmp_path):
    path = tmp_path / "bad.xlsx"
    bad = [row[:] for row in GOOD_ROWS]
    bad[0][0] = "一号"
    bad[1][4] = "新来的科"
    path.write_bytes(ledger_file(bad).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_tasks", str(path), "--plan-year", "2022", stdout=io.StringIO(), stderr=err)
    assert "一号" in err.getvalue() and "新来的科" in err.getvalue(), "every problem, one line each"
    bad[0][0] = "1"
    path.write_bytes(ledger_file(bad).getvalue())
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_tasks", str(path), "--plan-year", "2022", stdout=io.StringIO(), stderr=err)
    assert "新来的科" in err.getvalue() and not Plan.objects.filter(year=2022).exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(ledger_file(GOOD_ROWS).getvalue())
    out = io.StringIO()
    call_command("import_tasks", str(good), "--plan-year", "2022", "--dry-run", stdout=out)
    assert "would import: 3 new" in out.getvalue() and not Plan.objects.filter(year=2022).exists()
    call_command("import_tasks", str(good), "--plan-year", "2022", stdout=out)
    assert Task.objects.filter(plan__year=2022).count() == 3
    (tmp_path / "not.xlsx").write_text("序号,工作任务")
    with pytest.raises(CommandError, match="Excel"):
        call_command("import_tasks", str(tmp_path / "not.xlsx"), "--plan-year", "2022")


@pytest.mark.usefixtures("file_storage")  # the upload waits in the storage: local folder or bucket
def test_the_page_previews_then_confirms(client, offices, supervisor_user):
    client.force_login(factories.member(Department.objects.get(name="宣传科")))
    assert client.get(reverse("intake:task_sheet_import")).status_code == 403
    client.force_login(supervisor_user)
    upload = ledger_file(GOOD_ROWS)
    upload.name = "任务分解表.xlsx"
    preview = client.post(reverse("intake:task_sheet_import"), {"action": "upload", "plan_year": 2022, "file": upload})
    assert preview.status_code == 200 and "确认导入" in preview.content.decode()
    assert not Plan.objects.filter(year=2022).exists()
    token = preview.context["token"]
    assert stored_names(UPLOAD_PREFIX) == [f"{UPLOAD_PREFIX}{token}.xlsx"]
    done = client.post(reverse("intake:task_sheet_import"), {"action": "confirm", "token": token, "plan_year": 2022})
    assert done.status_code == 302 and done["Location"] == reverse("tasks:plan_detail", args=[2022])
    assert Task.objects.filter(plan__year=2022).count() == 3
    assert stored_names(UPLOAD_PREFIX) == [], "the confirmed upload is not kept"
    expired = client.post(reverse("intake:task_sheet_import"), {"action": "confirm", "token": token, "plan_year": 2022})
    assert expired.status_code == 302 and expired["Location"] == reverse("intake:task_sheet_import")


def test_the_page_refuses_a_file_that_is_not_a_workbook(client, supervisor_user):
    client.force_login(supervisor_user)
    fake = io.BytesIO(b"MZ\x90\x00 not a workbook")
    fake.name = "tasks.xlsx"
    response = client.post(reverse("intake:task_sheet_import"), {"action": "upload", "plan_year": 2022, "file": fake})
    assert response.status_code == 400 and "不是 Excel" in response.content.decode()
    assert not Plan.objects.exists()


def test_template_has_the_columns_an_example_and_instructions(client, supervisor_user):
    client.force_login(supervisor_user)
    response = client.get(reverse("intake:task_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook["任务分解表"][1]] == HEADER
    assert workbook["任务分解表"]["C2"].value == "加强学习教育和宣传引导"
    assert workbook["填写说明"]["A1"].value == "填写说明"


def test_the_admin_imports_through_the_same_resource_and_reader(admin_client, offices):
    plan = factories.PlanFactory(year=2022)
    upload = ledger_file(GOOD_ROWS)
    upload.name = "ledger.xlsx"
    response = admin_client.post(
        reverse("admin:tasks_task_import"), {"plan": plan.pk, "format": 0, "import_file": upload}
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert not Task.objects.filter(plan=plan).exists(), "the admin previews first"
    data = {name: confirm.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource", "plan")}
    done = admin_client.post(reverse("admin:tasks_task_process_import"), data)
    assert done.status_code == 302
    assert Task.objects.filter(plan=plan).count() == 3
    exported = admin_client.post(reverse("admin:tasks_task_export"), {"format": 0, "resource": 0,
                                                                      **{f"taskresource_{k}": "on" for k in
                                                                         ["number", "section", "title"]}})
    assert exported.status_code == 200 and "spreadsheetml" in exported["Content-Type"]


def entity_bomb():
    data = ledger_file(GOOD_ROWS).getvalue()
    from .test_task_sheet import rewrite

    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    return rewrite(data, "xl/worksheets/sheet1.xml",
                   lambda xml: bomb + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml))


def huge_dimension():
    from .test_task_sheet import rewrite

    data = ledger_file(GOOD_ROWS).getvalue()
    return rewrite(data, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b'<dimension ref="A1:I5"/>', b'<dimension ref="A1:XFD1048576"/>'))


def _sheet_rewritten(transform, part="xl/worksheets/sheet1.xml"):
    from .test_task_sheet import rewrite

    return rewrite(ledger_file(GOOD_ROWS).getvalue(), part, transform)


def many_merges():
    """A few kilobytes declaring thousands of merged ranges a million rows tall."""
    merges = b"".join(b'<mergeCell ref="A%d:A1048576"/>' % (n % 5 + 1) for n in range(6000))
    return _sheet_rewritten(lambda xml: xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="6000">'
                                                    + merges + b"</mergeCells>"))


def many_shared_strings():
    """Empty shared strings by the ten thousand, compressed to a few kilobytes."""
    import zipfile

    data = ledger_file(GOOD_ROWS)
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", b'<sst count="20000">' + b"<si/>" * 20000 + b"</sst>")
    out.seek(0)
    return out


def many_empty_cells():
    """Rows of thousands of empty cells each, well past the columns a task list has."""
    row = b"<row>" + b"<c/>" * 2000 + b"</row>"
    return _sheet_rewritten(lambda xml: xml.replace(b"</sheetData>", row * 10 + b"</sheetData>"))


@pytest.mark.parametrize("make_file", [
    lambda: io.BytesIO(b"not a workbook at all"),
    lambda: io.BytesIO(ledger_file(GOOD_ROWS).getvalue()[:900]),
    entity_bomb,
    huge_dimension,
    many_merges,
    many_shared_strings,
    many_empty_cells,
], ids=["not-a-workbook", "truncated", "xml-entity-bomb", "huge-dimension", "merges", "shared-strings",
        "empty-cells"])
def test_hostile_and_broken_files_are_refused_and_change_nothing(offices, make_file, settings):
    from tasks.intake.task_sheet import TaskSheetError

    settings.IMPORT_MAX_ROWS = 100  # the budgets scale with it: 150 rows, 15,000 cells and strings
    before = snapshot()
    with pytest.raises(TaskSheetError):
        task_sheet_import(handle=make_file(), plan_year=2022, actor=None, dry_run=False)
    assert snapshot() == before


def test_tall_merged_ranges_are_clipped_to_the_rows_there_are(offices):
    """Under the budget, a range claiming a million rows fills only the rows the sheet has."""
    tall = _sheet_rewritten(lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="B3:B1048576"/></mergeCells>'))
    report = task_sheet_import(handle=tall, plan_year=2022, actor=None, dry_run=False)
    assert report.applied
    assert {t.section.title for t in Task.objects.filter(plan__year=2022)} == {"党建工作", "教育改革"}


def test_a_ledger_with_band_rows_and_no_section_column_and_rows_without_numbers(offices):
    """As bureaus publish them: 一、… on a row of its own (merged), units several to a cell,
    collective owners, rows without 序号, header words of other bureaus."""
    from .test_task_sheet import workbook_bytes

    factories.department("最高人民法院")
    factories.department("国家知识产权局")
    rows = [
        ["序号", "改革举措", "主 要 内 容", "指导部门", "完成时间"],
        ["一、知识产权保护", None, None, None, None],
        ["1", "三合一审判", "整合审判资源。", "最高人民法院、国家知识产权局", "2022年下半年"],
        [None, "专利保险", "开发保险产品。", "各区、县级市", "9月中旬"],
        ["二、科技金融", None, None, None, None],
        ["5", "科创专板", "设置专板。", "国家知识产权局", "长期坚持"],
    ]
    factories.PlanFactory(year=2022)  # published: its units hold their grants
    report = task_sheet_import(handle=workbook_bytes(rows, merges=["A2:E2", "A5:E5"]), plan_year=2022,
                               actor=None, dry_run=False)
    assert report.applied, (report.problems, [r.errors for r in report.rows])
    plan = Plan.objects.get(year=2022)
    assert [(s.number, s.title) for s in plan.sections.all()] == [(1, "知识产权保护"), (2, "科技金融")]
    first, second, third = Task.objects.filter(plan=plan).order_by("number")
    assert (first.number, second.number, third.number) == (1, 2, 5), "a row without 序号 takes the next number"
    assert first.lead_department.name == "最高人民法院"
    assert [d.name for d in first.co_lead_departments.all()] == ["国家知识产权局"], "several units all lead"
    assert second.lead_department is None and second.owner_text == "各区、县级市", "a collective owner, as written"
    assert not Department.objects.filter(name__in=["各区", "县级市"]).exists()
    assert (first.deadline, second.deadline, third.deadline) == (
        datetime.date(2022, 12, 31), datetime.date(2022, 9, 20), None)
    assert any("没有序号" in w for row in report.rows for w in row.warnings)
    group = Department.objects.get(name="国家知识产权局").group
    assert set(get_perms(group, first)) == {"change_task", "report_task"}, "a joint lead has the lead's rights"


def test_a_sheet_without_any_section_is_one_section_named_after_the_sheet(offices):
    from .test_task_sheet import workbook_bytes

    rows = [["工作任务", "牵头单位"], ["加强学习", "宣传科"], ["深化改革", "基础教育科"]]
    report = task_sheet_import(handle=workbook_bytes(rows), plan_year=2022, actor=None, dry_run=False)
    assert report.applied and not report.problems
    plan = Plan.objects.get(year=2022)
    assert [s.title for s in plan.sections.all()] == ["Sheet"]
    assert Task.objects.filter(plan=plan).count() == 2


@pytest.mark.usefixtures("file_storage")
def test_units_match_by_alias_and_the_preview_decides_the_rest(client, offices, supervisor_user):
    from departments.models import DepartmentAlias

    DepartmentAlias.objects.create(department=Department.objects.get(name="基础教育科"), name="基教科")
    rows = [["1", "一、改革", "深化改革", "内容。", "基教科", "新督导室、未知科", "", "", "全年"]]
    client.force_login(supervisor_user)
    upload = ledger_file(rows)
    upload.name = "list.xlsx"
    page = client.post(reverse("intake:task_sheet_import"), {"plan_year": 2022, "file": upload, "action": "upload"})
    assert page.status_code == 200
    questions = [name for name, _choice in page.context["unit_questions"]]
    assert questions == ["新督导室", "未知科"], "基教科 is 基础教育科 by its alias"
    token = page.context["token"]
    supervision = Department.objects.get(name="督导室")
    confirmed = client.post(reverse("intake:task_sheet_import"), {
        "action": "confirm", "token": token, "plan_year": 2022,
        "unit-0-name": "新督导室", "unit-0-action": "map", "unit-0-department": supervision.pk,
        "unit-1-name": "未知科", "unit-1-action": "text",
    })
    assert confirmed.status_code == 302
    task = Task.objects.get(plan__year=2022)
    assert task.lead_department.name == "基础教育科"
    assert [d.name for d in task.cooperating_departments.all()] == ["督导室"]
    assert task.owner_text == "未知科" and not Department.objects.filter(name__in=["新督导室", "未知科"]).exists()


def test_a_unit_chosen_to_be_created_is_created_once(client, offices, supervisor_user):
    rows = [["1", "一、改革", "任务甲", "", "新成立的科", "", "", "", ""],
            ["2", None, "任务乙", "", "宣传科", "新成立的科", "", "", ""]]
    client.force_login(supervisor_user)
    upload = ledger_file(rows)
    upload.name = "list.xlsx"
    token = client.post(reverse("intake:task_sheet_import"),
                        {"plan_year": 2022, "file": upload, "action": "upload"}).context["token"]
    client.post(reverse("intake:task_sheet_import"), {
        "action": "confirm", "token": token, "plan_year": 2022, "unit-0-name": "新成立的科", "unit-0-action": "create"})
    created = Department.objects.get(name="新成立的科")
    assert Task.objects.get(number=1).lead_department == created
    assert list(Task.objects.get(number=2).cooperating_departments.all()) == [created]


def test_deadlines_that_could_not_be_read_are_listed_for_the_plan(client, offices, supervisor_user):
    rows = [row[:] for row in GOOD_ROWS]
    rows[0][8] = "尽快"
    rows[2][8] = "每季度"
    task_sheet_import(handle=ledger_file(rows), plan_year=2022, actor=None, dry_run=False)
    client.force_login(supervisor_user)
    page = client.get(reverse("intake:unclear_deadlines"), {"year": 2022})
    assert [task.number for task in page.context["tasks"]] == [1], "每季度 is clear: recurring work has no date"
    assert "尽快" in page.content.decode()
