"""The task-list workbook (export and blank template) and CSV, in the columns the importer reads."""

import csv

from siping_edu.spreadsheets import inert_csv_text
from tasks.sheets import headers, open_workbook, set_widths

from .resources import TASK_SHEET_COLUMNS

INSTRUCTIONS = [
    "填写说明",
    "1. 第一行为表头，列名可用同义词（如 编号、类别、重点任务、责任单位、协办单位、分管领导、联系人、完成时间），列的顺序不限；未识别的列会在预览中列出并被忽略。",
    "2. 序号为整数，在同一计划内唯一；再次导入时按序号匹配已有任务，相同内容不会重复导入。",
    "3. 板块写作“一、党建工作”；同一板块可合并单元格。",
    "4. 牵头单位写一个单位；配合单位可写多个，用“、”“，”“；”“/”或换行分隔。单位名称须与系统中一致，预览时可勾选自动新建。",
    "5. 完成时限可写日期（2021年6月30日、2021.6.30、2021-06-30）或“6月底”“上半年”“年底”“全年”“第三季度”“持续推进”等。",
    "6. 以“=”“+”“-”“@”开头的内容按文本保存，不会作为公式计算。",
]
EXAMPLE = {
    "number": "1", "section": "一、全面加强党对教育工作的领导", "title": "加强学习教育和宣传引导",
    "content": "准确领会习近平新时代中国特色社会主义思想的核心要义……", "lead_department": "宣传科",
    "cooperating_departments": "机关党委、德育科", "responsible_leader": "王建国", "responsible_person": "曹雪",
    "deadline": "全年",
}


def write_task_workbook(target, dataset, *, instructions=False):
    workbook = open_workbook(target, constant_memory=False)
    header = workbook.add_format({"bold": True, "font_name": "黑体", "bg_color": "#D9E2F0", "border": 1, "align": "center"})
    cell = workbook.add_format({"font_name": "仿宋", "text_wrap": True, "valign": "top", "border": 1})
    sheet = workbook.add_worksheet("任务分解表")
    set_widths(sheet, TASK_SHEET_COLUMNS)
    for index, name in enumerate(headers(TASK_SHEET_COLUMNS)):
        sheet.write_string(0, index, name, header)
    sheet.freeze_panes(1, 0)
    for row_index, row in enumerate(dataset.dict if dataset is not None else [], start=1):
        for index, column in enumerate(TASK_SHEET_COLUMNS):
            value = column.value(row)
            sheet.write_string(row_index, index, str(value if value is not None else ""), cell)
    if instructions:
        for index, column in enumerate(TASK_SHEET_COLUMNS):
            sheet.write_string(1, index, EXAMPLE[column.key], cell)
        notes = workbook.add_worksheet("填写说明")
        notes.set_column(0, 0, 110)
        for index, line in enumerate(INSTRUCTIONS):
            notes.write_string(index, 0, line)
    workbook.close()


def write_task_csv(target, dataset):
    """The task list as UTF-8 CSV with a byte-order mark, which Excel needs to read Chinese."""
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow(headers(TASK_SHEET_COLUMNS))
    for row in dataset.dict:
        writer.writerow([inert_csv_text(column.value(row)) for column in TASK_SHEET_COLUMNS])
