"""The leaders' dashboard: every figure from one pass over the plan's tasks.

The number of queries does not depend on the number of tasks: tasks, their cooperating offices,
milestones, lead reports, this month's reports, sections and unanswered instructions are each
fetched once, and everything else is counted in memory. Statuses come from tasks/status.py only.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q

from tasks.models import Evidence, Instruction, Milestone, ProgressReport, Task
from tasks.numerals import to_chinese
from tasks.status import Light, load_status_inputs, month_end, reporting_deadline, statuses_for

MATRIX_TASK_LIMIT = 300
LIST_LIMIT = 30
MISSING_TASKS_SHOWN = 3
COUNTED_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)
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
    def instructions_short(self):
        return Shortlist(self.unanswered_instructions)


def plan_tasks(plan, *, departments=None, section_number=None):
    """The tasks in scope, as a queryset used both to load them and as a subquery."""
    tasks = Task.objects.filter(plan=plan)
    if departments:
        tasks = tasks.filter(
            Q(lead_department__in=departments) | Q(cooperating_departments__in=departments)
        ).distinct()
    if section_number is not None:
        tasks = tasks.filter(section__number=section_number)
    return tasks


def _load_tasks(scope, *order, with_cooperating=False):
    tasks = Task.objects.filter(pk__in=scope.values("pk")).select_related("section", "lead_department")
    if with_cooperating:
        tasks = tasks.prefetch_related("cooperating_departments")
    return list(tasks.order_by(*order))


def build_dashboard(*, plan, on, departments=None, section_number=None):
    """Every figure of the dashboard (or of a section's / department's drill-down)."""
    scope = plan_tasks(plan, departments=departments, section_number=section_number)
    tasks = _load_tasks(scope, "number")
    inputs = load_status_inputs(tasks, on=on, scope=scope.values("pk"))
    statuses = statuses_for(tasks, on=on, inputs=inputs)
    month = on.replace(day=1)
    deadline = reporting_deadline(month)
    # Only the lead office's report counts as the task's report for the month.
    this_month = {
        report.task_id: report
        for report in ProgressReport.objects.filter(
            task__in=scope.values("pk"), month=month, department_id=F("task__lead_department_id")
        ).values_list("task_id", "state", "submitted_at", named=True)
    }

    overall, sections, departments_rows = Tally(), {}, {}
    red, yellow = [], []
    for task in tasks:
        status = statuses[task.pk]
        report = this_month.get(task.pk)
        counted = report is not None and report.state in COUNTED_STATES
        line = TaskLine(
            task=task,
            status=status,
            report_state=report.state if report else None,
            report_on_time=counted and report.submitted_at is not None and report.submitted_at <= deadline,
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
        if status.light != Light.DONE:
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
        reporting_day_passed=on > deadline.date(),
        overall=overall,
        sections=[sections[key] for key in sorted(sections, key=lambda k: sections[k].section.number)],
        departments=department_list,
        red=sorted(red, key=by_since),
        yellow=sorted(yellow, key=by_since),
        not_reported=sorted((row for row in department_list if row.missing), key=lambda r: -len(r.missing)),
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
            if task.state == Task.State.COMPLETED and task.completed_on and task.completed_on <= end:
                done += 1
                progress += 100
                continue
            latest = 0
            for report in inputs.lead_reports[task.pk]:
                if report.month > month:
                    break
                if report.state in COUNTED_STATES:
                    latest = report.percent
            progress += latest
        points.append(TrendPoint(month, done, round(progress / len(tasks)) if tasks else 0))
    return points


@dataclass
class LedgerRow:
    """One task of the monthly ledger (月报台账), with its lead office's report for the month."""

    section_number: int
    section_heading: str
    number: str
    title: str
    lead_department: str
    cooperating_departments: str
    responsible_person: str
    deadline_text: str
    status: object
    report: object | None
    evidence_names: list


LEDGER_CHUNK = 1000


