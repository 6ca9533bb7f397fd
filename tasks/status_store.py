"""Stored statuses. A status is worked out once per task and date and kept (StoredStatus) until
what it was made from changes: every write to a task, its milestones or its reports replaces
the task's status_stamp (tasks/signals.py, `statuses_changed` for bulk writes), and a row made
under another stamp, or under other rules, is stale and made again when next read. The stamp
is read in the same query as the task's fields and before its milestones and reports, so a row
built while a write commits carries the old stamp and is never taken for current.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from .formats import month_end
from .models import DONE_MARK, TREND_MONTHS, Plan, StoredStatus, Task, new_status_stamp
from .status import (
    Light,
    TaskStatus,
    default_as_of,
    evaluate,
    is_completed_by,
    is_counted,
    is_on_time,
    is_report_due,
    latest_counted,
    load_status_inputs,
)

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


def status_of(task, *, on):
    return statuses_for([task], on=on)[task.pk]
