"""The one status engine: how each task stands on a given date, and why, in words.

Every page and export that shows a red/yellow/green light reads `statuses_for` or
`current_statuses` (the stored results); no other module knows the rules. It can answer "as of" a past date, e.g. a month-end.
"""

import datetime
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .formats import month_end
from .models import DONE_MARK, TREND_MONTHS, Milestone, Plan, ProgressReport, StoredStatus, Task, new_status_stamp


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


# Stored statuses. A status is worked out once per task and date and kept (StoredStatus) until
# what it was made from changes: every write to a task, its milestones or its reports replaces
# the task's status_stamp (tasks/signals.py, `statuses_changed` for bulk writes), and a row made
# under another stamp, or under other rules, is stale and made again when next read. The stamp
# is read in the same query as the task's fields and before its milestones and reports, so a row
# built while a write commits carries the old stamp and is never taken for current.

# Raise when `evaluate` changes: rows stored by the old engine become stale.
ENGINE_VERSION = 1
STORE_CHUNK = 2000
ANALYZE_AFTER = 1000
TASK_FIELDS = ("pk", "plan_id", "section_id", "lead_department_id", "number", "status_stamp", "deadline", "state",
               "completed_on")


def rules_fingerprint():
    rules = (ENGINE_VERSION, settings.REPORTING_DAY, settings.STATUS_WARNING_DAYS, settings.STATUS_LATE_POINTS,
             settings.STATUS_WARNING_POINTS, settings.STATUS_AHEAD_POINTS, settings.TIME_ZONE)
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]


def statuses_changed(tasks):
    """Mark the statuses of `tasks` (a queryset) stale: for writes that send no signals."""
    tasks.update(status_stamp=new_status_stamp())


def current_statuses(scope, *, on, rows=None):
    """The StoredStatus rows of the tasks in `scope` (a Task queryset) as of `on`, one per task,
    made first for any task whose row is missing or stale: a queryset to add up in SQL.

    The stamps are compared once, here (an anti-join); the rows returned are then selected
    without a join: by `rows` (a Q on StoredStatus's copies, e.g. the plan) when the caller
    has one, else by the scope as a subquery. A write committed after the check is seen by the
    next reader's check."""
    rules = rules_fingerprint()
    current = StoredStatus.objects.filter(on=on, rules=rules, task_id=OuterRef("pk"), stamp=OuterRef("status_stamp"))
    stale = scope.filter(~Exists(current)).order_by().values_list(*TASK_FIELDS, named=True)
    pending = list(stale)
    for start in range(0, len(pending), STORE_CHUNK):
        _store(pending[start:start + STORE_CHUNK], on=on, rules=rules)
    if len(pending) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Thousands of new rows (a new day, a new plan): without fresh statistics PostgreSQL
        # takes the day's rows for one and joins them in nested loops until autovacuum's next
        # ANALYZE. Sampling the table costs tens of milliseconds, once.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(StoredStatus._meta.db_table)}")
    return StoredStatus.objects.filter(Q(on=on) & (rows if rows is not None else Q(task__in=scope.values("pk"))))


def _store(tasks, *, on, rules):
    inputs = load_status_inputs(tasks, on=on)
    rows = [_stored_status(task, on, inputs, rules) for task in tasks]
    StoredStatus.objects.bulk_create(rows, update_conflicts=True, unique_fields=["task", "on"],
                                     update_fields=STORED_FIELDS)


STORED_FIELDS = ["plan", "section", "lead_department", "number", "stamp", "rules", "light", "reasons", "expected_percent", "actual_percent", "since", "progress",
                 "report_state", "report_due", "report_counted", "report_on_time",
                 *(f"month_{month}" for month in TREND_MONTHS)]


def _stored_status(task, on, inputs, rules):
    milestones, lead_reports = inputs.milestones[task.pk], inputs.lead_reports[task.pk]
    status = evaluate(task, on=on, milestones=milestones, lead_reports=lead_reports,
                      plan_start=datetime.date(inputs.plan_years[task.plan_id], 1, 1))
    month = on.replace(day=1)
    report = next((report for report in lead_reports if report.month == month), None)
    counted = report is not None and is_counted(report, on=on)
    trend = {}
    for number in range(1, on.month + 1):
        end = min(month_end(on.replace(month=number, day=1)), on)
        latest = latest_counted(lead_reports, on=end)
        trend[f"month_{number}"] = DONE_MARK if is_completed_by(task, end) else (latest.percent if latest else 0)
    return StoredStatus(
        task_id=task.pk, on=on, plan_id=task.plan_id, section_id=task.section_id,
        lead_department_id=task.lead_department_id, number=task.number, stamp=task.status_stamp, rules=rules,
        light=status.light,
        reasons=[[code, parameters] for code, parameters in status.reason_codes],
        expected_percent=status.expected_percent, actual_percent=status.actual_percent, since=status.since,
        progress=100 if status.light == Light.DONE else (status.actual_percent or 0),
        report_state=report.state if report else "", report_due=is_report_due(task, month, on=on),
        report_counted=counted, report_on_time=counted and is_on_time(report), **trend,
    )


def stored_statuses_refresh(*, today):
    """Each morning: store today's statuses of the running plans before anyone asks, and drop
    stale rows and those of past days other than month-ends (the ledger's dates)."""
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE):
        current_statuses(Task.objects.filter(plan=plan), on=default_as_of(plan.year, today))
    past_days = StoredStatus.objects.filter(on__lt=today).values_list("on", flat=True).distinct()
    dropped = [day for day in past_days if day != month_end(day)]
    stale = ~Q(stamp=F("task__status_stamp")) | ~Q(rules=rules_fingerprint()) | Q(on__in=dropped)
    StoredStatus.objects.filter(pk__in=StoredStatus.objects.filter(stale).values("pk")).delete()


def status_from_stored(row):
    return TaskStatus(row.light, row.reasons, row.expected_percent, row.actual_percent, row.since)


def statuses_for(tasks, *, on):
    """Statuses of many tasks in a fixed number of queries, whatever their number: {task id: TaskStatus}."""
    ids = [task.pk for task in tasks]
    statuses = {}
    for start in range(0, len(ids), STORE_CHUNK):
        chunk = ids[start:start + STORE_CHUNK]
        rows = current_statuses(Task.objects.filter(pk__in=chunk), on=on, rows=Q(task_id__in=chunk)).values_list(
            "task_id", "light", "reasons", "expected_percent", "actual_percent", "since")
        statuses.update((task_id, TaskStatus(*values)) for task_id, *values in rows)
    return statuses


def default_as_of(plan_year, today):
    """Today while the plan runs; the last day of its year once it is over."""
    return min(today, datetime.date(plan_year, 12, 31))


def status_of(task, *, on):
    return statuses_for([task], on=on)[task.pk]


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
