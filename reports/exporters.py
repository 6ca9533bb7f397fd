"""Excel and Word builders: pure functions from rows to a file, written in streaming mode.

Text that looks like a formula (= + - @, tab, CR) is always written as a string cell, never as a
formula: XlsxWriter's automatic conversions are switched off and every value goes through
`write_string`.
"""

import re

from tasks.documents import BODY_FONT, HEADING_FONT, add_table, bureau_document, xml_safe
from tasks.formats import chinese_month
from tasks.sheets import Column, headers, open_workbook, set_widths, widths
from tasks.status import Light

LIGHT_FILLS = {
    Light.LATE: "#F4B6B0",
    Light.WARNING: "#FCE3A6",
    Light.NORMAL: "#C9E7C4",
    Light.AHEAD: "#BFE6E0",
    Light.DONE: "#C7DBF2",
    Light.NOT_STARTED: "#E4E8ED",
}
NOT_REPORTED = "未报送"


def _report_text(name, missing=""):
    return lambda row: getattr(row.report, name) if row.report else missing


# The monthly ledger's columns, in order; rows are `reports.selectors.LedgerRow`.
LEDGER_COLUMNS = [
    Column("序号", 6, lambda row: row.number, "center"),
    Column("工作任务", 22, lambda row: row.title),
    Column("牵头单位", 12, lambda row: row.lead_department),
    Column("配合单位", 14, lambda row: row.cooperating_departments),
    Column("责任人", 9, lambda row: row.responsible_person, "center"),
    Column("完成时限", 11, lambda row: row.deadline_text, "center"),
    Column("本月进展情况", 38, _report_text("progress", NOT_REPORTED)),
    Column("存在问题", 20, _report_text("problems")),
    Column("下步打算", 20, _report_text("next_steps")),
    Column("完成进度", 9, lambda row: f"{row.report.percent}%" if row.report else "", "center"),
    Column("状态", 9, lambda row: str(row.status.label), lambda row: row.status.light),
    Column("佐证材料", 16, lambda row: "\n".join(row.evidence_names)),
]


def sheet_formats(workbook):
    base = {"font_name": BODY_FONT, "font_size": 11, "text_wrap": True, "valign": "top", "border": 1}
    formats = {
        "title": workbook.add_format({"font_name": HEADING_FONT, "font_size": 18, "align": "center", "valign": "vcenter"}),
        "meta": workbook.add_format({"font_name": BODY_FONT, "font_size": 11}),
        "header": workbook.add_format({**base, "font_name": HEADING_FONT, "bold": True, "align": "center",
                                       "valign": "vcenter", "bg_color": "#D9E2F0"}),
        "section": workbook.add_format({**base, "font_name": HEADING_FONT, "bold": True, "bg_color": "#EEF2F7"}),
        "cell": workbook.add_format(base),
        "center": workbook.add_format({**base, "align": "center"}),
    }
    for light, colour in LIGHT_FILLS.items():
        formats[light] = workbook.add_format({**base, "align": "center", "bg_color": colour, "bold": True})
    return formats


WIDE = re.compile(r"[\u2e80-\U0010ffff]")


def _display_width(text):
    # A CJK character takes about 1.75 of Excel's width units in 仿宋, a Latin one about one.
    # Counted with one regex pass: this runs for every cell of ledgers with thousands of rows.
    wide = len(WIDE.findall(text))
    return round(len(text) + 0.75 * wide)


