"""Nothing lost when a worker dies or beat fires twice.

The crash test runs real Celery workers as separate processes on Redis and PostgreSQL: the first
is held inside the summary's final transaction (by a row lock the test owns), killed with
SIGKILL, and a second worker must then finish the job: exactly one complete summary and one
notification per leader. (The two files the killed run had stored are swept by a later run once
they are older than the job's hard time limit; see test_quarterly_summary.)
"""

import datetime
import os
import signal
import subprocess
import sys
import threading
import uuid

import openpyxl
import psycopg2
import pytest
from django.conf import settings
from django.db import connection, connections
from docx import Document

from reports import jobs
from reports.models import QuarterlySummary
from tasks.models import Notification

from .. import factories
from ..polling import wait_until

needs_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="a real worker needs PostgreSQL and Redis (CI sets DATABASE_URL and REDIS_URL)",
)
pytestmark = [pytest.mark.django_db(transaction=True), needs_services]


@pytest.fixture
def plan_with_work(leader_user, supervisor_user):
    office = factories.department("基础教育科")
    plan = factories.PlanFactory(year=2021, status="active")
    section = factories.SectionFactory(plan=plan, number=1)
    for number in range(1, 6):
        factories.assigned_task(lead=office, section=section, number=number)
    return plan




def start_worker(queue, name):
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "1",
        # Redis hands an unacknowledged job to another worker after this long.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_REDELIVERY_CHECK_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "siping_edu", "worker", "--pool", "solo", "--queues", queue,
         "--hostname", f"{name}-{queue}@%h", "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def waiting_on_a_lock():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_while_building_leaves_exactly_one_complete_summary(plan_with_work, leader_user):
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict
    # Lock the notifications table against writes: the job's "summary ready" notification, inside
    # its final transaction after both files are stored, waits for it, so the worker is killed
    # mid-job for certain, with its transaction open.
    blocker = psycopg2.connect(host=database["HOST"], port=database["PORT"], user=database["USER"],
                               dbname=database["NAME"])
    blocker.cursor().execute("LOCK TABLE tasks_notification IN EXCLUSIVE MODE")
    first = start_worker(queue, "first")
    second = None
    try:
        jobs.generate_quarterly_summary.apply_async((plan_with_work.pk, 1), queue=queue)
        wait_until(waiting_on_a_lock, 60, "the first worker to reach the summary's final transaction")
        assert QuarterlySummary.objects.get().state == QuarterlySummary.State.RUNNING
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        blocker.rollback()
        second = start_worker(queue, "second")
        wait_until(lambda: QuarterlySummary.objects.get().state == QuarterlySummary.State.DONE, 120,
                   "the second worker to finish the redelivered job")
    finally:
        blocker.close()
        for worker in (first, second):
            if worker and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

    summary = QuarterlySummary.objects.get()
    assert QuarterlySummary.objects.count() == 1 and summary.attempts == 2
    assert openpyxl.load_workbook(summary.xlsx.path).sheetnames, "the workbook is complete"
    assert Document(summary.docx.path).paragraphs, "the document is complete"
    assert Notification.objects.filter(recipient=leader_user).count() == 1, "the killed run notified no one"


def test_two_beats_or_a_restarted_beat_do_not_make_the_summary_twice(plan_with_work, settings):
    """generate_due_quarterly_summaries sent twice at once (two beat processes), then again (a
    restarted beat catching up): the quarter's summary is made once."""
    from siping_edu.celery import app

    app.conf.task_always_eager = True  # the requested generation runs here, on commit
    try:
        today = datetime.date(2021, 4, 1)
        original = jobs.timezone.localdate
        jobs.timezone.localdate = lambda: today
        barrier = threading.Barrier(2)

        def beat():
            try:
                barrier.wait(timeout=10)
                jobs.generate_due_quarterly_summaries()
            finally:
                connections.close_all()

        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        jobs.generate_due_quarterly_summaries()
    finally:
        jobs.timezone.localdate = original
        app.conf.task_always_eager = False
    summary = QuarterlySummary.objects.get(plan=plan_with_work, quarter=1)
    assert summary.state == QuarterlySummary.State.DONE and summary.attempts == 1
