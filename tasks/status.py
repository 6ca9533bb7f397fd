"""The one status engine: how each task stands on a given date, and why, in words.

Every page and export that shows a red/yellow/green light reads what this engine worked out,
stored by `tasks.status_store` (`statuses_for`, `current_statuses`); no other module knows the
rules. It can answer "as of" a past date, e.g. a month-end.
"""

import datetime
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .formats import month_end
from .models import Milestone, Plan, ProgressReport, Task


class Light:
    DONE = "done"
    LATE = "late"
    WARNING = "warning"
    AHEAD = "ahead"
    NORMAL = "normal"
    NOT_STARTED = "not_started"


LABELS = {
    Light.DONE: gettext_lazy("Done"),
    Light.LATE: gettext_lazy("Late"),
    Light.WARNING: gettext_lazy("Warning"),
    Light.AHEAD: gettext_lazy("Ahead"),
    Light.NORMAL: gettext_lazy("On track"),
    Light.NOT_STARTED: gettext_lazy("Not started"),
}


# Reasons are kept as (code, parameters) and put into words when shown, in the reader's
# language: a stored status (StoredStatus.reasons) holds the codes.
REASON_TEXTS = {
    "completed": gettext_lazy("Completed on %(date)s"),
    "deadline_passed": gettext_lazy("Deadline passed %(days)d days ago"),
    "milestone_overdue": gettext_lazy("Milestone ‘%(title)s’ overdue by %(days)d days"),
    "milestone_due": gettext_lazy("Milestone ‘%(title)s’ due in %(days)d days"),
    "deadline_near": gettext_lazy("Deadline in %(days)d days"),
    "progress": gettext_lazy("Progress %(actual)d%%, expected %(expected)d%%"),
    "report_missing": gettext_lazy("This month's report not submitted"),
    "no_report": gettext_lazy("No report yet"),
}


def reason_text(code, parameters):
    text = REASON_TEXTS[code]
    return str(text) % parameters if parameters else str(text)


@dataclass(frozen=True)
class TaskStatus:
    light: str
    reason_codes: list = field(default_factory=list)  # [(code, {parameters}), …]
    expected_percent: int | None = None
    actual_percent: int | None = None
    # The date the trouble started (late) or the nearest date at risk (warning): lists sort by it.
    since: datetime.date | None = None

    @property
    def label(self):
        return LABELS[self.light]

    @property
    def reasons(self):
        return [reason_text(code, parameters) for code, parameters in self.reason_codes]

    @property
    def reason(self):
        return "；".join(self.reasons)


def expected_percent(task, milestones, on, plan_start):
    """序时进度: the share of milestones due by `on`, else of the time to the deadline."""
    if milestones:
        due = sum(1 for milestone in milestones if is_milestone_due(milestone, on))
        return round(100 * due / len(milestones))
    if task.deadline is None:
        return None
    if on >= task.deadline:
        return 100
    span = (task.deadline - plan_start).days
    return max(0, min(100, round(100 * (on - plan_start).days / span))) if span > 0 else 100


# The derived rules. Every page, export, summary and reminder asks these, never its own copy.

COUNTED_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)


def end_of_day(on):
    return datetime.datetime.combine(on, datetime.time.max, tzinfo=timezone.get_current_timezone())


def reporting_deadline(month):
    """The end of the day by which a month's report is due (REPORTING_DAY, capped at month end)."""
    day = min(settings.REPORTING_DAY, month_end(month).day)
    return end_of_day(month.replace(day=day))


def is_counted(report, *, on):
    """A report counts once submitted: submitted or accepted, for a month up to `on`, and
    submitted by the end of `on` (so a past date is judged by what had arrived then)."""
    return (
        report.state in COUNTED_STATES
        and report.month <= on
        and (report.submitted_at is None or report.submitted_at <= end_of_day(on))
    )


def is_on_time(report):
    """Counted and submitted by its month's reporting deadline."""
    return (
        report.state in COUNTED_STATES
        and report.submitted_at is not None
        and report.submitted_at <= reporting_deadline(report.month)
    )


