"""The leaders' dashboard: every figure from one pass over the plan's tasks.

The number of queries does not depend on the number of tasks: tasks, their cooperating offices,
milestones, lead reports, this month's reports, sections and unanswered instructions are each
fetched once, and everything else is counted in memory. Statuses come from tasks/status.py only.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from tasks.formats import month_end
from tasks.models import Instruction, ProgressReport, Task
from tasks.status import (
    Light,
    is_awaiting_acknowledgement,
    is_completed_by,
    is_counted,
    is_on_time,
    is_report_due,
    latest_counted,
    load_status_inputs,
    reporting_deadline,
    statuses_for,
)

MATRIX_TASK_LIMIT = 300
LIST_LIMIT = 30
MISSING_TASKS_SHOWN = 3
LIGHT_ORDER = [Light.DONE, Light.AHEAD, Light.NORMAL, Light.WARNING, Light.LATE, Light.NOT_STARTED]


@dataclass
class Shortlist:
    """The first entries of a long list, and how many more there are."""

    items: list
    limit: int = LIST_LIMIT

    @property
    def shown(self):
        return self.items[:self.limit]

    @property
    def more(self):
        return max(0, len(self.items) - self.limit)


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
        self.lights[line.status.light] += 1
        self.progress_total += 100 if line.status.light == Light.DONE else (line.status.actual_percent or 0)

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
    missing: list = field(default_factory=list)
    unacknowledged: int = 0  # 未签收

    @property
    def missing_short(self):
        return Shortlist(self.missing, MISSING_TASKS_SHOWN)


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
    red: list
    yellow: list
    not_reported: list
    unacknowledged: list  # 未签收: published tasks their lead unit has not acknowledged
    trend: list
    unanswered_instructions: list
    due: int
    submitted: int
    on_time: int

    @property
    def on_time_rate(self):
        return round(100 * self.on_time / self.due) if self.due else 0

    # A province's plan has thousands of tasks: a page listing them all is megabytes that nobody
    # reads. Beyond these sizes the page shows sections and the first items of each list, and
    # the section pages and the ledger have the rest.
    @property
    def per_task_matrix(self):
        return self.overall.total <= MATRIX_TASK_LIMIT

    @property
    def red_short(self):
        return Shortlist(self.red)

    @property
    def yellow_short(self):
        return Shortlist(self.yellow)

    @property
    def not_reported_short(self):
        return Shortlist(self.not_reported)

    @property
    def unacknowledged_short(self):
        return Shortlist(self.unacknowledged)

    @property
    def instructions_short(self):
        return Shortlist(self.unanswered_instructions)


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


def _load_tasks(scope, *order):
    tasks = Task.objects.filter(pk__in=scope.values("pk")).select_related("section", "lead_department")
    return list(tasks.prefetch_related("co_lead_departments").order_by(*order))


def build_dashboard(*, plan, on, departments=None, section_number=None):
    """Every figure of the dashboard (or of a section's / department's drill-down)."""
    scope = plan_tasks(plan, departments=departments, section_number=section_number)
    tasks = _load_tasks(scope, "number")
    inputs = load_status_inputs(tasks, on=on, scope=scope.values("pk"))
    statuses = statuses_for(tasks, on=on, inputs=inputs)
    month = on.replace(day=1)
    # Only the lead office's report counts as the task's report for the month.
    this_month = {
        task_id: report
        for task_id, reports in inputs.lead_reports.items()
        for report in reports if report.month == month
    }

    overall, sections, departments_rows = Tally(), {}, {}
    red, yellow, unacknowledged = [], [], []
    for task in tasks:
        task.plan = plan  # loaded once for all: the acknowledgement rule reads the plan's state
        status = statuses[task.pk]
        report = this_month.get(task.pk)
        counted = report is not None and is_counted(report, on=on)
        line = TaskLine(
            task=task,
            status=status,
            report_state=report.state if report else None,
            report_on_time=counted and is_on_time(report),
        )
        overall.add(line)
        section_row = sections.setdefault(task.section_id, SectionRow(task.section))
        section_row.tally.add(line)
        section_row.lines.append(line)
        if status.light == Light.LATE:
            red.append(line)
        elif status.light == Light.WARNING:
            yellow.append(line)
        if task.lead_department is None:
            continue
        row = departments_rows.setdefault(task.lead_department_id, DepartmentRow(task.lead_department))
        row.tally.add(line)
        if is_awaiting_acknowledgement(task):
            unacknowledged.append(line)
            row.unacknowledged += 1
        if is_report_due(task, month, on=on):
            row.due += 1
            if counted:
                row.submitted += 1
                row.on_time += line.report_on_time
            else:
                row.missing.append(line)

    by_since = lambda line: (line.status.since or on, line.task.number)  # noqa: E731
    department_list = sorted(departments_rows.values(), key=lambda r: (r.department.order, r.department.name))
    return Dashboard(
        plan=plan,
        on=on,
        month=month,
        reporting_day_passed=on > reporting_deadline(month).date(),
        overall=overall,
        sections=[sections[key] for key in sorted(sections, key=lambda k: sections[k].section.number)],
        departments=department_list,
        red=sorted(red, key=by_since),
        yellow=sorted(yellow, key=by_since),
        not_reported=sorted((row for row in department_list if row.missing), key=lambda r: -len(r.missing)),
        unacknowledged=unacknowledged,
        trend=_trend(tasks, inputs, on),
        unanswered_instructions=list(
            Instruction.objects.filter(task__in=scope.values("pk"), replies__isnull=True)
            .select_related("task__plan", "task__lead_department", "author")
            .order_by("created_at")
        ),
        due=sum(row.due for row in department_list),
        submitted=sum(row.submitted for row in department_list),
        on_time=sum(row.on_time for row in department_list),
    )


def _trend(tasks, inputs, on):
    """Per month of the plan's year up to `on`: tasks done, and average progress from reports."""
    points = []
    months = [on.replace(month=m, day=1) for m in range(1, on.month + 1)]
    for month in months:
        end = min(month_end(month), on)
        done, progress = 0, 0
        for task in tasks:
            if is_completed_by(task, end):
                done += 1
                progress += 100
                continue
            latest = latest_counted(inputs.lead_reports[task.pk], on=end)
            progress += latest.percent if latest else 0
        points.append(TrendPoint(month, done, round(progress / len(tasks)) if tasks else 0))
    return points
