"""The fault run (`make faults`): the month-end workload through the proxy while the parts the
portal stands on fail, then a count of what users got and what the database holds.

On one machine's loopback: nginx, two gunicorn instances, a Celery worker and beat (ops/cluster.py),
a redis-server of the run's own (stopped and started), the machine's PostgreSQL (restarted for
real with pg_ctlcluster), and a small tmpfs shared by the hosts as the file store (filled up,
then emptied). Virtual staff log in, open 我的任务 and the report form, and save a report with a
200 KB evidence file, again and again; the supervision office asks for a summary while Redis is
down. Bounded in time; loopback only.
"""

import re
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ops.cluster import Cluster, RedisServer, portal_login, portal_session

EVIDENCE = b"%PDF-1.4\n" + b"0" * (200 * 1024) + b"\n%%EOF\n"
VERSION = re.compile(r'name="version" value="(\d*)"')


@dataclass
class Outcome:
    at: float
    step: str
    status: int  # 0: no answer (connection error, timeout)
    phase: str


@dataclass
class FaultLog:
    """Everything the run saw, shared by the virtual users."""

    started: float = field(default_factory=time.monotonic)
    phase: str = "normal"
    outcomes: list = field(default_factory=list)
    saves: Counter = field(default_factory=Counter)  # task id → reports answered 302
    unanswered_saves: Counter = field(default_factory=Counter)  # task id → saves with no clear answer
    recoveries: dict = field(default_factory=dict)  # fault → seconds until /readyz answered 200
    refusals: Counter = field(default_factory=Counter)  # message of a save answered 400 → count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step, status):
        with self.lock:
            self.outcomes.append(Outcome(time.monotonic() - self.started, step, status, self.phase))


def staff_user(log, base, username, password, task, month, stop):
    """One member of staff: 我的任务, the report form, a save with evidence; again until `stop`."""
    session = portal_session()
    portal_login(session, base, username, password)
    report_path = f"/plans/{task.plan.year}/tasks/{task.number}/report/"
    while not stop.is_set():
        for step, path in (("my tasks", "/my/"), ("report form", f"{report_path}?month={month}")):
            try:
                answer = session.get(base + path, timeout=30, allow_redirects=False)
                log.record(step, answer.status_code)
            except Exception:  # noqa: BLE001 — no answer is an outcome too
                log.record(step, 0)
                answer = None
        version = VERSION.search(answer.text).group(1) if answer is not None and answer.status_code == 200 \
            and VERSION.search(answer.text) else None
        if version is None:
            continue
        data = {"month": month, "progress": f"{username}：月底集中填报进展。", "percent": 50, "save": "1",
                "version": version, "csrfmiddlewaretoken": session.cookies.get("csrftoken")}
        try:
            answer = session.post(base + report_path, data=data, files={"files": ("佐证材料.pdf", EVIDENCE, "application/pdf")},
                                  headers={"Referer": base + report_path}, timeout=60, allow_redirects=False)
            status = answer.status_code
            if status == 400:
                store = re.search(r"文件存储[^。<]*。", answer.text)
                log.refusals[store.group(0) if store else "another refusal"] += 1
        except Exception:  # noqa: BLE001
            status = 0
        log.record("save report", status)
        with log.lock:
            if status == 302:
                log.saves[task.pk] += 1
            elif status == 0 or status >= 500:
                log.unanswered_saves[task.pk] += 1


def wait_ready(base, timeout=60):
    """Seconds until /readyz answers 200 through the proxy."""
    session = portal_session()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if session.get(base + "/readyz", headers={"Accept": "application/json"}, timeout=5).status_code == 200:
                return time.monotonic() - started
        except Exception:  # noqa: BLE001
            pass
        time.sleep(0.1)
    return float("inf")


def fill(folder):
    """Fill the file store until the disk refuses (ENOSPC); returns the filler's path."""
    filler = Path(folder) / "filler.bin"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 2**20)
                handle.flush()
        except OSError:
            pass
    return filler


def restart_postgresql():
    version = sorted(path.name for path in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True)


def gunicorn_workers(web):
    result = subprocess.run(["pgrep", "-P", str(web.popen.pid)], capture_output=True, text=True)
    return [int(pid) for pid in result.stdout.split()]


