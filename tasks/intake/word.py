"""The text of a Word document (.docx) as the plan parser reads text: paragraphs and tables in
document order, one table row per line with its cells separated by tabs (a merged cell once)."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def docx_text(data):
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
        lines = []
        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(element, document).text)
            elif tag == "tbl":
                lines += [_row_line(row) for row in Table(element, document).rows]
                lines.append("")
        return "\n".join(lines)
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ValidationError(_("The .docx file cannot be read."))
    except Exception:
        # python-docx raises lxml's errors for malformed XML: the file is unreadable, not the portal.
        raise ValidationError(_("The .docx file cannot be read."))


def _row_line(row):
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue  # a cell merged across columns is listed once per column it spans
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return "\t".join(cells) if len(cells) > 1 else cells[0] if cells else ""
