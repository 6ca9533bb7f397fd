"""The task-list workbook (export and blank template), in the columns the importer reads."""

import xlsxwriter

from .resources import COLUMNS

WIDTHS = {"序号": 6, "板块": 24, "工作任务": 28, "具体内容": 60, "牵头单位": 14, "配合单位": 20,
          "责任领导": 10, "责任人": 10, "完成时限": 12}
INSTRUCTIONS = [
    "填写说明",
    "1. 第一行为表头，列名可用同义词（如 编号、类别、重点任务、责任单位、协办单位、分管领导、联系人、完成时间），列的顺序不限；未识别的列会在预览中列出并被忽略。",
    "2. 序号为整数，在同一计划内唯一；再次导入时按序号匹配已有任务，相同内容不会重复导入。",
    "3. 板块写作“一、党建工作”；同一板块可合并单元格。",
    "4. 牵头单位写一个单位；配合单位可写多个，用“、”“，”“；”“/”或换行分隔。单位名称须与系统中一致，预览时可勾选自动新建。",
    "5. 完成时限可写日期（2021年6月30日、2021.6.30、2021-06-30）或“6月底”“上半年”“年底”“全年”“第三季度”“持续推进”等。",
    "6. 以“=”“+”“-”“@”开头的内容按文本保存，不会作为公式计算。",
]
EXAMPLE = ["1", "一、全面加强党对教育工作的领导", "加强学习教育和宣传引导", "准确领会习近平新时代中国特色社会主义思想的核心要义……",
           "宣传科", "机关党委、德育科", "王建国", "曹雪", "全年"]


def write_task_workbook(target, dataset, *, instructions=False):
    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "in_memory": False})
    header = workbook.add_format({"bold": True, "font_name": "黑体", "bg_color": "#D9E2F0", "border": 1, "align": "center"})
    cell = workbook.add_format({"font_name": "仿宋", "text_wrap": True, "valign": "top", "border": 1})
    sheet = workbook.add_worksheet("任务分解表")
    headers = list(COLUMNS.values())
    for column, name in enumerate(headers):
        sheet.set_column(column, column, WIDTHS[name])
        sheet.write_string(0, column, name, header)
    sheet.freeze_panes(1, 0)
    for row_index, row in enumerate(dataset.dict if dataset is not None else [], start=1):
        for column, name in enumerate(headers):
            sheet.write_string(row_index, column, str(row.get(name) if row.get(name) is not None else ""), cell)
    if instructions:
        for column, value in enumerate(EXAMPLE):
            sheet.write_string(1, column, value, cell)
        notes = workbook.add_worksheet("填写说明")
        notes.set_column(0, 0, 110)
        for index, line in enumerate(INSTRUCTIONS):
            notes.write_string(index, 0, line)
    workbook.close()


# A cell starting with one of these is a formula to a spreadsheet program opening a CSV file.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert_csv_text(value):
    """CSV has no text type: a leading apostrophe (OWASP's advice) keeps "=…" from being run."""
    text = str(value if value is not None else "")
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_task_csv(target, dataset):
    """The task list as UTF-8 CSV with a byte-order mark, which Excel needs to read Chinese."""
    import csv

    target.write("\ufeff")
    writer = csv.writer(target)
    headers = list(COLUMNS.values())
    writer.writerow(headers)
    for row in dataset.dict:
        writer.writerow([inert_csv_text(row.get(name)) for name in headers])
