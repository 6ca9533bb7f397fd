"""The one parser of published work plans (工作要点) from plain text.

It reads paragraphs, finds section headings (一、…) and numbered tasks (1. 1． 1、 （1） (1) （一）),
joins paragraphs cut by page breaks, and splits each task into its title (first sentence) and
content (the rest). It never changes the text silently: anything suspicious becomes a warning
with a suggested fix, for the user to accept in the preview.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .numerals import from_chinese

CHINESE_NUMERAL = "[一二三四五六七八九十百零]+"
SECTION_HEADING = re.compile(rf"^\s*({CHINESE_NUMERAL})、\s*(\S.*?)\s*$")
TASK_HEADING = re.compile(
    rf"^\s*(?P<label>(?P<arabic>\d+)\s*[.．、]|[（(]\s*(?P<paren>\d+|{CHINESE_NUMERAL})\s*[）)])\s*"
)
OWNER_NOTE = re.compile(
    r"[（(]\s*(?:牵头单位|牵头科室|责任单位|责任科室)\s*[:：]\s*(?P<lead>[^；;）)]*?)\s*"
    r"(?:[；;]\s*(?:配合单位|配合科室|协办单位)\s*[:：]\s*(?P<cooperating>[^）)]*?)\s*)?[）)]\s*$"
)
DEPARTMENT_SEPARATORS = re.compile(r"[、，,；;/\n]+")
SENTENCE_ENDINGS = "。！？!?；;：:”’」』）)"
LATIN_WORD_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])\s*([A-Za-z]{2,}(?:\s+[A-Za-z]+)*)\s*(?=[\u4e00-\u9fff])")
OPENING_BRACKETS = "（(《“‘「『【"
# Words that scanning and typing often get wrong in bureau documents, with the intended word.
COMMON_MISTAKES = {
    "街接": "衔接",
    "布署": "部署",
    "再接再励": "再接再厉",
    "既使": "即使",
    "按装": "安装",
    "针贬": "针砭",
    "松驰": "松弛",
    "渡过难关": "度过难关",
}
CLOSING_BRACKETS = "）)》”’」』】"


@dataclass
class ParsedTask:
    number: int
    label: str
    title: str
    content: str
    line: int
    lead_department: str = ""
    cooperating_departments: list = field(default_factory=list)


@dataclass
class ParsedSection:
    number: int
    title: str
    line: int
    tasks: list = field(default_factory=list)


@dataclass
class ParseWarning:
    line: int
    message: str
    original: str = ""
    suggestion: str = ""


@dataclass
class ParsedPlan:
    preamble: str = ""
    closing_note: str = ""
    sections: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def tasks(self):
        return [task for section in self.sections for task in section.tasks]


@dataclass
class _Paragraph:
    text: str
    line: int


def _normalise_for_matching(text):
    # Full-width digits and punctuation only matter for recognising labels, never for content.
    return unicodedata.normalize("NFKC", text)


def _is_section_heading(text):
    return SECTION_HEADING.match(text) is not None


def _is_task_heading(text):
    return TASK_HEADING.match(_normalise_for_matching(text)) is not None


def _is_heading(text):
    return _is_section_heading(text) or _is_task_heading(text)


def _is_stray_line(text):
    """A line that is neither a heading nor prose, e.g. a lone year or page number."""
    return not re.search(r"[\u4e00-\u9fff]", text) and len(text) <= 12


def _split_first_sentence(body):
    """Split at the first 。 outside brackets and quotes."""
    depth = 0
    for index, char in enumerate(body):
        if char in OPENING_BRACKETS:
            depth += 1
        elif char in CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif char == "。" and depth == 0:
            return body[:index], body[index + 1 :]
    return body.rstrip("。"), ""


def split_departments(text):
    return [name.strip() for name in DEPARTMENT_SEPARATORS.split(text or "") if name.strip()]


def _paragraphs(text, warnings):
    paragraphs = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip().lstrip("\ufeff")
        if not line:
            continue
        if _is_stray_line(line):
            warnings.append(
                ParseWarning(number, _("Ignored a line that is neither a heading nor text."), line)
            )
            continue
        paragraphs.append(_Paragraph(line, number))
    return _join_page_breaks(paragraphs)


def _is_title_line(text):
    """A short line without sentence punctuation, such as the document's title."""
    return len(text) <= 30 and not re.search(r"[，。；：,;]", text)


