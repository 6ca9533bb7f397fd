"""The Excel ledger reader on ledgers as bureaus make them, and on files that must be refused."""

import datetime
import functools
import io
import zipfile

import openpyxl
import pytest

from tasks.intake.task_sheet import TaskSheetError, parse_number, parse_section, read_task_sheet


def workbook_bytes(rows, merges=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


REAL_LEDGER = [
    ["四平市教育局2021年重点工作任务分解表"],
    ["（督查室制表，2021年2月）"],
    [],
    ["编号", "类别", "重点任务", "工作措施", "责任单位", "协办单位", "分管领导", "联系人", "完成时间", "备用列"],
    ["１", "一、党建工作", " 加强学习教育 ", "准确领会……", "宣传科", "机关党委、德育科", "王建国", "曹雪", "全年", "x"],
    ["2", None, "夯实基层党组织", "落实质量建党……", None, "组织人事科\n机关党委", "王建国", "何芳", datetime.datetime(2021, 6, 30), ""],
    [None, None, None, None, None, None, None, None, None, None],
    ["3", "二、教育改革", "深化大学区管理改革", "出台方案", "基础教育科", "督导室/教研室", "李红梅", "郑丽娟", "6月底", ""],
    ["备注：本表由督查室负责解释。"],
    ["合计", "3项"],
]


def test_a_real_ledger_with_title_rows_synonyms_merges_and_footers():
    ledger = read_task_sheet(workbook_bytes(REAL_LEDGER, merges=["B5:B6", "E5:E6"]))
    assert ledger.header_line == 4
    assert ledger.columns["title"] == "重点任务" and ledger.columns["lead_department"] == "责任单位"
    assert ledger.unknown_columns == ["备用列"]
    assert [row.line for row in ledger.rows] == [5, 6, 8]
    first, second, third = (row.values for row in ledger.rows)
    assert first["number"] == "1" and first["title"] == "加强学习教育"
    assert second["section"] == "一、党建工作", "a merged section cell applies to every row it spans"
    assert second["lead_department"] == "宣传科"
    assert second["deadline"] == datetime.datetime(2021, 6, 30)
    assert third["cooperating_departments"] == "督导室/教研室"


def test_columns_in_any_order():
    rows = [["完成时限", "工作任务", "序号"], ["全年", "任务甲", "1"]]
    ledger = read_task_sheet(workbook_bytes(rows))
    assert ledger.rows[0].values == {"deadline": "全年", "title": "任务甲", "number": "1"}


def test_missing_title_column_names_what_was_found_and_expected():
    with pytest.raises(TaskSheetError) as error:
        read_task_sheet(workbook_bytes([["序号", "内容", "牵头单位"], ["1", "x", "办公室"]]))
    message = str(error.value)
    assert "工作任务" in message and "序号、内容、牵头单位" in message


def test_section_and_number_cells():
    assert parse_section("一、党建工作") == (1, "党建工作")
    assert parse_section("十二．其他") == (12, "其他")
    assert parse_section("党建工作") == (None, "党建工作")
    assert parse_number("12、") == 12 and parse_number("甲") is None


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,task\n1,x\n", "不是 Excel"),
        (b"PK\x03\x04" + b"\x00" * 100, "不是 Excel"),
        (b"", "不是 Excel"),
    ],
)
def test_not_a_workbook(content, message):
    with pytest.raises(TaskSheetError, match=message):
        read_task_sheet(io.BytesIO(content))


