"""Faults survived: each part the portal stands on fails for real, and the portal degrades, says
so, and loses nothing (docs/RELIABILITY.md; `make faults` drives the same faults under load).

- Redis gone: a real redis-server, stopped. Pages serve from the database, sessions hold, a summary
  asked for stays queued and is sent when Redis is back.
- PostgreSQL gone: the test database refuses connections and its sessions are cut, as in a
  restart. Pages answer a Chinese 503; a report posted then is shown back with a retry button; once
  the database is back the same server answers again and the retry saves the report once.
- The file store refusing: a bucket that is gone, a disk path that cannot be written. The upload is
  refused with a message, the text is kept and nothing half-written stays; a summary records the
  failure and retries.
- A request killed half-way (SIGKILL) while publishing, carrying over or importing: the database is
  as before and the retry does not double anything.
- A mail server that stalls: bounded by EMAIL_TIMEOUT, the job fails, retries and is recorded.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from ops.cluster import RedisServer
from reports.models import QuarterlySummary
from tasks.models import Evidence, Plan, ProgressReport, Task

from . import factories
from .files import pdf_bytes, upload
from .polling import wait_until

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the fault is PostgreSQL's (CI sets DATABASE_URL)")






# Redis


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (CI machines have it)")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def forget_broker_connections(app):
    """Celery caches its broker connection pool and the producers on it: drop both, so the next
    send uses the broker now configured (and later tests get theirs back)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def on_that_redis(redis_server, settings):
    """Cache and broker on the test's own Redis, with jobs sent to it (not run in-process)."""
    from siping_edu.cache import _Outage
    from siping_edu.celery import app

    settings.REDIS_URL = redis_server.url
    settings.CACHES = {"default": {"BACKEND": "siping_edu.cache.ResilientRedisCache", "LOCATION": redis_server.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False,
                    broker_transport_options={"socket_connect_timeout": 1})
    forget_broker_connections(app)
    _Outage.down_since, _Outage.retry_at = None, 0.0
    yield redis_server
    app.conf.update(saved)
    forget_broker_connections(app)
    _Outage.down_since, _Outage.retry_at = None, 0.0


@pytest.mark.django_db
def test_with_redis_gone_pages_serve_and_a_summary_waits_to_be_sent(on_that_redis, client, task, lead_staff,
                                                                    supervisor_user, leader_user):
    import redis

    client.force_login(leader_user)
    assert client.get(reverse("reports:dashboard")).status_code == 200  # cached in Redis
    on_that_redis.stop()

    started = time.monotonic()
    for user, url in [(leader_user, reverse("reports:dashboard")), (lead_staff, reverse("tasks:my_tasks")),
                      (lead_staff, reverse("tasks:task_detail", args=[task.plan.year, task.number]))]:
        client.force_login(user)
        assert client.get(url).status_code == 200, url
    client.logout()
    login = client.post(reverse("login"), {"username": lead_staff.username, "password": factories.TEST_PASSWORD})
    assert login.status_code == 302, "sessions are in the database: logging in works"
    report = client.post(reverse("tasks:report_edit", args=[task.plan.year, task.number]),
                         {"month": f"{task.plan.year}-05", "progress": "Redis停了也能保存。", "percent": 20, "save": "1"})
    assert report.status_code == 302 and ProgressReport.objects.count() == 1

    client.force_login(supervisor_user)
    asked = client.post(reverse("reports:summary_generate", args=[task.plan.year, 2]))
    assert asked.status_code == 302, "the request is taken, not refused"
    assert QuarterlySummary.objects.get().state == QuarterlySummary.State.QUEUED
    assert time.monotonic() - started < 15, "each call gives up on Redis within its timeout"

    from reports.services import summaries_resend_waiting

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=10)
    assert summaries_resend_waiting(now=later) == 0, "still down: nothing sent, nothing lost"
    on_that_redis.start()
    assert summaries_resend_waiting(now=later) == 1
    assert redis.Redis.from_url(on_that_redis.url).llen("celery") == 1, "the job is on the queue now"
    client.force_login(leader_user)
    assert client.get(reverse("reports:dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_dashboard_cached_before_an_outage_is_not_served_after_a_change_during_it(on_that_redis, client, task,
                                                                                    leader_user, lead_staff):
    from tasks import services
    from tasks.status import data_revision

    client.force_login(leader_user)
    client.get(reverse("reports:dashboard"))
    before = data_revision()
    on_that_redis.stop()
    services.report_save(task=task, department=task.lead_department, month=datetime.date(task.plan.year, 5, 1),
                         author=lead_staff, progress="停机期间的进展。", percent=40)
    on_that_redis.start()
    assert data_revision() != before, "the revision owed during the outage is stored once Redis answers"


# PostgreSQL


@pytest.fixture
def database_outage(live_server):
    """Cut the live server's database as a restart would: refuse new connections and end the open
    ones (this test's own connection excepted); `restore()` lets them in again."""
    database = connection.settings_dict
    name = database["NAME"]
    admin = psycopg2.connect(host=database["HOST"], port=database["PORT"], user=database["USER"], dbname="postgres")
    admin.autocommit = True
    own = connection.cursor().connection.info.backend_pid

    class Outage:
        def begin(self):
            with admin.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                               [name, own])

        def end(self):
            with admin.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')

    outage = Outage()
    yield outage
    outage.end()
    admin.close()


