"""Stateless hosts, proven: two web instances behind nginx, a worker and two beats, on the shared
PostgreSQL, Redis and S3 endpoint (ops/cluster.py; `make cluster-check` runs this file alone).

A session made through the proxy works on either instance; evidence uploaded through one is
downloaded through the other; a summary requested through the proxy is built by the worker and
served by both, and the worker's log names the request that asked for it; of two beats only one
sends the schedule, and the other takes over when it is killed; with one instance killed, the
proxy keeps serving; and no host keeps a file of its own.
"""

import io
import json
import os

import openpyxl
import pytest
import redis
from django.db import connection
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ops.cluster import Cluster, nginx_binary
from reports.models import QuarterlySummary
from tasks.models import Evidence

from ..conftest import s3_bucket, s3_client, s3_settings
from ..files import pdf_bytes
from ..polling import wait_until

needs_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL") or not nginx_binary(),
    reason="the cluster needs PostgreSQL, Redis and nginx (CI sets DATABASE_URL and REDIS_URL; "
           "`make test` installs nginx)",
)
pytestmark = [pytest.mark.django_db(transaction=True), needs_services]
PASSWORD = "Cluster-Check-2026!"
CLUSTER_REDIS_DB = 7  # its own broker, cache and lock: no other test's queued job reaches its worker




class Browser:
    """A person's session: through the proxy, or straight to one instance (as the proxy would
    forward it: HTTPS said by X-Forwarded-Proto, the same cookies)."""

    def __init__(self, cluster):
        import requests
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.cluster = cluster
        self.session = requests.Session()
        self.session.verify = False  # the cluster's own self-signed certificate
        self.session.trust_env = False  # loopback only: no proxy, no CA bundle from the environment

    def base(self, web=None):
        return self.cluster.url if web is None else f"http://127.0.0.1:{web.port}"

    def headers(self, web, path):
        if web is None:
            return {"Referer": self.cluster.url + path}
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)
        return {"X-Forwarded-Proto": "https", "Cookie": cookies, "Referer": f"https://127.0.0.1:{web.port}{path}"}

    def get(self, path, web=None):
        kwargs = {} if web is None else {"cookies": {}}
        return self.session.get(self.base(web) + path, headers=self.headers(web, path), allow_redirects=False,
                                timeout=30, **kwargs)

    def post(self, path, data, files=None, web=None):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken")}
        kwargs = {} if web is None else {"cookies": {}}
        return self.session.post(self.base(web) + path, data=data, files=files, headers=self.headers(web, path),
                                 allow_redirects=False, timeout=60, **kwargs)

    def login(self, username):
        self.get(reverse("login"))
        response = self.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text[:500]
        return self


def log_lines(process):
    for line in process.log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except ValueError:
                continue


def heartbeat_senders(worker):
    return [line["message"].rsplit(" ", 1)[1] for line in log_lines(worker)
            if line.get("message", "").startswith("beat heartbeat sent by")]


