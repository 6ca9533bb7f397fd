"""Numbered labels as bureau documents print them, from the outermost level in: 一、 （一） 1. （1） ①."""

import re
import unicodedata
from dataclasses import dataclass

from ..numerals import from_chinese

CHINESE_NUMERAL = "[一二三四五六七八九十百零〇]+"
SECTION, GROUP, ITEM, SUBITEM, CIRCLED = "section", "paren_chinese", "arabic", "paren_arabic", "circled"
DEPTH = {SECTION: 0, GROUP: 1, ITEM: 2, SUBITEM: 3, CIRCLED: 4}
PATTERNS = [
    (SECTION, re.compile(rf"^\s*(?P<n>{CHINESE_NUMERAL})\s*、\s*")),
    (GROUP, re.compile(rf"^\s*[（(]\s*(?P<n>{CHINESE_NUMERAL})\s*[）)]\s*[、.．]?\s*")),
    # 1. 1．1、 — but not 1.5亿 (a decimal) nor a year such as 2021年.
    (ITEM, re.compile(r"^\s*(?P<n>\d{1,3})\s*(?:[.．、](?!\d)|\s(?=\D))\s*")),
    (SUBITEM, re.compile(r"^\s*[（(]\s*(?P<n>\d{1,3})\s*[）)]\s*")),
    (CIRCLED, re.compile(r"^\s*(?P<n>[①-⑳])\s*")),
]


@dataclass(frozen=True)
class Label:
    style: str
    number: int
    printed: str  # the label exactly as written, without surrounding spaces
    end: int  # where the text after the label starts, in the original string

    @property
    def depth(self):
        return DEPTH[self.style]


def read_label(text):
    """The numbered label a paragraph starts with, or None.

    Full-width digits and brackets are matched as their ASCII forms; NFKC maps them one
    character to one, so offsets found in the normalised text hold in the original.
    """
    normalised = unicodedata.normalize("NFKC", text)
    if len(normalised) != len(text):
        return None
    for style, pattern in PATTERNS:
        match = pattern.match(normalised)
        if not match or match.end() >= len(text):
            continue
        raw = match.group("n")
        try:
            number = ord(raw) - ord("①") + 1 if style == CIRCLED else int(raw) if raw.isdigit() else from_chinese(raw)
        except ValueError:
            continue
        printed = text[match.start():match.end()].strip()
        return Label(style, number, printed, match.end())
    return None
