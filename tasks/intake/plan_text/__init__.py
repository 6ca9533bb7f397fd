"""The one parser of published plans (工作要点, 实施方案, 若干意见 …) from their text.

`parse_plan_text(text)` returns a `ParsedPlan` for the preview; nothing is saved. The levels of
numbering are chosen by the document (`parser`), owners read from notes and table columns
(`tasks.intake.units`), tables read like Excel sheets (`tasks.intake.task_sheet`). Every character
of the document ends up in the result: title, 文号, preamble, a section's text, a task's title,
body or group, the closing note, or a warning that quotes it (`accounted_share` measures it).
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ParsedTask:
    number: int  # running number in the plan
    label: str  # stored label: empty where the printed number is the running number
    title: str
    content: str
    line: int
    printed_label: str = ""  # the label exactly as printed
    group: str = ""  # the heading of the group the task stands under, if any
    leads: list = field(default_factory=list)  # unit names as written, the first-listed first
    cooperating: list = field(default_factory=list)
    deadline_text: str = ""
    full_stop: bool = False  # the title ended at a 。 (structure, like the label)
    stripped: str = ""  # punctuation that ended the heading (：；，) and is not part of the title

    @property
    def lead_department(self):
        return self.leads[0] if self.leads else ""

    @property
    def cooperating_departments(self):
        return self.cooperating


@dataclass
class ParsedSection:
    number: int
    title: str
    line: int
    tasks: list = field(default_factory=list)
    text: str = ""  # paragraphs of the section that are not tasks (要求, 原则, group headings)
    stripped: str = ""  # punctuation that ended the heading and is not part of the title


@dataclass
class ParseWarning:
    line: int
    message: str
    original: str = ""
    suggestion: str = ""


@dataclass
class ParsedPlan:
    title: str = ""
    doc_number: str = ""
    preamble: str = ""
    closing_note: str = ""
    sections: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    first_listed_leads: bool = False  # the document says the first-listed unit leads

    @property
    def tasks(self):
        return [task for section in self.sections for task in section.tasks]

    def stored_text(self):
        """Everything the plan keeps, as one text: what `accounted_share` compares with."""
        parts = [self.title, self.doc_number, self.preamble]
        for section in self.sections:
            parts += [section.title, section.stripped, section.text]
            for task in section.tasks:
                parts += [task.printed_label, task.title, task.stripped, "。" if task.full_stop else "", task.content,
                          task.group,
                          task.deadline_text]
        parts += [self.closing_note, *(warning.original for warning in self.warnings)]
        return "\n".join(parts)


def accounted_share(text, plan):
    """The share of the document's visible characters found again in what the plan keeps.

    Labels and numerals of sections are structure (kept as numbers), so each section's printed
    heading counts as accounted. Counted as multisets: a character is accounted once per time
    the plan keeps it."""
    from .numbering import SECTION, read_label

    source = Counter(char for char in text if not char.isspace())
    kept = Counter(char for char in plan.stored_text() if not char.isspace())
    for line in text.splitlines():
        label = read_label(line.strip())
        if label is not None and label.style == SECTION:
            kept.update(char for char in label.printed if not char.isspace())
    missing = source - kept
    total = sum(source.values())
    return (1 - sum(missing.values()) / total) if total else 1.0, missing


from .parser import parse_plan_text  # noqa: E402  (the parser builds the classes above)

__all__ = ["ParseWarning", "ParsedPlan", "ParsedSection", "ParsedTask", "accounted_share", "parse_plan_text"]
