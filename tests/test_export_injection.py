"""Every export keeps text that starts like a formula (= + - @, tab, CR) as inert text.

xlsx: string cells, never formulas, and the task list imports back unchanged; csv: a leading
apostrophe that removed gives the text back; docx: the text as written."""

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from docx import Document
from django.urls import reverse

from reports import services as report_services
from reports.models import QuarterlySummary
from tasks import services
from siping_edu.spreadsheets import FORMULA_TRIGGERS, inert_csv_text
from tasks.intake.services import task_sheet_import
from tasks.models import Task

from . import factories

pytestmark = pytest.mark.django_db
HOSTILE = {
    "title": "=1+1",
    "content": "+SUM(A1:A9)",
    "responsible_person": "@evil",
    "progress": "-2+3 进展",
    "problems": "\t=HYPERLINK(\"http://evil.example\")",
    "next_steps": "\r=cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_task(supervisor_user):
    office = factories.department("基础教育科")
    head = factories.member(office, role="head")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    section = factories.SectionFactory(plan=plan, number=1, title="党建")
    task = factories.assigned_task(lead=office, section=section, number=1, title=HOSTILE["title"],
                                   content=HOSTILE["content"], responsible_person=HOSTILE["responsible_person"])
    report = services.report_save(task=task, department=office, month=datetime.date(2021, 3, 1), author=head,
                                  progress=HOSTILE["progress"], problems=HOSTILE["problems"],
                                  next_steps=HOSTILE["next_steps"], percent=40)
    services.report_submit(report=report, actor=head)
    factories.submitted_on(report, datetime.date(2021, 3, 20))
    services.report_accept(report=report, actor=supervisor_user)
    report.refresh_from_db()
    # What was stored (the form keeps leading tabs and CRs out of the text) is what must come back.
    task.stored = {"progress": report.progress, "problems": report.problems, "next_steps": report.next_steps}
    assert report.problems.startswith("=") and report.next_steps.startswith("=")
    return task


def workbook_cells(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert_xlsx(data, expected_texts):
    cells = workbook_cells(data)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula cell anywhere"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))
    values = {cell.value for cell in cells if cell.data_type == "s"}
    for text in expected_texts:
        assert text in values, f"{text!r} is kept as a text cell"


def test_task_list_xlsx_keeps_them_as_text_and_imports_back_unchanged(client, hostile_task, supervisor_user):
    client.force_login(supervisor_user)
    response = client.get(reverse("intake:plan_export", args=[2021]))
    data = b"".join(response.streaming_content)
    assert_inert_xlsx(data, [HOSTILE["title"], HOSTILE["content"], HOSTILE["responsible_person"]])
    report = task_sheet_import(handle=io.BytesIO(data), plan_year=2021, actor=supervisor_user, dry_run=False)
    assert [row.kind for row in report.rows] == ["unchanged"]
    task = Task.objects.get(pk=hostile_task.pk)
    assert (task.title, task.content, task.responsible_person) == (
        HOSTILE["title"], HOSTILE["content"], HOSTILE["responsible_person"])


def test_task_list_csv_prefixes_an_apostrophe_that_gives_the_text_back(client, hostile_task, supervisor_user):
    client.force_login(supervisor_user)
    response = client.get(reverse("intake:plan_export_csv", args=[2021]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, so Excel reads the Chinese"
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    assert not any(value.startswith(FORMULA_TRIGGERS) for value in row)
    values = dict(zip(header, row))
    for column, original in (("工作任务", "title"), ("具体内容", "content"), ("责任人", "responsible_person")):
        assert values[column] == "'" + HOSTILE[original]
        assert values[column][1:] == HOSTILE[original]
    assert [inert_csv_text(v) for v in ("\tx", "\rx", "-1", "正常")] == ["'\tx", "'\rx", "'-1", "正常"]
    assert [inert_csv_text(v) for v in ("＝1+1", "＋1", "－1", "＠SUM(A1)")] == ["'＝1+1", "'＋1", "'－1", "'＠SUM(A1)"]


def test_the_admin_export_keeps_them_as_text(admin_client, hostile_task):
    response = admin_client.post(reverse("admin:tasks_task_export"), {
        "format": "0", "resource": "0", **{f"taskresource_{name}": "on" for name in (
            "number", "section", "title", "content", "lead_department", "cooperating_departments",
            "responsible_leader", "responsible_person", "deadline")},
    })
    assert response.status_code == 200, response.content[:500]
    assert_inert_xlsx(response.content, [HOSTILE["title"], HOSTILE["responsible_person"]])


def test_monthly_ledger_xlsx_keeps_report_text_inert(hostile_task):
    handle, _name = report_services.monthly_ledger_file(plan=hostile_task.plan, month=datetime.date(2021, 3, 1))
    assert_inert_xlsx(handle.read(), [HOSTILE["title"], HOSTILE["responsible_person"], *hostile_task.stored.values()])


def test_quarterly_summary_xlsx_and_docx_keep_the_text(hostile_task):
    report_services.summary_generate(plan=hostile_task.plan, quarter=1, today=datetime.date(2021, 4, 2))
    summary = QuarterlySummary.objects.get()
    assert_inert_xlsx(summary.xlsx.read(), [HOSTILE["title"]])
    document = Document(summary.docx)
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    everything = "\n".join(texts)
    assert HOSTILE["title"] in everything and HOSTILE["progress"] in everything
