"""The status engine against a table of cases: each rule, each boundary."""

import datetime

import pytest

from tasks.models import Milestone, ProgressReport, Task
from tasks.status import Light, evaluate, expected_percent

D = datetime.date
START = D(2021, 1, 1)


def task(deadline=D(2021, 12, 31), state=Task.State.IN_PROGRESS, completed_on=None):
    return Task(number=1, title="任务", deadline=deadline, state=state, completed_on=completed_on)


def milestone(due, done=None, title="出台实施方案"):
    return Milestone(title=title, due_date=due, done_on=done)


def report(month, percent, state=ProgressReport.State.ACCEPTED):
    return ProgressReport(month=month, percent=percent, state=state)


CASES = [
    # (name, task, milestones, reports, on, light, reason fragment)
    ("done", task(state=Task.State.COMPLETED, completed_on=D(2021, 6, 1)), [], [], D(2021, 7, 1), Light.DONE, "已于 2021-06-01 办结"),
    ("done later than as-of is not done yet", task(deadline=None, state=Task.State.COMPLETED, completed_on=D(2021, 6, 1)), [], [], D(2021, 5, 20), Light.NOT_STARTED, ""),
    ("deadline passed", task(deadline=D(2021, 6, 30)), [], [report(D(2021, 6, 1), 100)], D(2021, 7, 12), Light.LATE, "已超过完成时限 12 天"),
    ("milestone overdue", task(), [milestone(D(2021, 3, 31))], [report(D(2021, 4, 1), 40)], D(2021, 4, 12), Light.LATE, "节点‘出台实施方案’逾期 12 天"),
    ("milestone due in 7 days", task(), [milestone(D(2021, 4, 19))], [report(D(2021, 4, 1), 0)], D(2021, 4, 12), Light.WARNING, "还有 7 天到期"),
    ("milestone due in 8 days", task(), [milestone(D(2021, 4, 20)), milestone(D(2021, 1, 31), D(2021, 1, 30))], [report(D(2021, 4, 1), 50)], D(2021, 4, 12), Light.NORMAL, ""),
    ("31 points behind", task(), [milestone(D(2021, 1, 31), D(2021, 1, 31)), milestone(D(2021, 12, 31))], [report(D(2021, 3, 1), 19)], D(2021, 3, 10), Light.LATE, "进度 19%，序时 50%"),
    ("30 points behind is a warning", task(), [milestone(D(2021, 1, 31), D(2021, 1, 31)), milestone(D(2021, 12, 31))], [report(D(2021, 3, 1), 20)], D(2021, 3, 10), Light.WARNING, "进度 20%，序时 50%"),
    ("10 points behind is a warning", task(), [milestone(D(2021, 1, 31), D(2021, 1, 31)), milestone(D(2021, 12, 31))], [report(D(2021, 3, 1), 40)], D(2021, 3, 10), Light.WARNING, "序时 50%"),
    ("9 points behind is normal", task(), [milestone(D(2021, 1, 31), D(2021, 1, 31)), milestone(D(2021, 12, 31))], [report(D(2021, 3, 1), 41)], D(2021, 3, 10), Light.NORMAL, ""),
    ("10 points ahead", task(), [milestone(D(2021, 1, 31), D(2021, 1, 31)), milestone(D(2021, 12, 31))], [report(D(2021, 3, 1), 60)], D(2021, 3, 10), Light.AHEAD, ""),
    ("report missing after the reporting day", task(), [], [report(D(2021, 2, 1), 30)], D(2021, 3, 26), Light.WARNING, "本月未报送"),
    ("report not yet due on the reporting day", task(deadline=None), [], [report(D(2021, 2, 1), 30)], D(2021, 3, 25), Light.NORMAL, ""),
    ("no deadline: judged by reporting and milestones", task(deadline=None), [], [report(D(2021, 3, 1), 5)], D(2021, 3, 20), Light.NORMAL, ""),
    ("nothing reported, nothing due", task(), [milestone(D(2021, 6, 30))], [], D(2021, 2, 10), Light.NOT_STARTED, "尚未报送进展"),
    ("drafts do not count", task(), [milestone(D(2021, 6, 30))], [report(D(2021, 2, 1), 50, ProgressReport.State.DRAFT)], D(2021, 2, 10), Light.NOT_STARTED, ""),
    ("as of a past month-end ignores later reports", task(deadline=None), [], [report(D(2021, 6, 1), 50)], D(2021, 5, 31), Light.WARNING, "本月未报送"),
]


@pytest.mark.parametrize("name, the_task, milestones, reports, on, light, reason", CASES, ids=[c[0] for c in CASES])
def test_status_rules(settings, name, the_task, milestones, reports, on, light, reason):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        status = evaluate(the_task, on=on, milestones=milestones, lead_reports=reports, plan_start=START)
        assert status.light == light, status.reasons
        assert reason in status.reason


def test_expected_progress_from_time_without_milestones():
    assert expected_percent(task(deadline=D(2021, 12, 31)), [], D(2021, 7, 2), START) == 50
    assert expected_percent(task(deadline=None), [], D(2021, 7, 2), START) is None
    assert expected_percent(task(), [milestone(D(2021, 3, 1)), milestone(D(2021, 9, 1))], D(2021, 7, 2), START) == 50


def test_as_of_counts_only_reports_submitted_by_then():
    from django.utils import timezone

    may = report(D(2021, 5, 1), 40)
    may.submitted_at = timezone.make_aware(datetime.datetime(2021, 5, 20, 9))
    june = report(D(2021, 6, 1), 70)
    june.submitted_at = timezone.make_aware(datetime.datetime(2021, 6, 20, 9))
    late_may = report(D(2021, 4, 1), 35)
    late_may.submitted_at = timezone.make_aware(datetime.datetime(2021, 6, 2, 9))
    status = evaluate(task(deadline=None), on=D(2021, 5, 31), milestones=[], lead_reports=[may, june, late_may], plan_start=START)
    assert status.actual_percent == 40 and status.light == Light.NORMAL