class Browser:
    """urllib against the live server, with a session cookie and the CSRF cookie."""

    def __init__(self, base, session_cookie):
        self.base = base
        self.csrf = "a" * 32
        self.cookie = f"sessionid={session_cookie}; csrftoken={self.csrf}"

    def request(self, path, data=None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True).encode() if data else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Cookie": self.cookie, "Referer": self.base})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_restarting_pages_answer_503_and_a_report_is_saved_once_on_retry(
        database_outage, live_server, client, task, lead_staff):
    import html
    import re

    client.force_login(lead_staff)
    browser = Browser(live_server.url, client.cookies["sessionid"].value)
    report_path = reverse("tasks:report_edit", args=[task.plan.year, task.number])
    assert browser.request(report_path)[0] == 200

    database_outage.begin()
    status, page = browser.request(reverse("tasks:my_tasks"))
    assert status == 503 and "系统繁忙" in page and "Traceback" not in page
    fields = {"month": f"{task.plan.year}-05", "progress": "数据库重启时填写的进展。", "problems": "经费待落实",
              "percent": "30", "save": "1"}
    status, page = browser.request(report_path, fields)
    assert status == 503 and "数据库重启时填写的进展。" in page and "经费待落实" in page, "the text is shown back"
    assert "重新提交" in page

    database_outage.end()
    assert browser.request(reverse("tasks:my_tasks"))[0] == 200, "the same server reconnects by itself"
    retry = {html.unescape(name): html.unescape(value)
             for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)}
    assert retry["progress"] == fields["progress"] and retry["percent"] == "30"
    assert browser.request(report_path, retry)[0] == 302
    assert browser.request(report_path, retry)[0] in (302, 400), "a second retry changes nothing"
    report = ProgressReport.objects.get()
    assert report.progress == fields["progress"] and ProgressReport.objects.count() == 1


# The file store


@pytest.fixture(params=["bucket gone", "disk path unwritable"])
def refusing_storage(request, settings, tmp_path):
    if request.param == "bucket gone":
        from .conftest import use_s3

        use_s3(settings, request.getfixturevalue("s3_endpoint"), "bucket-that-is-not-there")
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = blocker / "media"
    return request.param


@pytest.mark.django_db
def test_an_upload_the_store_refuses_is_refused_with_the_text_kept(refusing_storage, client, task, lead_staff):
    client.force_login(lead_staff)
    response = client.post(reverse("tasks:report_edit", args=[task.plan.year, task.number]), {
        "month": f"{task.plan.year}-05", "progress": "存储满时填写的进展。", "percent": 20, "save": "1",
        "files": [upload("方案.pdf", pdf_bytes())]})
    page = response.content.decode()
    assert response.status_code == 400 and "文件存储" in page and "存储满时填写的进展。" in page
    assert not ProgressReport.objects.exists() and not Evidence.all_objects.exists()


@pytest.mark.django_db
def test_a_summary_the_store_refuses_records_the_failure_and_retries(refusing_storage, task):
    from celery.exceptions import Retry

    from reports.jobs import generate_quarterly_summary
    from siping_edu.stored_files import storage_errors

    with pytest.raises(Retry):  # the first attempt: retried later, with backoff
        generate_quarterly_summary.apply((task.plan.pk, 2), throw=True)
    summary = QuarterlySummary.objects.get()
    assert summary.state == QuarterlySummary.State.FAILED and summary.error and summary.attempts == 1
    with pytest.raises(storage_errors()):  # the last attempt: the failure stays recorded
        generate_quarterly_summary.apply((task.plan.pk, 2), retries=generate_quarterly_summary.max_retries, throw=True)
    summary.refresh_from_db()
    assert summary.state == QuarterlySummary.State.FAILED and summary.attempts == 2


# A request killed half-way

