"""What every Word document the portal writes shares: the bureau's fonts (仿宋 body, 黑体
headings, as 党政机关公文 use them) and text cleaned of what Word's XML cannot hold."""

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"


def xml_safe(text):
    """Word's XML cannot hold most control characters; drop them rather than fail the document."""
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 0x20)


def bureau_document(*, body_size=14):
    """A python-docx Document with the bureau's body and heading fonts set for Chinese text."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    for style_name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[style_name]
        style.font.name = HEADING_FONT
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), HEADING_FONT)
    return document


def add_table(document, header, rows, widths_cm):
    """A bordered table with a header row, each column as wide as `widths_cm` says."""
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = xml_safe(text)
    # Word reads the cell widths, LibreOffice the grid's: set both.
    table.autofit = False
    widths = [Cm(width) for width in widths_cm]
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    return table