def files_on_host(process):
    media = process.home / "media"
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def people(task, lead_staff, supervisor_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # what the hosts accept
    for user in (lead_staff, supervisor_user):
        user.set_password(PASSWORD)
        user.save()
    return task, lead_staff, supervisor_user


def test_two_instances_one_worker_two_beats_behind_nginx(people, s3_endpoint, tmp_path):
    task, lead_staff, supervisor = people
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.update_or_create(name="cluster-check heartbeat", defaults={
        "task": "ops.jobs.beat_heartbeat", "interval": every_second, "enabled": True})
    database = connection.settings_dict
    redis_url = f"{os.environ['REDIS_URL'].rsplit('/', 1)[0]}/{CLUSTER_REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    bucket = s3_bucket(s3_endpoint)
    environment = {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": redis_url,
        **s3_settings(s3_endpoint, bucket),
    }
    with Cluster(tmp_path / "cluster", environment, web_count=2, beat_count=2) as cluster:
        first, second = cluster.webs
        proxy = Browser(cluster)
        assert proxy.get("/healthz").text == "ok\n"
        ready = proxy.session.get(cluster.url + "/readyz", headers={"Accept": "application/json"})
        assert ready.status_code == 200 and all(value == "OK" for value in ready.json().values()), ready.text
        assert any("Redis" in name for name in ready.json()) and any("Storage" in name for name in ready.json())
        assert proxy.get("/metrics").status_code == 404, "the public proxy does not route /metrics"

        # One login through the proxy; the session works on both instances.
        staff = Browser(cluster).login(lead_staff.username)
        my_tasks = reverse("tasks:my_tasks")
        assert staff.get(my_tasks, web=first).status_code == 200
        assert staff.get(my_tasks, web=second).status_code == 200

        # Evidence uploaded through the first instance, downloaded through the second.
        report_url = reverse("tasks:report_edit", kwargs={"year": task.plan.year, "number": task.number})
        saved = staff.post(report_url, {"month": f"{task.plan.year}-05", "progress": "集群上传。", "percent": 30,
                                        "save": "1"},
                           files={"files": ("工作方案.pdf", pdf_bytes(), "application/pdf")}, web=first)
        assert saved.status_code == 302, saved.text[:1000]
        evidence = Evidence.objects.get()
        download = staff.get(reverse("tasks:evidence_download", args=[evidence.pk]), web=second)
        assert download.status_code == 200 and download.content == pdf_bytes()
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in download.headers["Content-Disposition"]

        # A summary asked for through the proxy, built by the worker, served by either instance.
        office = Browser(cluster).login(supervisor.username)
        asked = office.post(reverse("reports:summary_generate", args=[task.plan.year, 2]), {})
        assert asked.status_code == 302, asked.text[:500]
        request_id = asked.headers["X-Request-ID"]
        summary = wait_until(lambda: QuarterlySummary.objects.filter(state=QuarterlySummary.State.DONE).first(), 120,
                             "the worker to build the summary")
        files = [office.get(reverse("reports:summary_file", args=[summary.pk, "xlsx"]), web=web) for web in (first, second)]
        assert [response.status_code for response in files] == [200, 200] and files[0].content == files[1].content
        assert openpyxl.load_workbook(io.BytesIO(files[0].content)).sheetnames
        job_lines = [line for line in log_lines(cluster.worker) if line.get("request_id") == request_id]
        assert job_lines, "the worker's log lines carry the request id of the request that enqueued the job"
        access_log = (cluster.root / "nginx" / "access.jsonl").read_text()
        assert f'"request_id":"{request_id}"' in access_log, "the same id in the proxy's log"

        # Two beats: one sends the schedule; killed, the other takes over.
        senders = wait_until(lambda: (found := heartbeat_senders(cluster.worker)) and len(found) >= 3 and found,
                             60, "three heartbeats")
        assert len(set(senders)) == 1, f"only the leader beat sends: {senders}"
        leader = next(beat for beat in cluster.beats if senders[0].startswith(f"gen{beat.popen.pid}@"))
        standby = next(beat for beat in cluster.beats if beat is not leader)
        leader.kill()
        before = len(heartbeat_senders(cluster.worker))
        wait_until(lambda: any(sender.startswith(f"gen{standby.popen.pid}@")
                               for sender in heartbeat_senders(cluster.worker)[before:]),
                   60, "the standby beat to take over")
        after = heartbeat_senders(cluster.worker)[before:]
        assert {sender.split("@")[0] for sender in after} <= {f"gen{leader.popen.pid}", f"gen{standby.popen.pid}"}

        # Metrics, scraped on an instance's own address (internal network).
        metrics = staff.session.get(f"http://127.0.0.1:{second.port}/metrics").text
        assert "django_http_requests_total_by_method_total" in metrics
        assert 'siping_celery_queue_length{queue="celery"}' in metrics
        assert 'job="reports.jobs.generate_quarterly_summary",outcome="succeeded"' in metrics, [l for l in metrics.splitlines() if "siping" in l]

        # One instance killed: the proxy keeps serving, sessions and all.
        first.kill()
        answers = [staff.get(my_tasks).status_code for _ in range(20)]
        assert answers == [200] * 20

        # Both killed: nginx answers with its own Chinese page, not its default one.
        second.kill()
        gone = staff.get(my_tasks)
        assert gone.status_code == 502 and "服务暂时不可用" in gone.text

        # Nothing was kept on a host: every file is in the bucket.
        for process in [*cluster.webs, cluster.worker, *cluster.beats]:
            assert files_on_host(process) == [], process.name
        client = s3_client(s3_endpoint)
        keys = {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}
        assert evidence.file.name in keys and summary.xlsx.name in keys and summary.docx.name in keys
