"""Two people saving the same task or report from pages loaded at the same version, 100 times
each, and 20 reports submitted at the same moment: no save is ever silently lost."""

import datetime
import threading

import pytest
from django.db import connection, connections

from tasks import services
from tasks.models import ProgressReport, Task

from .. import factories

TRIALS = 100
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers, so there is no race to test; CI runs this on PostgreSQL",
    ),
]


def race(*actions):
    """Run the actions at the same moment in separate threads (separate connections)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "saved"
        except services.StaleEditError:
            outcomes[index] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_stale_task_edits_one_wins_one_sees_the_conflict(task, lead_staff, lead_head):
    version = Task.objects.get(pk=task.pk).version

    def edit(user, name):
        return lambda: services.task_update_responsible_person(
            task=Task.objects.get(pk=task.pk), responsible_person=name, actor=user,
            expected_version=version,
        )

    outcomes = []
    for attempt in range(TRIALS):
        outcomes.append(race(edit(lead_staff, f"甲{attempt}"), edit(lead_head, f"乙{attempt}")))
        task.refresh_from_db()
        assert task.version == version + 1, "exactly one save claimed the version"
        assert task.responsible_person in (f"甲{attempt}", f"乙{attempt}")
        version = task.version
    assert outcomes == [["conflict", "saved"]] * TRIALS, "0 silent overwrites"
    print(f"task edits: {TRIALS} trials, {TRIALS} conflicts shown, 0 silent overwrites")


def test_two_stale_report_edits_one_wins(task, lead_staff, lead_head):
    report = services.report_save(
        task=task, department=task.lead_department, month=datetime.date(task.plan.year, 5, 1),
        author=lead_staff, progress="初稿", percent=10,
    )

    def edit(user, text):
        return lambda: services.report_save(
            task=task, department=task.lead_department, month=report.month, author=user,
            progress=text, percent=20, expected_version=report.version,
        )

    for attempt in range(TRIALS):
        assert race(edit(lead_staff, f"甲稿{attempt}"), edit(lead_head, f"乙稿{attempt}")) == ["conflict", "saved"]
        saved = ProgressReport.objects.get(pk=report.pk)
        assert saved.progress in (f"甲稿{attempt}", f"乙稿{attempt}") and saved.version == report.version + 1
        report = saved
    print(f"report edits: {TRIALS} trials, 0 silent overwrites")


def test_twenty_reports_submitted_at_once_are_all_stored(lead_department, lead_head):
    tasks = [factories.assigned_task(lead=lead_department, number=n) for n in range(1, 21)]
    month = datetime.date(tasks[0].plan.year, 5, 1)

    def submit(task, index):
        def action():
            report = services.report_save(task=task, department=lead_department, month=month, author=lead_head,
                                          progress=f"第{index}项进展", percent=index)
            services.report_submit(report=report, actor=lead_head)
        return action

    assert race(*[submit(task, index) for index, task in enumerate(tasks, start=1)]) == ["saved"] * 20
    stored = ProgressReport.objects.filter(month=month, state=ProgressReport.State.SUBMITTED)
    assert sorted(stored.values_list("percent", flat=True)) == list(range(1, 21))

