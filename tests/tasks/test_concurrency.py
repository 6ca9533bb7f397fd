"""Two people saving the same task or report from pages loaded at the same version."""

import datetime
import threading

import pytest
from django.db import connection, connections

from tasks import services
from tasks.models import ProgressReport, Task

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

    for attempt in range(5):
        assert race(edit(lead_staff, f"甲{attempt}"), edit(lead_head, f"乙{attempt}")) == ["conflict", "saved"]
        task.refresh_from_db()
        assert task.version == version + 1
        assert task.responsible_person in (f"甲{attempt}", f"乙{attempt}")
        version = task.version


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

    assert race(edit(lead_staff, "甲稿"), edit(lead_head, "乙稿")) == ["conflict", "saved"]
    saved = ProgressReport.objects.get(pk=report.pk)
    assert saved.progress in ("甲稿", "乙稿") and saved.version == report.version + 1
