"""A quarter's figures for the quarterly summary (季度进展总结)."""

import datetime
from collections import defaultdict

from tasks.formats import month_end
from tasks.models import Milestone, ProgressReport
from tasks.status import (
    COUNTED_STATES,
    is_counted,
    is_done_by,
    is_milestone_due,
    is_on_time,
    is_report_due,
)

from .dashboard import Tally, build_dashboard


def quarter_months(year, quarter):
    return [datetime.date(year, month, 1) for month in range(3 * quarter - 2, 3 * quarter + 1)]


def quarterly_figures(*, plan, quarter, today):
    """The quarter's figures as plain data (stored as JSON and rendered into .xlsx and .docx)."""
    months = quarter_months(plan.year, quarter)
    start, end = months[0], month_end(months[-1])
    on = min(end, today)
    dashboard = build_dashboard(plan=plan, on=on, lines=True)
    lines = [line for row in dashboard.sections for line in row.lines]
    task_ids = [line.task.pk for line in lines]
    lead_of = {line.task.pk: line.task.lead_department_id for line in lines}

    reports = defaultdict(list)
    for report in (
        ProgressReport.objects.filter(task__plan=plan, month__in=months, state__in=COUNTED_STATES)
        .only("task_id", "department_id", "month", "state", "progress", "problems", "percent", "submitted_at")
        .order_by("month")
    ):
        if lead_of.get(report.task_id) == report.department_id and is_counted(report, on=on):
            reports[report.task_id].append(report)
    milestones = Milestone.objects.filter(task__plan=plan, due_date__range=(start, end)).values_list(
        "task_id", "due_date", "done_on", named=True
    )
    milestone_counts = defaultdict(lambda: [0, 0])  # task id -> [due, done on time]
    for milestone in milestones:
        if is_milestone_due(milestone, on):
            milestone_counts[milestone.task_id][0] += 1
            milestone_counts[milestone.task_id][1] += is_done_by(milestone, milestone.due_date)

    def group_figures(group_lines):
        tally = Tally()
        due = on_time = milestones_due = milestones_on_time = 0
        for line in group_lines:
            tally.add(line)
            counts = milestone_counts.get(line.task.pk, [0, 0])
            milestones_due += counts[0]
            milestones_on_time += counts[1]
            for month in months:
                if not is_report_due(line.task, month, on=on):
                    continue
                due += 1
                report = next((r for r in reports[line.task.pk] if r.month == month), None)
                on_time += bool(report and is_on_time(report))
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
            "lead_department": line.task.lead_names,
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