def test_truncated_workbook():
    data = workbook_bytes(REAL_LEDGER).getvalue()
    with pytest.raises(TaskSheetError):
        read_task_sheet(io.BytesIO(data[: len(data) // 2]))


def rewrite(data, name, transform):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, transform(content) if item.filename == name else content)
    out.seek(0)
    return out


def test_a_sheet_declaring_a_huge_dimension_is_refused_before_parsing():
    data = workbook_bytes([["工作任务", "序号"], ["x", "1"]]).getvalue()
    hostile = rewrite(data, "xl/worksheets/sheet1.xml",
                      lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>'))
    with pytest.raises(TaskSheetError, match="1048576"):
        read_task_sheet(hostile)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    data = workbook_bytes([["工作任务"], ["x"]]).getvalue()
    padding = b"<!--" + b"0" * (20 * 1024 * 1024) + b"-->"
    bomb = rewrite(data, "xl/styles.xml", lambda xml: xml + padding)
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(TaskSheetError, match="MB"):
        read_task_sheet(bomb)


def test_more_rows_than_allowed(settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [["工作任务", "序号"]] + [[f"任务{n}", str(n)] for n in range(100)]
    with pytest.raises(TaskSheetError, match="5"):
        read_task_sheet(workbook_bytes(rows))


def test_formula_looking_text_is_read_as_text_and_formulas_are_never_evaluated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["工作任务", "具体内容", "责任人"])
    text_cell = sheet.cell(row=2, column=1, value="=1+1")
    text_cell.data_type = "s"  # typed as text in Excel
    sheet.cell(row=2, column=2, value="@SUM(A1)")
    sheet.cell(row=2, column=3, value="=HYPERLINK(\"http://evil\")")  # a real formula, no cached value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert read_task_sheet(buffer).rows[0].values == {"title": "=1+1", "content": "@SUM(A1)", "responsible_person": ""}


def zip_bomb(unpacked_mb=300):
    """A valid-looking workbook whose styles part unpacks to `unpacked_mb` MB of zeros."""
    source = zipfile.ZipFile(workbook_bytes([["工作任务"], ["x"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/styles.xml":
                target.writestr(item, source.read(item.filename))
        with target.open("xl/styles.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * 2**20
            for _ in range(unpacked_mb):
                part.write(chunk)
    return out.getvalue()


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'.encode() for i in range(1, 10))
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
)


@functools.lru_cache(maxsize=1)
def hostile_workbooks():
    plain = workbook_bytes([["工作任务", "序号"], ["x", "1"]]).getvalue()
    huge = rewrite(plain, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')).getvalue()
    entities = rewrite(plain, "xl/sharedStrings.xml", lambda xml: ENTITY_BOMB).getvalue() if "xl/sharedStrings.xml" in \
        zipfile.ZipFile(io.BytesIO(plain)).namelist() else rewrite(plain, "xl/styles.xml", lambda xml: ENTITY_BOMB).getvalue()
    return {
        "zip bomb (300 MB unpacked)": zip_bomb(),
        "dimension A1:XFD1048576": huge,
        "XML entity bomb": entities,
        "corrupt": plain[:30] + bytes(range(256)) * 20 + plain[-200:],
        "truncated": plain[: len(plain) // 2],
        "not a workbook": "序号,工作任务\n1,x\n".encode("gbk"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(hostile_workbooks()))
def test_hostile_workbooks_are_refused_fast_in_little_memory_and_write_nothing(kind):
    """Each refusal costs under 100 ms of CPU and 50 MB of memory, measured here, and the import
    leaves the database as it was."""
    import time
    import tracemalloc

    from tasks.intake.services import task_sheet_import
    from tasks.models import Plan, Task

    data = hostile_workbooks()[kind]
    before = (Plan.objects.count(), Task.objects.count())
    tracemalloc.start()
    started = time.process_time()
    with pytest.raises(TaskSheetError) as refusal:
        task_sheet_import(handle=io.BytesIO(data), plan_year=2022, actor=None, dry_run=False)
    cpu = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert str(refusal.value), "the refusal says why"
    assert cpu < 0.1, f"{kind}: {cpu * 1000:.0f} ms"
    assert peak < 50 * 2**20, f"{kind}: {peak / 2**20:.1f} MB"
    assert (Plan.objects.count(), Task.objects.count()) == before
    print(f"hostile workbook refused: {kind}: {cpu * 1000:.1f} ms CPU, {peak / 2**20:.1f} MB peak")


def test_a_dimension_that_understates_the_width_loses_no_column():
    rows = [["序号", "板块", "工作任务", "牵头单位", "完成时限"], ["1", "一、党建", "加强学习", "宣传科", "全年"]]
    data = workbook_bytes(rows).getvalue()
    lying = rewrite(data, "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:B2"/>'))
    ledger = read_task_sheet(lying)
    assert ledger.rows[0].values == {"number": "1", "section": "一、党建", "title": "加强学习",
                                     "lead_department": "宣传科", "deadline": "全年"}
