"""Property-based tests: generated workbooks and plan texts never crash the importers, and an
import that is refused writes nothing."""

import datetime
import io
import itertools

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from departments.models import Department
from tasks.intake.services import task_sheet_import, plan_create_from_text
from tasks.intake.task_sheet import HEADER_SYNONYMS, TaskSheetError
from tasks.models import Plan, Section, Task
from tasks.intake.matching import CREATE, KEEP_AS_TEXT
from tasks.intake.plan_text import parse_plan_text

from .. import factories

pytestmark = pytest.mark.django_db
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=12)
awkward = st.sampled_from(["", " ", "\u3000", "=1+1", "+SUM(A1)", "-1", "@x", "\t", "\r\n", "１２", "一、", "（三）",
                           "6月底", "2022年13月40日", "全年", "持续推进", "下半年", "三季度", "备注：", "合计", "宣传科",
                           "机关党委、德育科", "不存在的科", "王建国", "x" * 400])
cell = st.one_of(st.none(), chinese, awkward, st.integers(-5, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                 st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)), st.booleans())
header_names = [name for names in HEADER_SYNONYMS.values() for name in names] + ["备用列", "", "工作任务"]


def snapshot():
    return (Plan.objects.count(), Section.objects.count(), Task.objects.count(), Department.objects.count(),
            Task.history.count())


@pytest.fixture
def offices(db):
    for name in ["宣传科", "机关党委", "德育科"]:
        factories.department(name)
    factories.leader(first_name="王建国")


@st.composite
def ledger_rows(draw, headers):
    """Rows that are mostly well formed, with an awkward value here and there."""
    values = {
        "序号": st.integers(1, 30), "编号": st.integers(1, 30), "工作任务": chinese.filter(bool), "重点任务": chinese.filter(bool),
        "板块": st.sampled_from(["一、党建", "二、改革", "三、保障", None]), "牵头单位": st.sampled_from(["宣传科", "机关党委", None]),
        "配合单位": st.sampled_from(["德育科", "机关党委、德育科", "", None]), "完成时限": st.sampled_from(["全年", "6月底", "2030年9月30日", "持续推进", None]),
        "责任领导": st.sampled_from(["王建国", None]),
    }
    return [draw(st.one_of(values.get(header, cell), cell) if draw(st.integers(0, 9)) == 0 else values.get(header, cell))
            for header in headers]


@st.composite
def workbooks(draw):
    if draw(st.booleans()):
        headers = draw(st.lists(st.sampled_from(header_names), min_size=0, max_size=10))
        width = max(len(headers), 1)
        rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=12))
    else:
        headers = draw(st.permutations(["序号", "板块", "工作任务", "牵头单位", "配合单位", "完成时限", "责任领导"]))
        rows = draw(st.lists(ledger_rows(headers), max_size=12))
    title_rows = draw(st.lists(st.lists(chinese, max_size=2), max_size=3))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*title_rows, headers, *rows]:
        sheet.append([value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@PROPERTY_SETTINGS
@given(data=workbooks(), create=st.booleans(), dry_run=st.booleans())
def test_generated_workbooks_import_or_are_refused_without_partial_writes(offices, data, create, dry_run):
    before = snapshot()
    try:
        report = task_sheet_import(handle=io.BytesIO(data), plan_year=2030, actor=None, dry_run=dry_run,
                                   default_choice=CREATE if create else KEEP_AS_TEXT)
    except (TaskSheetError, ValidationError):
        event("file refused")
        assert snapshot() == before
        return
    event("applied" if report.applied else "previewed" if report.ok else "rows refused")
    if not report.applied:
        assert snapshot() == before, "a preview or a refused import writes nothing"
    else:
        assert report.ok and Task.objects.filter(plan__year=2030).count() >= report.count("new")


line = st.one_of(
    chinese,
    st.builds(lambda n, t: f"{n}、{t}", st.sampled_from(["一", "二", "三", "十", "二十", "九十九", "一百"]), chinese),
    st.builds(lambda n, t: f"{n}{t}。", st.sampled_from(["1.", "2．", "3、", "（1）", "(2)", "（一）", "10."]), chinese),
    st.builds(lambda t: f"{t}（牵头单位：宣传科；配合单位：德育科、不存在的科）", chinese),
    st.sampled_from(["2021", "", "and", "督導體制", "。", "（", "一、", "1."]),
)
years = itertools.count(2001)


@PROPERTY_SETTINGS
@given(lines=st.lists(line, max_size=25), create=st.booleans())
def test_generated_plan_texts_parse_and_save_or_are_refused_without_partial_writes(offices, lines, create):
    parsed = parse_plan_text("\n".join(lines))
    before = snapshot()
    try:
        plan = plan_create_from_text(parsed=parsed, year=next(years), title="生成的计划", actor=None,
                                     default_choice=CREATE if create else KEEP_AS_TEXT)
    except ValidationError as refusal:
        event("refused")
        assert refusal.messages and snapshot() == before
        return
    event("saved")
    assert plan.sections.count() == len(parsed.sections)
    assert Task.objects.filter(plan=plan).count() == len(parsed.tasks)