def row_height(values, widths, *, line_height=14.5):
    """Height that shows every wrapped line: Excel and LibreOffice do not grow rows on opening."""
    lines = 1
    for value, width in zip(values, widths):
        text = str(value)
        if len(text) * 1.75 <= width - 1 and "\n" not in text:
            continue  # one line even if every character is wide: most cells, and no regex needed
        needed = sum(max(1, -(-_display_width(part) // max(width - 1, 1))) for part in text.split("\n"))
        lines = max(lines, needed)
    return lines * line_height + 4


def write_monthly_ledger(target, *, rows, title, unit, as_of_text):
    """Write the 月报 ledger to `target` (a path or a binary file) from `reports.selectors` rows."""
    workbook = open_workbook(target)
    sheet = workbook.add_worksheet("月报")
    formats = sheet_formats(workbook)
    last_column = len(LEDGER_COLUMNS) - 1
    set_widths(sheet, LEDGER_COLUMNS)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(2, 2)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.freeze_panes(3, 0)

    sheet.set_row(0, 34)
    sheet.merge_range(0, 0, 0, last_column, title, formats["title"])
    sheet.write_string(1, 0, f"填报单位：{unit}", formats["meta"])
    sheet.write_string(1, last_column - 3, f"截至日期：{as_of_text}", formats["meta"])
    for index, name in enumerate(headers(LEDGER_COLUMNS)):
        sheet.write_string(2, index, name, formats["header"])
    column_widths = widths(LEDGER_COLUMNS)

    row_index, current_section, forgotten_below = 3, None, 0
    for row in rows:
        if row.section_number != current_section:
            current_section = row.section_number
            sheet.merge_range(row_index, 0, row_index, last_column, row.section_heading, formats["section"])
            row_index += 1
        values = [column.value(row) for column in LEDGER_COLUMNS]
        sheet.set_row(row_index, row_height(values, column_widths))
        for index, (column, value) in enumerate(zip(LEDGER_COLUMNS, values)):
            sheet.write_string(row_index, index, str(value or ""), formats[column.style_for(row)])
        row_index += 1
        if row_index - forgotten_below >= 500:
            forgotten_below = row_index - 1
            _forget_written_rows(sheet, below=forgotten_below)
    workbook.close()
    return row_index - 3


def _forget_written_rows(sheet, below):
    """Drop the heights of rows already streamed to disk.

    In constant_memory mode XlsxWriter writes each row out as the next one starts, but keeps
    every row's set_row() height in `row_info` and `row_sizes` (for placing images, which the
    ledger has none of) until the end: 300 bytes a row, what made a 50,000-task ledger need
    several times the memory of a 5,000-task one. Rows above the one being written are never
    read again.
    """
    for table in (sheet.row_info, sheet.row_sizes):
        for row in [row for row in table if row < below]:
            del table[row]


def ledger_title(plan, month):
    return f"{plan.title}落实情况月报（{chinese_month(month)}）"


def _figure(key):
    return lambda figures: figures[key]


# The summary's tables of figures (numbers), after the column naming the scope.
FIGURE_COLUMNS = [
    Column(label, 11, _figure(key), "center", key) for key, label in [
        ("tasks", "任务数"), ("done", "已完成"), ("on_track", "正常"), ("warning", "预警"), ("late", "滞后"),
        ("completion_rate", "完成率%"), ("average_progress", "平均进度%"), ("milestones_due", "本季度到期节点"),
        ("milestones_on_time", "按时完成节点"), ("reports_due", "应报月报"), ("reports_on_time", "按时报送"),
        ("on_time_rate", "按时报送率%"),
    ]
]
LATE_TASK_COLUMNS = [
    Column("序号", 6, _figure("number")), Column("工作任务", 30, _figure("title")),
    Column("牵头单位", 14, _figure("lead_department")), Column("原因", 60, _figure("reason")),
]
TASK_PROGRESS_COLUMNS = [
    Column("序号", 6, _figure("number")),
    Column("工作任务", 26, _figure("title")),
    Column("牵头单位", 14, _figure("lead_department")),
    Column("状态", 9, _figure("status"), _figure("light")),
    Column("本季度进展", 70,
           lambda task: "\n".join(f"{p['month']}月：{p['text']}" for p in task["progress"]) or "本季度未报送"),
    Column("存在问题", 30, _figure("open_problems")),
]


def write_header(sheet, columns, formats):
    set_widths(sheet, columns)
    for index, name in enumerate(headers(columns)):
        sheet.write_string(0, index, name, formats["header"])


def write_text_row(sheet, row_index, columns, row, formats):
    for index, column in enumerate(columns):
        sheet.write_string(row_index, index, str(column.value(row)), formats[column.style_for(row)])


def _figure_sheet(workbook, formats, name, first_header, rows):
    columns = [Column(first_header, 30, lambda row: row[0]), *FIGURE_COLUMNS]
    sheet = workbook.add_worksheet(name)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    write_header(sheet, columns, formats)
    for index, (label, figures) in enumerate(rows, start=1):
        sheet.write_string(index, 0, label, formats["cell"])
        for column_index, column in enumerate(FIGURE_COLUMNS, start=1):
            sheet.write_number(index, column_index, column.value(figures), formats[column.style])


def write_quarterly_xlsx(target, figures):
    """The quarter's tables: overall, by section, by department, late tasks, progress by task."""
    workbook = open_workbook(target)
    formats = sheet_formats(workbook)
    _figure_sheet(workbook, formats, "总体", "范围", [(figures["plan"], figures["overall"])])
    _figure_sheet(workbook, formats, "分板块", "板块", [(s["label"], s) for s in figures["sections"]])
    _figure_sheet(workbook, formats, "分单位", "牵头单位", [(d["name"], d) for d in figures["departments"]])

    late = workbook.add_worksheet("滞后任务")
    write_header(late, LATE_TASK_COLUMNS, formats)
    for index, task in enumerate(figures["late_tasks"], start=1):
        write_text_row(late, index, LATE_TASK_COLUMNS, task, formats)

    detail = workbook.add_worksheet("任务进展")
    write_header(detail, TASK_PROGRESS_COLUMNS, formats)
    detail.repeat_rows(0, 0)
    row = 1
    for section in figures["sections"]:
        detail.merge_range(row, 0, row, len(TASK_PROGRESS_COLUMNS) - 1, section["label"], formats["section"])
        row += 1
        for task in section["tasks_detail"]:
            write_text_row(detail, row, TASK_PROGRESS_COLUMNS, task, formats)
            row += 1
    workbook.close()


def write_quarterly_docx(target, figures):
    """A narrative in the style of a bureau's quarterly summary: title, sections, a paragraph per task."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = bureau_document()

    title = document.add_heading(f"{figures['plan']}第{figures['quarter']}季度落实情况总结", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    overall = figures["overall"]
    document.add_paragraph(
        f"截至{figures['as_of']}，{figures['plan']}共{overall['tasks']}项任务，已完成{overall['done']}项，"
        f"正常推进{overall['on_track']}项，预警{overall['warning']}项，滞后{overall['late']}项，完成率{overall['completion_rate']}%，"
        f"平均进度{overall['average_progress']}%。本季度到期时间节点{overall['milestones_due']}个，按时完成"
        f"{overall['milestones_on_time']}个；应报月度进展{overall['reports_due']}份，按时报送{overall['reports_on_time']}份，"
        f"按时报送率{overall['on_time_rate']}%。"
    )
    for section in figures["sections"]:
        document.add_heading(section["label"], level=1)
        document.add_paragraph(
            f"本板块{section['tasks']}项任务，已完成{section['done']}项，预警{section['warning']}项，滞后{section['late']}项，"
            f"平均进度{section['average_progress']}%。"
        )
        for task in section["tasks_detail"]:
            paragraph = document.add_paragraph()
            heading = f"{task['number']}. {task['title']}（{task['lead_department']}，{task['status']}）。"
            paragraph.add_run(xml_safe(heading)).bold = True
            progress = "；".join(
                (p["text"] if p["text"].startswith(f"{p['month']}月") else f"{p['month']}月，{p['text']}").rstrip("。")
                for p in task["progress"]
            )
            paragraph.add_run(xml_safe(progress + "。" if progress else "本季度未报送进展。"))
            if task["open_problems"]:
                paragraph.add_run(xml_safe(f"存在问题：{task['open_problems']}"))
    document.add_heading("滞后任务", level=1)
    if figures["late_tasks"]:
        add_table(document, ["序号", "工作任务", "牵头单位", "滞后原因"],
                  [[task["number"], task["title"], task["lead_department"], task["reason"]]
                   for task in figures["late_tasks"]],
                  (1.3, 4.5, 3, 7.5))
    else:
        document.add_paragraph("本季度无滞后任务。")
    document.save(target)
