"""The monthly ledger (月报台账) read back with openpyxl: rows, statuses, bands, print setup, inert text."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.exporters import LEDGER_COLUMNS
from tasks.sheets import headers
from tasks import services as task_services

from .. import factories

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2021, 6, 1)
COLUMN = {name: index for index, name in enumerate(headers(LEDGER_COLUMNS))}


@pytest.fixture
def plan_with_reports(supervisor_user):
    office = factories.department("基础教育科")
    helper = factories.department("督导室")
    author = factories.member(office, role="head")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    one = factories.SectionFactory(plan=plan, number=1, title="全面加强党对教育工作的领导")
    two = factories.SectionFactory(plan=plan, number=2, title="统筹推进教育改革发展深度融合")
    reported = factories.assigned_task(lead=office, cooperating=[helper], section=one, number=1, title="加强学习教育")
    factories.assigned_task(lead=office, section=one, number=2, title="夯实基层党组织建设根基",
                            deadline=datetime.date(2021, 3, 31))
    factories.assigned_task(lead=helper, section=two, number=3, title="深化大学区管理改革")
    report = task_services.report_save(
        task=reported, department=office, month=JUNE, author=author,
        progress="=HYPERLINK(\"http://evil\")", problems="+1 经费不足", next_steps="@SUM(A1)\t下一步", percent=50,
    )
    task_services.report_submit(report=report, actor=author)
    factories.submitted_on(report, datetime.date(2021, 6, 20))
    task_services.report_accept(report=report, actor=supervisor_user)
    return plan


def ledger(plan, **kwargs):
    handle, name = services.monthly_ledger_file(plan=plan, month=JUNE, **kwargs)
    return openpyxl.load_workbook(handle), name


def test_rows_statuses_and_section_bands(plan_with_reports):
    workbook, name = ledger(plan_with_reports)
    assert name == "四平市2021年教育工作要点落实情况月报-2021-06.xlsx"
    sheet = workbook["月报"]
    assert sheet["A1"].value == "四平市2021年教育工作要点落实情况月报（2021年6月）"
    assert sheet["A2"].value.startswith("填报单位：") and "截至日期：2021年6月30日" in [c.value for c in sheet[2]]
    assert [c.value for c in sheet[3]] == headers(LEDGER_COLUMNS)
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[0] for row in values] == ["一、全面加强党对教育工作的领导", "1", "2", "二、统筹推进教育改革发展深度融合", "3"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:L1", "A4:L4", "A7:L7"} <= merged
    assert [values[1][COLUMN[name]] for name in ("牵头单位", "配合单位", "完成进度")] == ["基础教育科", "督导室", "50%"]
    assert values[2][COLUMN["本月进展情况"]] == "未报送" and values[2][COLUMN["状态"]] == "滞后"
    status_cell = sheet.cell(row=6, column=COLUMN["状态"] + 1)
    assert status_cell.fill.fgColor.rgb.endswith("F4B6B0")  # red fill from the status engine


def test_formula_like_text_stays_text(plan_with_reports):
    sheet = ledger(plan_with_reports)[0]["月报"]
    row = [c for c in sheet[5]]
    for name, text in [("本月进展情况", '=HYPERLINK("http://evil")'), ("存在问题", "+1 经费不足"),
                       ("下步打算", "@SUM(A1)\t下一步")]:
        assert row[COLUMN[name]].value == text and row[COLUMN[name]].data_type == "s"


def test_print_setup(plan_with_reports):
    sheet = ledger(plan_with_reports)[0]["月报"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    # One page wide (1 is the default, so the file may omit it), as many pages tall as needed.
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows.replace("$", "") == "3:3"
    assert sheet.freeze_panes == "A4"
    assert "&P" in sheet.oddFooter.center.text
    assert sheet["B3"].font.name == "黑体" and sheet["B5"].font.name == "仿宋"
    assert sheet["G5"].alignment.wrap_text


def test_department_scope(plan_with_reports):
    from departments.models import Department

    sheet = ledger(plan_with_reports, departments=[Department.objects.get(name="督导室")], unit="督导室")[0]["月报"]
    assert sheet["A2"].value == "填报单位：督导室"
    numbers = [row[0].value for row in sheet.iter_rows(min_row=4) if row[0].value.isdigit()]
    assert numbers == ["1", "3"]  # co-owned and led


def test_queries_do_not_grow_from_35_to_500_tasks():
    from .test_dashboard import bulk_plan

    counts = {}
    for size in (35, 500):
        plan = bulk_plan(size)
        ledger(plan)  # stores the statuses it reads
        with CaptureQueriesContext(connection) as queries:
            ledger(plan)
        counts[size] = len(queries)
    print("ledger queries", counts)
    assert counts[35] == counts[500], counts


def test_download_and_command(client, plan_with_reports, leader_user, tmp_path):
    client.force_login(leader_user)
    response = client.get(reverse("reports:monthly_ledger"), {"year": 2021, "month": 6})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["月报"]["A1"].value.endswith("（2021年6月）")

    output = tmp_path / "june.xlsx"
    call_command("export_monthly_report", "--plan-year", "2021", "--month", "2021-06",
                 "--department", "基础教育科", "-o", str(output), stdout=io.StringIO())
    assert openpyxl.load_workbook(output)["月报"]["A2"].value == "填报单位：基础教育科"
    with pytest.raises(Exception, match="2021-06"):
        call_command("export_monthly_report", "--plan-year", "2021", "--month", "June", "-o", str(output))


def test_long_ledgers_stream_in_chunks_with_every_row_in_order_and_sized(settings):
    """1,200 tasks in 7 sections cross the reader's 1,000-task chunks and the writer's flushes."""
    from .test_dashboard import bulk_plan

    plan = bulk_plan(1200)
    handle, _name = services.monthly_ledger_file(plan=plan, month=datetime.date(plan.year, 5, 1))
    sheet = openpyxl.load_workbook(handle)["月报"]
    first_cells = [row[0].value for row in sheet.iter_rows(min_row=4)]
    numbers = [int(value) for value in first_cells if value.isdigit()]
    expected = sorted(range(1, 1201), key=lambda n: ((n - 1) % 7, n))  # section, then number
    assert numbers == expected
    assert sum(1 for value in first_cells if "、" in value) == 7, "one band per section"
    heights = [sheet.row_dimensions[row].height for row in (5, 600, 1100, sheet.max_row)]
    assert all(height and height >= 18 for height in heights), heights
