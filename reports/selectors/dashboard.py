"""The leaders' dashboard: every figure added up in SQL from the stored statuses.

Each task's status as of the day is stored (tasks/status.py, StoredStatus) and only made again
for the tasks that changed, so a dashboard built after a write costs about the same at 50,000
tasks as at 35: the tallies by section and by lead office, the report counts and the trend are
GROUP BY / SUM queries, and only the first entries of each list are loaded. A section's or an
office's page, and the quarterly summary, ask for every task's line (`lines=True`).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Value, Window, prefetch_related_objects
from django.db.models.functions import Coalesce, RowNumber

from departments.models import Department
from tasks.models import DONE_MARK, Instruction, ProgressReport, Section, StoredStatus, Task
from tasks.status import AWAITING_ACKNOWLEDGEMENT, Light, reporting_deadline
from tasks.status_store import current_statuses, status_from_stored

MATRIX_TASK_LIMIT = 300
LIST_LIMIT = 30
DEPARTMENT_ROWS_SHOWN = 30
MISSING_TASKS_SHOWN = 3
LIGHT_ORDER = [Light.DONE, Light.AHEAD, Light.NORMAL, Light.WARNING, Light.LATE, Light.NOT_STARTED]


@dataclass
class Shortlist:
    """The first entries of a long list (or all of them), and how many there are in all."""

    items: list
    total: int
    limit: int = LIST_LIMIT

    def __iter__(self):
        return iter(self.items)

    def __bool__(self):
        return self.total > 0

    @property
    def shown(self):
        return self.items[:self.limit]

    @property
    def more(self):
        return max(0, self.total - len(self.shown))


@dataclass
class TaskLine:
    task: object
    status: object
    report_state: str | None = None
    report_on_time: bool = False

    @property
    def report_state_label(self):
        return ProgressReport.State(self.report_state).label if self.report_state else None


@dataclass
class Tally:
    """Counts of tasks by light, plus averages, for a plan, a section or a department."""

    lights: Counter = field(default_factory=Counter)
    progress_total: int = 0

    def add(self, line):
        self.add_count(line.status.light, 1, 100 if line.status.light == Light.DONE else (line.status.actual_percent or 0))

    def add_count(self, light, count, progress):
        self.lights[light] += count
        self.progress_total += progress

    @property
    def total(self):
        return sum(self.lights.values())

    @property
    def done(self):
        return self.lights[Light.DONE]

    @property
    def green(self):
        return self.lights[Light.NORMAL] + self.lights[Light.AHEAD]

    @property
    def yellow(self):
        return self.lights[Light.WARNING]

    @property
    def red(self):
        return self.lights[Light.LATE]

    @property
    def not_started(self):
        return self.lights[Light.NOT_STARTED]

    @property
    def completion_rate(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def average_progress(self):
        return round(self.progress_total / self.total) if self.total else 0

    def segments(self):
        """(light, count, share %) in display order, for the stacked bars."""
        return [
            (light, self.lights[light], 100 * self.lights[light] / self.total)
            for light in LIGHT_ORDER
            if self.lights[light]
        ]


@dataclass
class DepartmentRow:
    department: object
    tally: Tally = field(default_factory=Tally)
    due: int = 0
    submitted: int = 0
    on_time: int = 0
    missing: list = field(default_factory=list)  # the first lines of the tasks not reported (all with lines=True)
    unacknowledged: int = 0  # 未签收

    @property
    def missing_count(self):
        return self.due - self.submitted

    @property
    def missing_short(self):
        return Shortlist(self.missing, self.missing_count, MISSING_TASKS_SHOWN)


@dataclass
class SectionRow:
    section: object
    tally: Tally = field(default_factory=Tally)
    lines: list = field(default_factory=list)


@dataclass
class TrendPoint:
    month: datetime.date
    done: int
    average_progress: int


@dataclass
class Dashboard:
    plan: object
    on: datetime.date
    month: datetime.date
    reporting_day_passed: bool
    overall: Tally
    sections: list
    departments: list
    red: Shortlist
    yellow: Shortlist
    not_reported: Shortlist  # department rows with reports missing, most missing first
    unacknowledged: Shortlist  # 未签收: published tasks their lead unit has not acknowledged
    trend: list
    unanswered_instructions: Shortlist
    due: int
    submitted: int
    on_time: int

    @property
    def on_time_rate(self):
        return round(100 * self.on_time / self.due) if self.due else 0

    # A province's plan has thousands of tasks: a page listing them all is megabytes that nobody
    # reads. Beyond this size the page shows sections and the first items of each list, and
    # the section pages and the ledger have the rest.
    @property
    def per_task_matrix(self):
        return self.overall.total <= MATRIX_TASK_LIMIT

    @property
    def departments_needing_attention(self):
        """A province has hundreds of offices: the page lists first those with the most late
        tasks, then missing reports, then warnings; the whole table is one click away."""
        ranked = sorted(self.departments, key=lambda r: (-r.tally.red, -r.missing_count, -r.tally.yellow))
        return Shortlist(ranked, len(ranked), DEPARTMENT_ROWS_SHOWN)


def plan_tasks(plan, *, departments=None, section_number=None):
    """The tasks in scope, as a queryset used both to load them and as a subquery."""
    tasks = Task.objects.filter(plan=plan)
    if departments is not None:  # None: every task; an empty list: none
        tasks = tasks.filter(
            Q(lead_department__in=departments) | Q(co_lead_departments__in=departments)
            | Q(cooperating_departments__in=departments)
        ).distinct()
    if section_number is not None:
        tasks = tasks.filter(section__number=section_number)
    return tasks


def build_dashboard(*, plan, on, departments=None, section_number=None, lines=False):
    """Every figure of the dashboard (or of a section's / department's drill-down).

    With `lines` every task's line is loaded and every list is complete; without, a plan of
    more than MATRIX_TASK_LIMIT tasks loads the first LIST_LIMIT entries of each list.
    """
    scope = plan_tasks(plan, departments=departments, section_number=section_number)
    # The plan's rows are selected by their own copy of the plan (and section) without a join;
    # an office's drill-down adds its tasks as a subquery.
    rows = Q(plan=plan)
    if section_number is not None:
        rows &= Q(section__plan=plan, section__number=section_number)
    if departments is not None:
        rows &= Q(task__in=scope.values("pk"))
    stored = current_statuses(scope, on=on, rows=rows)
    month = on.replace(day=1)

    overall, sections, department_rows = Tally(), {}, {}
    for row in stored.values("section_id", "light").annotate(count=Count("pk"), progress=Sum("progress")):
        overall.add_count(row["light"], row["count"], row["progress"])
        sections.setdefault(row["section_id"], SectionRow(None)).tally.add_count(
            row["light"], row["count"], row["progress"])
    due_this_month = Q(report_due=True)
    for row in stored.filter(lead_department__isnull=False).values("lead_department_id", "light").annotate(
        count=Count("pk"), progress=Sum("progress"), due=Count("pk", filter=due_this_month),
        submitted=Count("pk", filter=due_this_month & Q(report_counted=True)),
        on_time=Count("pk", filter=due_this_month & Q(report_counted=True, report_on_time=True)),
    ):
        department_row = department_rows.setdefault(row["lead_department_id"], DepartmentRow(None))
        department_row.tally.add_count(row["light"], row["count"], row["progress"])
        department_row.due += row["due"]
        department_row.submitted += row["submitted"]
        department_row.on_time += row["on_time"]
    for section in Section.objects.filter(pk__in=sections):
        sections[section.pk].section = section
    for department in Department.objects.filter(pk__in=department_rows):
        department_rows[department.pk].department = department
    awaiting = Task.objects.filter(pk__in=scope.values("pk")).filter(AWAITING_ACKNOWLEDGEMENT)
    for department_id, count in awaiting.values_list("lead_department_id").annotate(Count("pk")).order_by():
        department_rows[department_id].unacknowledged = count

    with_lines = lines or overall.total <= MATRIX_TASK_LIMIT
    limit = None if with_lines else LIST_LIMIT
    if with_lines:
        for line in _lines(stored.order_by("number")):
            sections[line.task.section_id].lines.append(line)

    department_list = sorted(department_rows.values(), key=lambda r: (r.department.order, r.department.name))
    missing_rows = sorted((row for row in department_list if row.missing_count), key=lambda r: -r.missing_count)
    _add_missing_lines(stored, missing_rows[:limit], limit=None if with_lines else MISSING_TASKS_SHOWN)
    by_since = (Coalesce("since", Value(on)), "number")
    instructions = (Instruction.objects.filter(task__in=scope.values("pk"), replies__isnull=True)
                    .select_related("task__plan", "task__lead_department", "author").order_by("created_at"))
    dashboard = Dashboard(
        plan=plan,
        on=on,
        month=month,
        reporting_day_passed=on > reporting_deadline(month).date(),
        overall=overall,
        sections=[sections[key] for key in sorted(sections, key=lambda k: sections[k].section.number)],
        departments=department_list,
        red=Shortlist(_lines(_first(stored.filter(light=Light.LATE), limit, *by_since)), overall.red),
        yellow=Shortlist(_lines(_first(stored.filter(light=Light.WARNING), limit, *by_since)), overall.yellow),
        not_reported=Shortlist(missing_rows, len(missing_rows)),
        unacknowledged=Shortlist(
            _lines(_first(stored.filter(task__in=awaiting.values("pk")), limit, "number")),
            sum(row.unacknowledged for row in department_list)),
        trend=_trend(stored, on, overall.total),
        unanswered_instructions=Shortlist(list(instructions[:limit]), instructions.count()),
        due=sum(row.due for row in department_list),
        submitted=sum(row.submitted for row in department_list),
        on_time=sum(row.on_time for row in department_list),
    )
    # The joint leads of every task shown, in one query.
    shown = [*dashboard.red, *dashboard.yellow, *dashboard.unacknowledged,
             *(line for row in sections.values() for line in row.lines),
             *(line for row in missing_rows for line in row.missing)]
    prefetch_related_objects([line.task for line in shown], "co_lead_departments")
    return dashboard


def _first(stored, limit, *order):
    """The first `limit` rows in `order` (all with None), chosen before the tasks are joined."""
    if limit is None:
        return stored.order_by(*order)
    return StoredStatus.objects.filter(pk__in=stored.order_by(*order).values("pk")[:limit]).order_by(*order)


def _lines(stored):
    """TaskLines of stored statuses (a queryset or a slice of one), with what the lists show."""
    rows = stored.select_related("task__section", "task__lead_department")
    return [
        TaskLine(task=row.task, status=status_from_stored(row), report_state=row.report_state or None,
                 report_on_time=row.report_on_time)
        for row in rows
    ]


def _add_missing_lines(stored, rows, *, limit):
    """Each row's tasks whose report for the month is due and not counted: the first `limit`."""
    if not rows:
        return
    by_department = {row.department.pk: row for row in rows}
    missing = stored.filter(report_due=True, report_counted=False, lead_department_id__in=by_department)
    if limit is not None:
        missing = missing.annotate(rank=Window(RowNumber(), partition_by=F("lead_department_id"),
                                               order_by=F("number").asc())).filter(rank__lte=limit)
    for line in _lines(missing.order_by("number")):
        by_department[line.task.lead_department_id].missing.append(line)


def _trend(stored, on, total):
    """Per month of the plan's year up to `on`: tasks done, and average progress from reports."""
    sums = {}
    for number in range(1, on.month + 1):
        column = f"month_{number}"
        sums[f"done_{number}"] = Count("pk", filter=Q(**{column: DONE_MARK}))
        sums[f"sum_{number}"] = Coalesce(Sum(column), 0)
    figures = stored.aggregate(**sums) if total else {}
    points = []
    for number in range(1, on.month + 1):
        done = figures.get(f"done_{number}", 0)
        # A done task is stored as DONE_MARK (101) and counts 100 towards the average.
        progress = figures.get(f"sum_{number}", 0) - done * (DONE_MARK - 100)
        points.append(TrendPoint(on.replace(month=number, day=1), done, round(progress / total) if total else 0))
    return points