def _join_page_breaks(paragraphs):
    """Join a paragraph that stops mid-sentence to the next one, unless that one is a heading."""
    joined = []
    for paragraph in paragraphs:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.text[-1] not in SENTENCE_ENDINGS
            and not _is_section_heading(previous.text)
            and not _is_title_line(previous.text)
            and not _is_heading(paragraph.text)
        ):
            previous.text += paragraph.text
        else:
            joined.append(_Paragraph(paragraph.text, paragraph.line))
    return joined


def _check_text(text, line, warnings):
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - opencc is a pinned requirement
        converter = None
    else:
        converter = OpenCC("t2s")
    if converter is not None:
        simplified = converter.convert(text)
        if simplified != text:
            for original, suggestion in _differences(text, simplified):
                warnings.append(
                    ParseWarning(
                        line,
                        _("Traditional characters in simplified text."),
                        original,
                        suggestion,
                    )
                )
    for mistake, correction in COMMON_MISTAKES.items():
        if mistake in text:
            warnings.append(ParseWarning(line, _("A word that is often mistyped."), mistake, correction))
    for match in LATIN_WORD_IN_CHINESE.finditer(text):
        warnings.append(
            ParseWarning(line, _("Latin words inside a Chinese sentence."), match.group(0))
        )


def _differences(text, converted):
    """Runs of characters that differ between two strings of equal length."""
    runs, start = [], None
    for index, (a, b) in enumerate(zip(text, converted)):
        if a != b and start is None:
            start = index
        elif a == b and start is not None:
            runs.append((text[start:index], converted[start:index]))
            start = None
    if start is not None:
        runs.append((text[start:], converted[start:]))
    return runs


def _task_from_paragraph(paragraph, running_number, warnings):
    normalised = _normalise_for_matching(paragraph.text)
    match = TASK_HEADING.match(normalised)
    # NFKC maps full-width digits and punctuation one character to one, so the match's offsets
    # point into the original text too; otherwise fall back to the normalised text.
    source = paragraph.text if len(normalised) == len(paragraph.text) else normalised
    body = source[match.end() :]
    printed = match.group("arabic") or match.group("paren")
    printed_number = int(printed) if printed.isdigit() else from_chinese(printed)
    printed_label = source[match.start("label") : match.end("label")].strip()
    label = "" if printed_number == running_number else printed_label
    lead, cooperating = "", []
    owner = OWNER_NOTE.search(body)
    if owner:
        lead = owner.group("lead").strip()
        cooperating = split_departments(owner.group("cooperating"))
        body = body[: owner.start()].rstrip()
    title, content = _split_first_sentence(body)
    _check_text(body, paragraph.line, warnings)
    return ParsedTask(
        number=running_number,
        label=label,
        title=title.strip(),
        content=content.strip(),
        line=paragraph.line,
        lead_department=lead,
        cooperating_departments=cooperating,
    )


def parse_plan_text(text):
    """Parse a published plan; the result is data for a preview, nothing is saved."""
    plan = ParsedPlan()
    preamble, trailing = [], []
    for paragraph in _paragraphs(text, plan.warnings):
        section_match = SECTION_HEADING.match(paragraph.text)
        if section_match and not _is_task_heading(paragraph.text):
            number = from_chinese(section_match.group(1))
            plan.sections.append(ParsedSection(number, section_match.group(2), paragraph.line))
            trailing = []
        elif _is_task_heading(paragraph.text):
            if not plan.sections:
                plan.warnings.append(
                    ParseWarning(paragraph.line, _("A task appears before the first section."))
                )
                plan.sections.append(ParsedSection(1, "", paragraph.line))
            running_number = len(plan.tasks) + 1
            task = _task_from_paragraph(paragraph, running_number, plan.warnings)
            plan.sections[-1].tasks.append(task)
            trailing = []
        elif not plan.sections:
            preamble.append(paragraph.text)
        elif not plan.sections[-1].tasks:
            plan.warnings.append(
                ParseWarning(paragraph.line, _("Text under a section heading before its first task."), paragraph.text[:40])
            )
        else:
            trailing.append(paragraph)
            plan.sections[-1].tasks[-1].content += "\n" + paragraph.text
    if trailing:
        # Unnumbered paragraphs after the last task close the plan; they are not part of that task.
        last_task = plan.sections[-1].tasks[-1]
        for paragraph in trailing:
            last_task.content = last_task.content[: -(len(paragraph.text) + 1)]
        plan.closing_note = "\n".join(paragraph.text for paragraph in trailing)
    plan.preamble = "\n".join(preamble)
    # A fault repeated in one paragraph (title and content) is one thing to fix.
    unique = {}
    for warning in plan.warnings:
        unique.setdefault((warning.line, warning.message, warning.original), warning)
    plan.warnings = list(unique.values())
    return plan
