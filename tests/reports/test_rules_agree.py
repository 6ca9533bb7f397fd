"""Every consumer of the derived rules (counted, on time, done by, overdue, report due or missing)
gets the same answer as the status engine, task by task and month by month: the dashboard and
its trend, the monthly ledger, the quarterly figures and the reminders."""

import datetime

import pytest

from reports import selectors, services
from reports.models import ReminderLog
from tasks import services as task_services
from tasks import status
from tasks.formats import month_end
from tasks.models import Task

from .. import factories

pytestmark = pytest.mark.django_db
YEAR = 2021
MONTHS = [datetime.date(YEAR, month, 1) for month in range(1, 7)]


def report(task, author, reviewer, month, *, submitted_day, state="accepted", percent):
    """A lead report for `month`, submitted on `submitted_day` (a date, possibly next month)."""
    saved = task_services.report_save(task=task, department=task.lead_department, month=month, author=author,
                                      progress=f"{month.month}月进展", percent=percent)
    if state == "draft":
        return saved
    task_services.report_submit(report=saved, actor=author)
    factories.submitted_on(saved, submitted_day)
    if state == "accepted":
        task_services.report_accept(report=saved, actor=reviewer)
    elif state == "returned":
        task_services.report_return(report=saved, actor=reviewer, note="请补充")
    return saved


@pytest.fixture
def year_of_reports(supervisor_user):
    office = factories.department("基础教育科")
    head = factories.member(office, role="head")
    plan = factories.PlanFactory(year=YEAR)
    section = factories.SectionFactory(plan=plan, number=1)
    tasks = {
        name: factories.assigned_task(lead=office, section=section, number=number, title=name,
                                      deadline=datetime.date(YEAR, 12, 31))
        for number, name in enumerate(["on time", "late reporter", "finished in April", "drafts", "silent"], 1)
    }
    for month in MONTHS:
        report(tasks["on time"], head, supervisor_user, month, submitted_day=month.replace(day=20),
               percent=10 * month.month)
        # Late every month, in March by a whole month (it arrives in April).
        late_day = month.replace(day=28) if month.month != 3 else datetime.date(YEAR, 4, 5)
        report(tasks["late reporter"], head, supervisor_user, month, submitted_day=late_day, state="submitted",
               percent=8 * month.month)
        report(tasks["drafts"], head, supervisor_user, month, submitted_day=month.replace(day=10),
               state=["draft", "returned"][month.month % 2], percent=5)
    for month in MONTHS[:3]:
        report(tasks["finished in April"], head, supervisor_user, month, submitted_day=month.replace(day=15),
               percent=30 * month.month)
    task_services.task_complete(task=tasks["finished in April"], completed_on=datetime.date(YEAR, 4, 12),
                                actor=supervisor_user)
    task_services.milestone_create(task=tasks["silent"], title="出台方案", due_date=datetime.date(YEAR, 3, 31),
                                   actor=supervisor_user)
    return plan


def engine(plan, on):
    tasks = list(Task.objects.filter(plan=plan).order_by("number"))
    return tasks, status.load_status_inputs(tasks, on=on)


def test_dashboard_ledger_and_trend_agree_with_the_engine_month_by_month(year_of_reports):
    plan = year_of_reports
    june = selectors.build_dashboard(plan=plan, on=month_end(MONTHS[-1]))
    for month, trend_point in zip(MONTHS, june.trend):
        on = month_end(month)
        tasks, inputs = engine(plan, on)
        dashboard = selectors.build_dashboard(plan=plan, on=on)
        lines = {line.task.pk: line for row in dashboard.sections for line in row.lines}
        ledger = {row.number: row for row in selectors.monthly_ledger(plan=plan, month=month, on=on)}
        missing = {line.task.pk for row in dashboard.departments for line in row.missing}
        for task in tasks:
            reports = inputs.lead_reports[task.pk]
            this_month = next((r for r in reports if r.month == month), None)
            counted = this_month is not None and status.is_counted(this_month, on=on)
            assert lines[task.pk].report_on_time == (counted and status.is_on_time(this_month)), (task, month)
            assert (task.pk in missing) == status.is_report_missing(task, month, reports, on=on), (task, month)
            assert (ledger[str(task.number)].report is not None) == counted, (task, month)
            light = lines[task.pk].status.light
            assert (light == status.Light.DONE) == status.is_completed_by(task, on), (task, month)
        # The trend drawn in June says, for each month, what that month's own dashboard said.
        assert (trend_point.done, trend_point.average_progress) == (
            dashboard.overall.done, dashboard.overall.average_progress), month
    assert [point.done for point in june.trend] == [0, 0, 0, 1, 1, 1]


def test_the_trend_counts_a_late_report_only_from_its_arrival(year_of_reports):
    march = selectors.build_dashboard(plan=year_of_reports, on=datetime.date(YEAR, 3, 31))
    late = next(line for row in march.sections for line in row.lines if line.task.title == "late reporter")
    assert late.status.actual_percent == 16, "February's 16 %: March's report arrived in April"


def test_quarterly_figures_add_up_the_months_of_the_dashboards(year_of_reports):
    plan = year_of_reports
    for quarter, months in ((1, MONTHS[:3]), (2, MONTHS[3:])):
        figures = selectors.quarterly_figures(plan=plan, quarter=quarter, today=datetime.date(YEAR, 7, 15))
        dashboards = [selectors.build_dashboard(plan=plan, on=month_end(month)) for month in months]
        assert figures["overall"]["reports_due"] == sum(d.due for d in dashboards), quarter
        assert figures["overall"]["reports_on_time"] == sum(d.on_time for d in dashboards), quarter
        tasks, _inputs = engine(plan, month_end(months[-1]))
        assert figures["overall"]["reports_due"] == sum(
            status.is_report_due(task, month, on=month_end(months[-1])) for task in tasks for month in months)
    first = selectors.quarterly_figures(plan=plan, quarter=1, today=datetime.date(YEAR, 7, 15))
    assert first["overall"]["milestones_due"] == 1 and first["overall"]["milestones_on_time"] == 0


def test_reminders_name_exactly_the_open_tasks_the_engine_calls_missing(year_of_reports):
    plan = year_of_reports
    for month in MONTHS:
        today = month.replace(day=26)
        ReminderLog.objects.all().delete()
        services.reminders_send(today=today)
        reminded = {int(key.split("-")[0][1:]) for key in
                    ReminderLog.objects.filter(kind="report_missing").values_list("key", flat=True)}
        tasks, inputs = engine(plan, today)
        # Reminders go out on the day itself, to tasks open that day: the test's data is from today,
        # so only tasks still open now are compared.
        expected = {task.pk for task in tasks if task.state != Task.State.COMPLETED
                    and status.is_report_missing(task, month, inputs.lead_reports[task.pk], on=today)}
        assert reminded == expected, month
        assert expected, "every month has a task whose report is missing"