def _error_lines(cluster):
    """The hosts' ERROR log lines (JSON), for the report: what the 5xx answers were."""
    import json

    found = []
    for process in cluster.processes:
        if not process.log.exists():
            continue
        for line in process.log.read_text(errors="replace").splitlines():
            if '"level": "ERROR"' in line or '"level":"ERROR"' in line:
                try:
                    entry = json.loads(line)
                    found.append(f"{process.name}: {entry.get('message', '')[:300]}")
                except ValueError:
                    found.append(f"{process.name}: {line[:300]}")
    return found


def _wait_for_summary(plan, timeout=120):
    """Seconds from the end of the load until the summary asked for during the Redis outage is built."""
    from django.db import connection

    from reports.models import QuarterlySummary

    connection.close()  # this process's connection did not survive the PostgreSQL restart
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if QuarterlySummary.objects.filter(plan=plan, state=QuarterlySummary.State.DONE).exists():
            return time.monotonic() - started
        time.sleep(0.5)
    return float("inf")


def run(*, root, database_url, people, password, tasks, month, seconds, supervisor, plan):
    """Drive the workload through a cluster while the faults happen; returns the log."""
    import requests  # noqa: F401 — fail early if the dev requirements are missing

    root = Path(root)
    media = root / "media"
    media.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=384m", "tmpfs", str(media)], check=True)
    redis = RedisServer(root / "redis").start()
    log = FaultLog()
    stop = threading.Event()
    environment = {"DATABASE_URL": database_url, "REDIS_URL": redis.url, "SUMMARY_RESEND_AFTER_SECONDS": "3",
                   "CELERY_VISIBILITY_TIMEOUT": "20", "CELERY_REDELIVERY_CHECK_SECONDS": "2",
                   "GUNICORN_TIMEOUT": "30"}
    cluster = Cluster(root / "cluster", environment, web_count=2, beat_count=1, web_workers=2, shared_media_root=media)
    try:
        cluster.start()
        base = cluster.url
        threads = [threading.Thread(target=staff_user, args=(log, base, user.username, password, task, month, stop),
                                    daemon=True) for user, task in zip(people, tasks)]
        for thread in threads:
            thread.start()
        tick = seconds / 8

        def phase(name, duration):
            log.phase = name
            time.sleep(duration)

        phase("normal", tick)
        redis.stop()
        office = portal_session()
        portal_login(office, base, supervisor.username, password)
        summary_path = f"/dashboard/summaries/{plan.year}/2/generate/"
        phase("Redis down", tick / 3)
        answer = office.post(base + summary_path, data={"csrfmiddlewaretoken": office.cookies.get("csrftoken")},
                             headers={"Referer": base + "/dashboard/summaries/"}, allow_redirects=False, timeout=30)
        log.record("ask for a summary", answer.status_code)
        phase("Redis down", tick * 2 / 3)
        redis.start()
        log.phase = "recovering"
        log.recoveries["Redis"] = wait_ready(base)
        phase("normal", tick)

        log.phase = "PostgreSQL restart"
        restart_postgresql()
        log.recoveries["PostgreSQL"] = wait_ready(base)
        phase("normal", tick)

        log.phase = "storage full"
        filler = fill(media)
        phase("storage full", tick)
        filler.unlink()
        log.recoveries["storage"] = wait_ready(base)
        phase("normal", tick)

        log.phase = "workers killed"
        for pid in gunicorn_workers(cluster.webs[0])[:1]:
            subprocess.run(["kill", "-9", str(pid)])
        cluster.worker.kill(signal.SIGKILL)
        cluster.worker = cluster.start_worker("worker-2")
        log.recoveries["web and job workers"] = wait_ready(base)
        phase("normal", tick)
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        log.summary_seconds = _wait_for_summary(plan)
    finally:
        stop.set()
        for thread in threads if "threads" in locals() else []:
            thread.join(timeout=90)
        log.phase = "after"
        cluster.stop()
        log.errors = _error_lines(cluster)
        redis.stop()
        subprocess.run(["umount", "-l", str(media)])
        shutil.rmtree(root / "redis", ignore_errors=True)
    return log
