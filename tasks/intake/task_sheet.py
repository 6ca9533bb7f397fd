"""The one reader of task tables (任务分解表): Excel sheets, tables in a Word document, and
tab-separated tables in a plan's text all go through `task_sheet_from_rows`.

It accepts tables as bureaus make them: title rows above the header, header synonyms in any
order (spaces inside a header ignored: 主 要 内 容), vertically merged cells, section band rows
(一、党建工作 alone on its row, merged or not), blank and footer rows, full-width characters.
Columns it does not know are kept, by header, with each row. Hostile Excel files are refused by
looking at the archive before any parsing: entry count, uncompressed size, the sheet's declared
dimension. Cells are read in read-only mode and never evaluated.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tasks.formats import whole_number

from .numerals import from_chinese

HEADER_SYNONYMS = {
    "number": ("序号", "编号"),
    "section": ("板块", "类别", "章节", "所属部分", "领域"),
    "title": ("工作任务", "任务名称", "重点任务", "改革举措", "工作事项", "任务事项", "主要任务"),
    "content": ("具体内容", "工作内容", "主要措施", "工作措施", "主要内容", "具体措施", "工作要求"),
    "lead_department": ("牵头单位", "牵头科室", "牵头部门", "责任单位", "责任部门", "责任科室", "指导部门", "负责部门",
                        "负责单位", "主责单位"),
    "cooperating_departments": ("配合单位", "协办单位", "配合科室", "配合部门", "参与单位"),
    "responsible_leader": ("责任领导", "分管领导", "牵头领导"),
    "responsible_person": ("责任人", "联系人", "具体责任人"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时间要求", "进度安排", "时限要求", "完成时限要求"),
}
REQUIRED = ("title",)
FOOTER_PREFIXES = ("备注", "合计", "注：", "注:", "说明：", "说明:")
MAX_ENTRIES = 500
MAX_COLUMNS = 100
MAX_MERGES = 5000
BUDGET_LABELS = {"rows": _lazy("rows"), "cells": _lazy("cells"), "merged ranges": _lazy("merged ranges"),
                 "shared strings": _lazy("shared strings")}
SECTION_CELL = re.compile(r"^\s*([一二三四五六七八九十百零]+)\s*[、.．]\s*(.+?)\s*$")
CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class TaskSheetError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class TaskSheetRow:
    line: int
    values: dict
    extra: dict = field(default_factory=dict)  # header -> value, for columns the reader does not know
    band: str = ""  # a section band row (一、党建工作 alone on its row); its values are empty


@dataclass
class TaskSheet:
    header_line: int
    columns: dict  # field -> header text as found
    unknown_columns: list
    rows: list = field(default_factory=list)
    name: str = ""  # the sheet's name, where it has one


# Full-width digits and spaces become ASCII; Chinese punctuation (，：；（）) is text and stays.
FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "\u3000": " ", "\xa0": " "})


def _normalise(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    return value.translate(FULL_WIDTH).strip()


def _column_index(letters):
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _check_archive(handle):
    """Refuse what is not a workbook or would be too large once unpacked."""
    if not zipfile.is_zipfile(handle):
        raise TaskSheetError(_("This is not an Excel .xlsx file."))
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise TaskSheetError(_("The file is damaged or truncated and cannot be read."))
    if len(entries) > MAX_ENTRIES:
        raise TaskSheetError(_("The workbook has too many parts to be a task list."))
    total = sum(entry.file_size for entry in entries)
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise TaskSheetError(
            _("The workbook unpacks to %(size)d MB, more than the %(limit)d MB allowed.")
            % {"size": total // 2**20, "limit": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // 2**20}
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as part:
                head = part.read(2048)
            # Workbooks never need a DTD; entity definitions are how XML bombs expand.
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise TaskSheetError(_("The workbook contains XML entity definitions and is refused."))
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise TaskSheetError(_("This is not an Excel .xlsx file."))
    sheet_name = next((n for n in sorted(names) if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)), None)
    if sheet_name is None:
        raise TaskSheetError(_("The workbook has no worksheet."))
    with archive.open(sheet_name) as sheet:
        head = sheet.read(4096).decode("utf-8", "replace")
    dimension = re.search(r'<dimension ref="([A-Z]+\d+)(?::([A-Z]+)(\d+))?"', head)
    if dimension and dimension.group(2):
        columns, rows = _column_index(dimension.group(2)), int(dimension.group(3))
        if rows > settings.IMPORT_MAX_ROWS + 50 or columns > MAX_COLUMNS:
            raise TaskSheetError(
                _("The sheet declares %(rows)d rows and %(columns)d columns; at most %(limit)d rows can be imported.")
                % {"rows": rows, "columns": columns, "limit": settings.IMPORT_MAX_ROWS}
            )
    with archive.open(sheet_name) as sheet:
        xml = sheet.read()
    _check_budget(archive, names, xml)
    merges = _merged_ranges(xml)
    handle.seek(0)
    return merges


def _check_budget(archive, names, xml):
    """What a workbook may hold, counted on its XML before any parsing: a file of a few kilobytes
    can declare millions of cells, shared strings or merged ranges and keep a parser busy for
    minutes. A task list needs a fraction of each."""
    limit_rows = settings.IMPORT_MAX_ROWS + 50
    counts = {
        "rows": xml.count(b"<row"),
        "cells": xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>"),
        "merged ranges": xml.count(b"<mergeCell "),
        "shared strings": 0,
    }
    if "xl/sharedStrings.xml" in names:
        with archive.open("xl/sharedStrings.xml") as strings:
            tail = b""
            while chunk := strings.read(1 << 20):
                # Every string entry opens with "<si"; two bytes carried over count a tag cut by
                # the chunk boundary once, and no whole tag fits in them to be counted twice.
                window = tail + chunk
                counts["shared strings"] += window.count(b"<si")
                tail = window[-2:]
    limits = {"rows": limit_rows, "cells": limit_rows * MAX_COLUMNS, "merged ranges": MAX_MERGES,
              "shared strings": limit_rows * MAX_COLUMNS}
    for what, count in counts.items():
        if count > limits[what]:
            raise TaskSheetError(
                _("The workbook holds %(count)d %(what)s, more than a task list can (at most %(limit)d); it is refused.")
                % {"count": count, "what": BUDGET_LABELS[what], "limit": limits[what]}
            )


def _merged_ranges(xml):
    """Merged ranges from the sheet XML; read-only mode does not expose them."""
    start = xml.find(b"<mergeCells")
    text = xml[start:].decode("utf-8", "replace") if start >= 0 else ""
    ranges = []
    for ref in re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', text):
        start, end = ref.split(":")
        (c1, r1), (c2, r2) = CELL_REF.match(start).groups(), CELL_REF.match(end).groups()
        ranges.append((int(r1), _column_index(c1), int(r2), _column_index(c2)))
    return ranges


def _find_header(rows):
    for line, row in rows[:10]:
        found, unknown, unknown_columns = {}, [], []
        for column, value in enumerate(row):
            text = re.sub(r"\s+", "", str(_normalise(value) or ""))
            if not text:
                continue
            field_name = next((f for f, names in HEADER_SYNONYMS.items() if text in names), None)
            if field_name and field_name not in found:
                found[field_name] = (column, text)
            else:
                unknown.append(text)
                unknown_columns.append((column, text))
        if "title" in found and len(found) >= 2:
            return line, found, unknown, unknown_columns
    return None


def read_task_sheet(handle, *, max_rows=None):
    """Read an uploaded .xlsx task list; raises TaskSheetError for a file that cannot be used."""
    rows, sheet_title = read_sheet_rows(handle, max_rows=max_rows)
    return task_sheet_from_rows(rows, name=sheet_title)


def read_sheet_rows(handle, *, max_rows=None):
    """The first sheet's rows [(line, cells)] of an uploaded .xlsx, merged cells filled, and its
    title: the one safe way any workbook (a task list, a list of people) is read."""
    import openpyxl

    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    try:
        merges = _check_archive(handle)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError):
        # A wrong checksum or truncated data inside an otherwise well-formed archive.
        raise TaskSheetError(_("The file is damaged or truncated and cannot be read."))
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:
        raise TaskSheetError(_("The file is damaged or truncated and cannot be read."))
    try:
        sheet = workbook.worksheets[0]
        sheet_title = sheet.title
        rows = []
        # Rows as written, not padded to a width: a fixed max_col made openpyxl pad every row to
        # 100 cells, and a sheet's declared dimension may understate its real width.
        sheet.reset_dimensions()
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((line, list(row[:MAX_COLUMNS])))
            if len(rows) > max_rows + 10:
                raise TaskSheetError(
                    _("The sheet has more than %(limit)d rows; split it or ask an administrator.")
                    % {"limit": max_rows}
                )
    except TaskSheetError:
        raise
    except Exception:
        raise TaskSheetError(_("The file is damaged or truncated and cannot be read."))
    finally:
        workbook.close()

    _fill_merged(rows, merges)
    return rows, sheet_title


def task_sheet_from_rows(rows, *, name=""):
    """A task table from its rows [(line, cells)], wherever they were read; raises
    TaskSheetError when no header row is found in the first 10 rows."""
    header = _find_header(rows)
    if header is None:
        expected = "、".join(names[0] for names in HEADER_SYNONYMS.values())
        first_cells = "、".join(
            str(_normalise(v)) for _line, row in rows[:10] for v in row if _normalise(v)
        )[:200]
        raise TaskSheetError(
            _("No header row with a 工作任务 column was found in the first 10 rows. Expected columns: %(expected)s. Found: %(found)s.")
            % {"expected": expected, "found": first_cells or _("nothing")}
        )
    header_line, found, unknown, unknown_columns = header
    sheet = TaskSheet(header_line, {f: text for f, (_c, text) in found.items()}, unknown, name=name)
    for line, row in rows:
        if line <= header_line:
            continue
        # Each cell is normalised once: this loop runs for every row of a 20,000-row sheet.
        cells = [_normalise(value) for value in row]
        filled = [value for value in cells if value not in ("", None)]
        if not filled:
            continue
        if str(filled[0]).startswith(FOOTER_PREFIXES):
            continue
        band = _band_text(cells, found)
        if band:
            sheet.rows.append(TaskSheetRow(line, {}, band=band))
            continue
        values = {f: cells[column] if column < len(cells) else "" for f, (column, _t) in found.items()}
        if all(value in ("", None) for value in values.values()):
            continue
        extra = {text: cells[column] for column, text in unknown_columns
                 if column < len(cells) and cells[column] not in ("", None)}
        sheet.rows.append(TaskSheetRow(line, values, extra))
    return sheet


def _band_text(cells, found):
    """The heading of a section band row: one distinct text across the row (a merged band is
    filled into every cell it spans) that is not an item of the table."""
    distinct = {str(value) for value in cells if value not in ("", None)}
    if len(distinct) != 1:
        return ""
    text = distinct.pop()
    number_column = found.get("number", (None,))[0]
    if number_column is not None and number_column < len(cells) and parse_number(cells[number_column]) is not None:
        return ""  # an item with nothing but its number
    filled = sum(1 for value in cells if value not in ("", None))
    title_column = found["title"][0]
    only_title = filled == 1 and title_column < len(cells) and cells[title_column] not in ("", None)
    # A lone title is a task with nothing else filled in, unless it reads as a section heading.
    if only_title and not SECTION_CELL.match(text):
        return ""
    return text


def _fill_merged(rows, merges):
    """A value in a merged block applies to every row and column it spans (clipped to the rows
    and columns read: a range may claim a million rows that are not there)."""
    by_line = {line: row for line, row in rows}
    last_line = max(by_line, default=0)
    for top, left, bottom, right in merges:
        source = by_line.get(top)
        if source is None or left - 1 >= len(source):
            continue
        value = source[left - 1]
        right = min(right, MAX_COLUMNS)
        for line in range(top, min(bottom, last_line) + 1):
            row = by_line.get(line)
            if row is None:
                continue
            for column in range(left - 1, right):
                if column < len(row) and row[column] in (None, ""):
                    row[column] = value


def parse_section(value):
    """"一、党建工作" → (1, "党建工作"); a bare title → (None, title)."""
    text = str(value or "").strip()
    match = SECTION_CELL.match(text)
    if match:
        try:
            return from_chinese(match.group(1)), match.group(2)
        except ValueError:
            pass
    return None, text


def parse_number(value):
    return whole_number(str(value or "").strip().rstrip(".、．"))