KILLED = {
    "publish": ("tasks_notification", """
from tasks.models import Plan
from tasks.services import plan_publish
from django.contrib.auth import get_user_model
plan_publish(plan=Plan.objects.get(year=2031), actor=get_user_model().objects.get(username="supervisor"))
"""),
    "carry-over": ("tasks_milestone", """
from tasks.models import Plan
from tasks.services import plan_carry_over
from django.contrib.auth import get_user_model
plan = Plan.objects.get(year=2030)
plan_carry_over(plan=plan, tasks=list(plan.tasks.all()), year=2032, actor=get_user_model().objects.get(username="supervisor"))
"""),
}


def counts():
    from django.contrib.auth.models import Permission  # noqa: F401 — guardian's rows below
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from tasks.models import Milestone, Notification

    return {"plans": Plan.objects.count(), "published": Plan.objects.exclude(published_at=None).count(),
            "tasks": Task.objects.count(), "milestones": Milestone.objects.count(),
            "notifications": Notification.objects.count(),
            "grants": UserObjectPermission.objects.count() + GroupObjectPermission.objects.count()}


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("operation", sorted(KILLED))
def test_a_request_killed_half_way_leaves_the_database_as_before_and_the_retry_counts_once(
        operation, supervisor_user, lead_department, lead_staff):
    from tasks import services

    for year, status in ((2030, Plan.Status.ACTIVE), (2031, Plan.Status.DRAFT)):
        plan = factories.PlanFactory(year=year, status=status)
        section = factories.SectionFactory(plan=plan, number=1)
        for number in (1, 2, 3):
            item = factories.assigned_task(lead=lead_department, section=section, number=number)
            item.deadline = datetime.date(year, 12, 31)
            item.save()
            factories.MilestoneFactory(task=item, due_date=datetime.date(year, 6, 30))
    table, code = KILLED[operation]
    before = counts()
    database = connection.settings_dict
    blocker = psycopg2.connect(host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"])
    blocker.cursor().execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    environment = {**os.environ, "DEBUG": "1",
                   "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"}
    worker = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", code], cwd=settings.BASE_DIR, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def waiting():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                               "AND wait_event_type = 'Lock'")
                return cursor.fetchone()[0] > 0

        wait_until(waiting, 60, f"the {operation} to reach its last writes")
        os.kill(worker.pid, signal.SIGKILL)  # as gunicorn kills a worker past its timeout
        worker.wait(timeout=30)
    finally:
        blocker.close()
    assert counts() == before, "the killed request's transaction was rolled back"

    actor = supervisor_user
    if operation == "publish":
        services.plan_publish(plan=Plan.objects.get(year=2031), actor=actor)
        after = counts()
        assert after["published"] == before["published"] + 1 and after["notifications"] > before["notifications"]
    else:
        origin = Plan.objects.get(year=2030)
        services.plan_carry_over(plan=origin, tasks=list(origin.tasks.all()), year=2032, actor=actor)
        services.plan_carry_over(plan=origin, tasks=list(origin.tasks.all()), year=2032, actor=actor)
        assert Task.objects.filter(plan__year=2032).count() == 3, "the retry, even twice, copies each task once"


# A mail server that stalls


@pytest.mark.django_db
def test_a_stalled_mail_server_is_cut_off_and_the_digest_job_retries(settings, lead_staff):
    from departments.models import Account
    from tasks.jobs import send_notification_digests
    from tasks.models import Notification

    stalled = socket.socket()
    stalled.bind(("127.0.0.1", 0))
    stalled.listen(8)  # accepts connections and never says a word
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stalled.getsockname()[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    account, _created = Account.objects.get_or_create(user=lead_staff)
    account.email, account.email_digest = "staff@example.cn", True
    account.save()
    Notification.objects.create(recipient=lead_staff, message="新的督办通知")
    from celery.exceptions import Retry

    started = time.monotonic()
    try:
        with pytest.raises(Retry):
            send_notification_digests.apply(throw=True)
        with pytest.raises(OSError):
            send_notification_digests.apply(retries=send_notification_digests.max_retries, throw=True)
    finally:
        stalled.close()
    assert time.monotonic() - started < 20, "each attempt is cut off after EMAIL_TIMEOUT, never left hanging"
    assert Account.objects.get(pk=account.pk).digest_sent_at is None, "not marked sent: the next run sends it"


@pytest.mark.django_db
def test_asking_for_a_summary_while_the_store_refuses_is_not_a_500(refusing_storage, client, task, supervisor_user,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(supervisor_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:summary_generate", args=[task.plan.year, 2]))
    assert response.status_code == 302
    summary = QuarterlySummary.objects.get()
    if settings.CELERY_TASK_ALWAYS_EAGER:  # the embedded default ran it here: the failure is recorded
        assert summary.state == QuarterlySummary.State.FAILED and summary.error
    else:  # a worker will run it
        assert summary.state == QuarterlySummary.State.QUEUED
