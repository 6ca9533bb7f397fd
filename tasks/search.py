"""Keyword search over what the user may see: tasks, reports and leaders' instructions (批示).

Words are matched as substrings (Chinese has no spaces to split on), every word of the query in
any of a record's searched fields. On PostgreSQL the searched columns carry trigram indexes
(pg_trgm, on UPPER(column) as `icontains` compares), so a province's data answers in
milliseconds; on SQLite the same query is a plain scan.
"""

from dataclasses import dataclass

from django.db.models import Q

from . import permissions
from .models import Instruction

MIN_LENGTH = 2  # one Chinese character matches half of every plan
MAX_WORDS = 5
SHOWN = 30
COUNTED = 1000  # beyond this a count says "1000+": counting every match of a common word is waste

TASK_FIELDS = ("title", "content", "group", "owner_text", "responsible_person")
REPORT_FIELDS = ("progress", "problems", "next_steps")
INSTRUCTION_FIELDS = ("text",)


@dataclass
class SearchResults:
    query: str
    words: list
    tasks: list
    task_count: int
    reports: list
    report_count: int
    instructions: list
    instruction_count: int

    @property
    def total(self):
        return self.task_count + self.report_count + self.instruction_count

    @property
    def capped(self):
        return COUNTED in (self.task_count, self.report_count, self.instruction_count)

    @property
    def limit(self):
        return COUNTED


def query_words(text):
    """The words to look for: at most MAX_WORDS, each at least MIN_LENGTH characters (a shorter
    query as a whole is too short)."""
    words = [word for word in (text or "").split() if len(word) >= MIN_LENGTH][:MAX_WORDS]
    return list(dict.fromkeys(word[:50] for word in words))


def _matching(fields, words):
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def search(user, text, *, visible_tasks):
    """Tasks, reports and 批示 matching every word, within `visible_tasks` (the caller's scope of
    readable tasks) and the report drafts the user may see; the first SHOWN of each, newest first.

    Newest first is by id: PostgreSQL walks the primary key backwards and stops at the first
    SHOWN matches, where sorting by plan year or month would first gather every match of a
    common word (tens of thousands at province scale)."""
    words = query_words(text)
    if not words:
        return SearchResults(text, [], [], 0, [], 0, [], 0)
    tasks = visible_tasks.filter(_matching(TASK_FIELDS, words))
    reports = permissions.reports_visible_to(user).filter(task__in=visible_tasks).filter(_matching(REPORT_FIELDS, words))
    instructions = Instruction.objects.filter(task__in=visible_tasks).filter(_matching(INSTRUCTION_FIELDS, words))
    return SearchResults(
        text, words,
        _first(tasks.order_by("-id"), ("plan", "lead_department"), prefetch=("co_lead_departments",)), _count(tasks),
        _first(reports.order_by("-id"), ("task__plan", "department")), _count(reports),
        _first(instructions.order_by("-id"), ("task__plan", "author")), _count(instructions),
    )


def _first(matches, related, prefetch=()):
    """The first SHOWN matches, in two steps: their ids (one narrow query the planner gets right
    whatever it guesses of a Chinese LIKE), then those rows with what the page shows of them
    (the joint leads too: one query for all, not one per task)."""
    ids = list(matches.values_list("pk", flat=True)[:SHOWN])
    rows = matches.model.objects.filter(pk__in=ids).select_related(*related).prefetch_related(*prefetch).in_bulk()
    return [rows[pk] for pk in ids]


def _count(matches):
    return matches.order_by().values("pk")[:COUNTED].count()  # no ordering: it would join for nothing