def latest_counted(reports, *, on):
    """The newest counted report of those given (the lead office's), or None."""
    counted = [report for report in reports if is_counted(report, on=on)]
    return max(counted, key=lambda report: report.month, default=None)


def is_done_by(milestone, on):
    return milestone.done_on is not None and milestone.done_on <= on


def is_completed_by(task, on):
    return task.state == Task.State.COMPLETED and task.completed_on is not None and task.completed_on <= on


def is_milestone_due(milestone, on):
    return milestone.due_date <= on


def is_milestone_overdue(milestone, on):
    return milestone.due_date < on and not is_done_by(milestone, on)


def is_milestone_due_within(milestone, on, days):
    """Not done and due from `on` to `days` days later."""
    return not is_done_by(milestone, on) and 0 <= (milestone.due_date - on).days <= days


def is_task_overdue(task, on):
    return task.deadline is not None and task.deadline < on and not is_completed_by(task, on)


# 未签收: assigned by a publication (交办) and not yet acknowledged by its lead unit. The queryset
# form and the one for a loaded task (with its plan) are the same rule.
AWAITING_ACKNOWLEDGEMENT = Q(
    acknowledged_at=None, lead_department__isnull=False, plan__status=Plan.Status.ACTIVE,
    plan__published_at__isnull=False,
) & ~Q(state=Task.State.COMPLETED)


def is_awaiting_acknowledgement(task):
    return (
        task.acknowledged_at is None and task.lead_department_id is not None and task.state != Task.State.COMPLETED
        and task.plan.status == Plan.Status.ACTIVE and task.plan.published_at is not None
    )


def is_report_due(task, month, *, on):
    """Whether the task owes its lead office's report for `month`, as of `on`: every month up to
    `on` until the task is completed (a task completed within the month owes none for it)."""
    return month <= on and not is_completed_by(task, min(on, month_end(month)))


def is_report_missing(task, month, lead_reports, *, on):
    """Due, the month's reporting day is over, and no counted report for the month by `on`."""
    return (
        is_report_due(task, month, on=on)
        and on > reporting_deadline(month).date()
        and not any(report.month == month and is_counted(report, on=on) for report in lead_reports)
    )


def evaluate(task, *, on, milestones, lead_reports, plan_start):
    """The status of one task on date `on`, from its milestones and its lead department's reports."""
    if is_completed_by(task, on):
        return TaskStatus(Light.DONE, [("completed", {"date": task.completed_on.isoformat()})], 100, 100)

    latest = latest_counted(lead_reports, on=on)
    actual = latest.percent if latest else None
    expected = expected_percent(task, milestones, on, plan_start)
    gap = expected - (actual or 0) if expected is not None else None

    late, warning, late_dates, warning_dates = [], [], [], []
    if is_task_overdue(task, on):
        late.append(("deadline_passed", {"days": (on - task.deadline).days}))
        late_dates.append(task.deadline)
    for milestone in milestones:
        days_left = (milestone.due_date - on).days
        if is_milestone_overdue(milestone, on):
            late.append(("milestone_overdue", {"title": milestone.title, "days": -days_left}))
            late_dates.append(milestone.due_date)
        elif is_milestone_due_within(milestone, on, settings.STATUS_WARNING_DAYS):
            warning.append(("milestone_due", {"title": milestone.title, "days": days_left}))
            warning_dates.append(milestone.due_date)
    if task.deadline and 0 <= (task.deadline - on).days <= settings.STATUS_WARNING_DAYS:
        warning.append(("deadline_near", {"days": (task.deadline - on).days}))
        warning_dates.append(task.deadline)
    progress_words = ("progress", {"actual": actual or 0, "expected": expected or 0})
    if gap is not None and gap > settings.STATUS_LATE_POINTS:
        late.append(progress_words)
    elif gap is not None and gap >= settings.STATUS_WARNING_POINTS:
        warning.append(progress_words)
    if is_report_missing(task, on.replace(day=1), lead_reports, on=on):
        warning.append(("report_missing", {}))

    if late:
        return TaskStatus(Light.LATE, late + warning, expected, actual, min(late_dates, default=on))
    if warning:
        return TaskStatus(Light.WARNING, warning, expected, actual, min(warning_dates, default=on))
    nothing_due = not any(is_milestone_due(milestone, on) for milestone in milestones)
    if latest is None and nothing_due:
        return TaskStatus(Light.NOT_STARTED, [("no_report", {})], expected, actual)
    if gap is not None and -gap >= settings.STATUS_AHEAD_POINTS:
        return TaskStatus(Light.AHEAD, [progress_words], expected, actual)
    return TaskStatus(Light.NORMAL, [progress_words] if expected is not None else [], expected, actual)