def monthly_ledger(*, plan, month, on, section_number=None, departments=None):
    """The ledger's rows in section and task order, produced LEDGER_CHUNK tasks at a time.

    Memory stays the same whatever the plan's size (the writer streams too), and each chunk
    costs the same five queries. Rows are plain values, not model instances.
    """
    scope = Task.objects.filter(pk__in=plan_tasks(plan, departments=departments, section_number=section_number).values("pk"))
    after = Q()
    while True:
        # Keyset pagination in (section, number) order: no list of every id is held.
        tasks = list(
            scope.filter(after)
            .order_by("section__number", "number")
            .values_list("pk", "plan_id", "number", "label", "title", "responsible_person", "deadline",
                         "deadline_text", "state", "completed_on", "lead_department_id", "section__number",
                         "section__title", "lead_department__name", named=True)[:LEDGER_CHUNK]
        )
        if not tasks:
            return
        last = tasks[-1]
        after = Q(section__number__gt=last.section__number) | Q(section__number=last.section__number,
                                                                 number__gt=last.number)
        chunk = [task.pk for task in tasks]
        cooperating = defaultdict(list)
        for task_id, name in (
            Task.cooperating_departments.through.objects.filter(task_id__in=chunk)
            .order_by("department__order", "department__name")
            .values_list("task_id", "department__name")
        ):
            cooperating[task_id].append(name)
        statuses = statuses_for(tasks, on=on)
        reports = {
            report.task_id: report
            for report in ProgressReport.objects.filter(
                task_id__in=chunk, month=month, state__in=COUNTED_STATES, department_id=F("task__lead_department_id")
            ).values_list("pk", "task_id", "progress", "problems", "next_steps", "percent", named=True)
        }
        evidence = defaultdict(list)
        for report_id, name in Evidence.objects.filter(report_id__in=[r.pk for r in reports.values()]).order_by(
            "-uploaded_at"
        ).values_list("report_id", "original_name"):
            evidence[report_id].append(name)
        for task in tasks:
            report = reports.get(task.pk)
            yield LedgerRow(
                section_number=task.section__number,
                section_heading=f"{to_chinese(task.section__number)}、{task.section__title}",
                number=task.label or str(task.number),
                title=task.title,
                lead_department=task.lead_department__name or "",
                cooperating_departments="、".join(cooperating[task.pk]),
                responsible_person=task.responsible_person,
                deadline_text=task.deadline_text,
                status=statuses[task.pk],
                report=report,
                evidence_names=evidence[report.pk] if report else [],
            )


def quarter_months(year, quarter):
    return [datetime.date(year, month, 1) for month in range(3 * quarter - 2, 3 * quarter + 1)]


def quarterly_figures(*, plan, quarter, today):
    """The quarter's figures as plain data (stored as JSON and rendered into .xlsx and .docx)."""
    months = quarter_months(plan.year, quarter)
    start, end = months[0], month_end(months[-1])
    on = min(end, today)
    dashboard = build_dashboard(plan=plan, on=on)
    lines = [line for row in dashboard.sections for line in row.lines]
    task_ids = [line.task.pk for line in lines]
    lead_of = {line.task.pk: line.task.lead_department_id for line in lines}

    reports = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(task__plan=plan, month__in=months, state__in=COUNTED_STATES)
        .only("task_id", "department_id", "month", "progress", "problems", "percent", "submitted_at")
        .order_by("month")
    ):
        if lead_of.get(report.task_id) == report.department_id:
            reports[report.task_id].append(report)
    milestones = Milestone.objects.filter(task__plan=plan, due_date__range=(start, end)).values_list(
        "task_id", "due_date", "done_on"
    )
    milestone_counts = defaultdict(lambda: [0, 0])  # task id -> [due, done on time]
    for task_id, due, done_on in milestones:
        milestone_counts[task_id][0] += 1
        milestone_counts[task_id][1] += bool(done_on and done_on <= due)

    def group_figures(group_lines):
        tally = Tally()
        due = on_time = milestones_due = milestones_on_time = 0
        for line in group_lines:
            tally.add(line)
            counts = milestone_counts.get(line.task.pk, [0, 0])
            milestones_due += counts[0]
            milestones_on_time += counts[1]
            for month in months:
                if month > on:
                    continue
                completed = line.task.completed_on
                if completed and completed < month:
                    continue
                due += 1
                report = next((r for r in reports[line.task.pk] if r.month == month), None)
                on_time += bool(report and report.submitted_at and report.submitted_at <= reporting_deadline(month))
        return {
            "tasks": tally.total,
            "done": tally.done,
            "on_track": tally.green,
            "warning": tally.yellow,
            "late": tally.red,
            "not_started": tally.not_started,
            "completion_rate": tally.completion_rate,
            "average_progress": tally.average_progress,
            "milestones_due": milestones_due,
            "milestones_on_time": milestones_on_time,
            "reports_due": due,
            "reports_on_time": on_time,
            "on_time_rate": round(100 * on_time / due) if due else 0,
        }

    def task_entry(line):
        task_reports = reports[line.task.pk]
        open_problems = next((r.problems for r in reversed(task_reports) if r.problems), "")
        return {
            "number": line.task.display_number,
            "title": line.task.title,
            "lead_department": line.task.lead_department.name if line.task.lead_department else "",
            "status": str(line.status.label),
            "light": line.status.light,
            "reason": line.status.reason,
            "progress": [{"month": r.month.month, "text": r.progress, "percent": r.percent} for r in task_reports],
            "open_problems": open_problems,
        }

    by_department = defaultdict(list)
    for line in lines:
        if line.task.lead_department:
            by_department[line.task.lead_department].append(line)
    return {
        "plan": plan.title,
        "year": plan.year,
        "quarter": quarter,
        "as_of": on.isoformat(),
        "overall": group_figures(lines),
        "sections": [
            {"label": f"{row.section.label}{row.section.title}", **group_figures(row.lines),
             "tasks_detail": [task_entry(line) for line in row.lines]}
            for row in dashboard.sections
        ],
        "departments": [
            {"name": department.name, **group_figures(department_lines)}
            for department, department_lines in sorted(by_department.items(), key=lambda item: (item[0].order, item[0].name))
        ],
        "late_tasks": [task_entry(line) for line in dashboard.red],
        "task_count": len(task_ids),
    }
