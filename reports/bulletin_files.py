"""The scoring bulletin's files (考核通报): a .docx in the bureau's document layout and an .xlsx
of the scores. Pure functions from `selectors.bulletin_figures` to a file."""

from tasks.documents import add_table, bureau_document, xml_safe
from tasks.sheets import Column, open_workbook

from .exporters import sheet_formats, write_header, write_text_row

RED = (0xC0, 0x00, 0x00)
RANKING_COLUMNS = [
    Column("名次", 6, lambda unit: unit["rank"], "center"),
    Column("单位", 20, lambda unit: unit["name"]),
    Column("得分", 9, lambda unit: unit["total"], "center"),
    Column("加分", 9, lambda unit: unit["gained"], "center"),
    Column("扣分", 9, lambda unit: unit["deducted"], "center"),
    Column("红黄牌", 16, lambda unit: unit["cards"]),
    Column("得分说明", 70, lambda unit: unit["remarks"]),
]
LINE_COLUMNS = [Column(header, width, lambda line, index=index: line[index], style)
                for index, (header, width, style) in enumerate([
                    ("单位", 18, "cell"), ("月份", 11, "center"), ("计分事项", 16, "cell"), ("任务序号", 8, "center"),
                    ("工作任务", 30, "cell"), ("说明", 30, "cell"), ("分值", 8, "center"), ("细则版本", 8, "center")])]


def bulletin_title(figures):
    return f"关于{figures['period']}重点工作任务考核情况的通报"


def write_bulletin_xlsx(target, figures):
    """Two sheets: the ranking with each unit's remarks, and every scored line."""
    workbook = open_workbook(target)
    formats = sheet_formats(workbook)
    for name, columns, rows in (("考核排名", RANKING_COLUMNS, figures["units"]),
                                ("得分明细", LINE_COLUMNS, figures.get("_lines", []))):
        sheet = workbook.add_worksheet(name)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0, 0)
        write_header(sheet, columns, formats)
        for index, row in enumerate(rows, start=1):
            write_text_row(sheet, index, columns, row, formats)
    workbook.close()


def write_bulletin_docx(target, figures):
    """版头 (issuing body in red over a red rule), a 文号 left blank for the office to fill, title,
    addressees, the ranking table, commended and named units, each unit's remarks, the
    requirements, and the signature with the date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = bureau_document(body_size=16)
    issuer = figures["issuing_body"] or "教育局"
    masthead = document.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = masthead.add_run(xml_safe(issuer))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(30), RGBColor(*RED)
    number = document.add_paragraph(f"〔{figures['year']}〕    号")  # 文号: the office fills in its prefix and number
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _red_rule(number)
    title = document.add_heading(xml_safe(bulletin_title(figures)), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("各科室、各直属单位：")
    versions = "、".join(f"第{version}版" if version else "默认" for version in figures["rules_versions"])
    _body(document, f"根据《{figures['plan']}》考核评分细则（{versions}），督查室对各单位{figures['period']}重点工作任务"
                    f"落实情况进行了考核（统计截至{figures['as_of']}）。现将有关情况通报如下：")

    document.add_heading("一、考核排名", level=1)
    if figures["units"]:
        add_table(document, ["名次", "单位", "得分", "加分", "扣分", "红黄牌"],
                  [[unit["rank"], unit["name"], unit["total"], unit["gained"], unit["deducted"], unit["cards"] or "—"]
                   for unit in figures["units"]], (1.7, 4.5, 1.8, 1.8, 1.8, 3.9))
    else:
        _body(document, "本期没有单位承担任务。")

    document.add_heading("二、表扬单位", level=1)
    if figures["commended"]:
        _body(document, f"{'、'.join(figures['commended'])}按时报送、质量较高、任务推进有力，考核名列前茅，予以通报表扬。")
    else:
        _body(document, "本期无通报表扬单位。")

    document.add_heading("三、点名单位", level=1)
    if figures["named"]:
        named = "；".join(f"{name}（{cards}，扣{deducted}分）" for name, cards, deducted in figures["named"])
        _body(document, f"{named}。以上单位扣分达到亮牌线"
                        f"（单月扣{figures['yellow_at']}分亮黄牌、扣{figures['red_at']}分亮红牌），予以通报点名，请认真整改。")
    else:
        _body(document, "本期无亮牌单位。")

    document.add_heading("四、各单位得分说明", level=1)
    for unit in figures["units"]:
        _body(document, f"{unit['rank']}. {unit['name']}：得{unit['total']}分。{unit['remarks']}")

    document.add_heading("五、有关要求", level=1)
    _body(document, "各单位可在工作平台“考核评分”页面逐条查看本单位得分明细。对得分有异议的，"
                    "请于本通报印发后5个工作日内向督查室书面反馈。")
    for text in (issuer, figures["generated_on"]):
        signature = document.add_paragraph(xml_safe(text))
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(target)


def _body(document, text):
    from docx.shared import Pt

    paragraph = document.add_paragraph(xml_safe(text))
    paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters, as 公文 body text
    return paragraph


def _red_rule(paragraph):
    """The red line under the 版头: a bottom border on the 文号's paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "C00000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