@dataclass
class StatusInputs:
    """What the engine reads besides the tasks: fetched once, reusable (e.g. for trends)."""

    milestones: dict
    lead_reports: dict
    plan_years: dict


def load_status_inputs(tasks, *, on):
    """Three queries whatever the number of tasks. Rows come as light named tuples, not model
    instances: at province scale building tens of thousands of instances was most of the time."""
    tasks = list(tasks)
    selector = {"task_id__in": [t.pk for t in tasks]}
    milestones, reports = defaultdict(list), defaultdict(list)
    for milestone in Milestone.objects.filter(**selector).order_by("due_date", "id").values_list(
        "task_id", "title", "due_date", "done_on", named=True
    ):
        milestones[milestone.task_id].append(milestone)
    for report in (
        ProgressReport.objects.filter(**selector, month__lte=on, department_id=F("task__lead_department_id"))
        .order_by("month")
        .values_list("task_id", "department_id", "month", "state", "percent", "submitted_at", named=True)
    ):
        reports[report.task_id].append(report)
    plan_years = dict(
        Plan.objects.filter(pk__in={task.plan_id for task in tasks}).values_list("pk", "year")
    )
    return StatusInputs(milestones, reports, plan_years)


def default_as_of(plan_year, today):
    """Today while the plan runs; the last day of its year once it is over."""
    return min(today, datetime.date(plan_year, 12, 31))


# Pages built from many tasks' statuses (the dashboard) are cached under this token; any write to
# what the engine reads replaces it (tasks/signals.py, and the bulk import). A random token, not a
# counter, so a cache that loses the key can never bring back an old page under a reused number.
DATA_REVISION_KEY = "status-data-revision"


# A write whose new revision could not be stored (the cache was unreachable) is owed: the next
# call that reaches the cache stores a new one, so that a page cached before the outage is not
# served after it. (Other processes' owed revisions are bounded by DASHBOARD_CACHE_SECONDS.)
_revision_owed = False


def data_revision():
    if _revision_owed:
        _new_revision()
    token = cache.get(DATA_REVISION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(DATA_REVISION_KEY, token, None)
        token = cache.get(DATA_REVISION_KEY, token)
    return token


def data_changed():
    """Replace the revision now and again when the transaction commits: a page cached meanwhile
    from the rows as they were before the commit is then never served."""
    _new_revision()
    transaction.on_commit(_new_revision)


def _new_revision():
    global _revision_owed
    _revision_owed = cache.set(DATA_REVISION_KEY, uuid.uuid4().hex, None) is False


def cached_until_data_changes(name, parts, build):
    """The text `build()` returns, cached under `name` and `parts` for the current data revision,
    today and the reader's language (a page built from many statuses: the dashboard, its cards
    panel, the public progress page). DASHBOARD_CACHE_SECONDS bounds how long a deployment that
    changes how it looks can be served the old text."""
    from django.utils.translation import get_language

    key = f"{name}:" + hashlib.sha256("|".join(
        [data_revision(), str(timezone.localdate()), get_language() or "", *map(str, parts)]).encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        text = str(build())
        cache.set(key, text, settings.DASHBOARD_CACHE_SECONDS)
    return text
