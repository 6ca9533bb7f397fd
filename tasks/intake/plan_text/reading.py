"""From plain text to blocks: paragraphs (page breaks joined, stray lines set aside) and tables
(tab-separated rows), each with its line number; and the lines that frame a document: its
title, its 文号, a signature, a date, an annex."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .numbering import SECTION, read_label

SENTENCE_ENDINGS = "。！？!?；;：:”’」』）)"
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,15}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号$")
DATE_LINE = re.compile(
    r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
PUBLICATION_NOTE = re.compile(r"^[（(](?:此件|本件|本文)[^（）()]{0,20}[）)]$")
ANNEX = re.compile(r"^附(?:件|表)?\s*\d*\s*[:：]|^附(?:件|表)\s*\d*$")
ORGANISATION = re.compile(r"(?:国务院|办公厅|人民政府|委员会|教委|教育局|教育厅|教育部|部|局|委|办|厅|院|署|室|处|科|中心)$")


@dataclass
class Block:
    line: int
    text: str
    rows: list = field(default_factory=list)  # a table: (line, cells) per row

    @property
    def is_table(self):
        return bool(self.rows)


def _is_stray(text):
    """A line with no Chinese in it, such as a lone year or page number."""
    return not re.search(r"[\u4e00-\u9fff]", text) and len(text) <= 12


def is_title_line(text):
    """A short line without sentence punctuation, such as a document's title."""
    return len(text) <= 60 and not re.search(r"[，。；,;！？]", text)


def is_date_line(text):
    return DATE_LINE.match(text) is not None


def is_signature(text):
    return len(text) <= 25 and not re.search(r"[，。；：:、,]", text) and ORGANISATION.search(text) is not None


def closing_marker(blocks, index):
    """Whether the block at `index` starts a document's end matter: a signature followed by a
    date, a date, a publication note such as （此件公开发布）, or an annex line (附件：…)."""
    text = blocks[index].text
    if blocks[index].is_table:
        return False
    if is_date_line(text) or PUBLICATION_NOTE.match(text) or ANNEX.match(text):
        return True
    following = blocks[index + 1].text if index + 1 < len(blocks) else ""
    return is_signature(text) and is_date_line(following)


def read_blocks(text, warnings):
    from . import ParseWarning

    lines = text.splitlines()
    blocks = []
    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.strip().lstrip("\ufeff")
        in_table = blocks and blocks[-1].is_table and blocks[-1].rows[-1][0] == number - 1
        if line and ("\t" in raw_line or (in_table and _next_is_row(lines, number))):
            # A row of a table; a one-cell line between rows is a row too (a merged group row).
            cells = [cell.strip() for cell in raw_line.split("\t")]
            if in_table:
                blocks[-1].rows.append((number, cells))
            else:
                blocks.append(Block(number, "", [(number, cells)]))
            continue
        if not line:
            continue
        if _is_stray(line):
            warnings.append(ParseWarning(number, _("Ignored a line that is neither a heading nor text."), line))
            continue
        blocks.append(Block(number, line))
    return _join_page_breaks(blocks)


def _next_is_row(lines, number):
    """Whether the short lines from this one on lead to another row of the table (group rows
    of a group without items stand one after the other)."""
    for index in range(number - 1, min(number + 3, len(lines))):
        line = lines[index]
        if "\t" in line:
            return True
        if not line.strip() or len(line.strip()) > 60:
            return False
    return False


def _join_page_breaks(blocks):
    """Join a paragraph that stops mid-sentence to the next one, unless either is a heading,
    a title-like line or a table."""
    joined = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not previous.is_table and not block.is_table
            and previous.text[-1] not in SENTENCE_ENDINGS
            and not is_title_line(previous.text)
            and read_label(block.text) is None
            and not (read_label(previous.text) and read_label(previous.text).style == SECTION)
            and not is_date_line(block.text) and not is_signature(block.text)
        ):
            previous.text += block.text
        else:
            joined.append(block)
    return joined


def table_text(block):
    return "\n".join("\t".join(cells) for _line, cells in block.rows)
