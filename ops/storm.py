"""The month-end storm in `make bench`: locust (headless, bounded in users and time, loopback only)
drives ops/storm_locustfile.py through nginx and gunicorn (ops/cluster.py) on PostgreSQL and Redis,
then the database is counted: every unit's report there once, every answered save's evidence kept."""

import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min

MONTH = "2022-06"
STEPS = ["log in", "my tasks", "task page", "report form", "save report", "submit report", "review queue",
         "accept reports"]


def storm_people(*, units, password):
    """A plan of its own (2022, no reports yet) and, for `units` offices, a member of staff, the head
    and a task the office leads; with two supervisors. Returns what the locustfile reads."""
    from django.contrib.auth import get_user_model

    from departments.models import Membership
    from departments.selectors import department_heads, department_members
    from ops.scale_data import scale_plan_generate
    from tasks import permissions
    from tasks.models import Task

    plan = scale_plan_generate(tasks=units * 5, year=2022, seed=22, evidence=False, report_months=0).plan
    chosen, people = [], []
    for task in Task.objects.filter(plan=plan).exclude(lead_department=None).select_related("lead_department").order_by("number"):
        if task.lead_department_id in {unit["department"] for unit in chosen}:
            continue
        staff = next(iter(department_members(task.lead_department, role=Membership.Role.STAFF)), None)
        head = next(iter(department_heads(task.lead_department)), None)
        if staff and head and permissions.tasks_reportable_by(staff).filter(pk=task.pk).exists():
            chosen.append({"department": task.lead_department_id, "task": task.pk, "staff": staff.username,
                           "head": head.username, "task_path": f"/plans/{plan.year}/tasks/{task.number}/",
                           "report_path": f"/plans/{plan.year}/tasks/{task.number}/report/"})
            people += [staff, head]
        if len(chosen) == units:
            break
    supervisors = list(get_user_model().objects.filter(username__in=["scale-00020", "scale-00021"]))
    for user in [*people, *supervisors]:
        user.set_password(password)
        user.save(update_fields=["password"])
    return plan, {"month": MONTH, "password": password, "units": chosen,
                  "supervisors": [user.username for user in supervisors]}


def bench_storm(*, units=100, users=40, seconds=60):
    from ops.bench import BenchRow
    from ops.bench_load import _database_url
    from ops.cluster import Cluster, nginx_binary
    from tasks.models import Evidence, ProgressReport

    locust = shutil.which("locust") or str(Path(sys.executable).parent / "locust")
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL") or not nginx_binary() or not os.path.exists(locust):
        return [BenchRow("Month-end storm", 0, 0, 0, "report", "reports/s",
                         "skipped: needs PostgreSQL, REDIS_URL, nginx and locust (make bench with .ci/run's URLs)")]
    password = secrets.token_urlsafe(12) + "Aa1!"
    plan, people = storm_people(units=units, password=password)
    redis_url = f"{os.environ['REDIS_URL'].rsplit('/', 1)[0]}/9"
    with tempfile.TemporaryDirectory() as root:
        root = Path(root)
        (root / "people.json").write_text(json.dumps(people, ensure_ascii=False))
        environment = {"DATABASE_URL": _database_url(), "REDIS_URL": redis_url}
        with Cluster(root / "cluster", environment, web_count=1, web_workers=2, beat_count=0,
                     shared_media_root=root / "media") as cluster:
            started = time.monotonic()
            result = subprocess.run(
                [locust, "-f", str(Path(settings.BASE_DIR) / "ops" / "storm_locustfile.py"), "--headless",
                 "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "30",
                 "--host", cluster.url, "--csv", str(root / "storm"), "--only-summary", "--loglevel", "WARNING"],
                env={**os.environ, "STORM_PEOPLE": str(root / "people.json")}, capture_output=True, text=True)
            elapsed = time.monotonic() - started
        if not (root / "storm_stats.csv").exists():
            raise RuntimeError(f"locust did not run: {result.stderr[-2000:]}")
        with open(root / "storm_stats.csv") as handle:
            stats = {row["Name"]: row for row in csv.DictReader(handle)}
        failures = []
        if (root / "storm_failures.csv").exists():
            with open(root / "storm_failures.csv") as handle:
                failures = [f"{row['Occurrences']}× {row['Name']}: {row['Error'][:120]}" for row in csv.DictReader(handle)]
    tasks = [unit["task"] for unit in people["units"]]
    pairs = {(unit["task"], unit["department"]) for unit in people["units"]}
    reports = ProgressReport.objects.filter(task_id__in=tasks, month__year=2022, month__month=6,
                                            department_id__in=[department for _task, department in pairs])
    evidence = Evidence.all_objects.filter(task_id__in=tasks)
    span = evidence.aggregate(first=Min("uploaded_at"), last=Max("uploaded_at"))
    saved = int(stats.get("save report", {}).get("Request Count", 0)) - int(stats.get("save report", {}).get("Failure Count", 0))
    submitted = int(stats.get("submit report", {}).get("Request Count", 0)) - int(stats.get("submit report", {}).get("Failure Count", 0))
    seconds_saving = (span["last"] - span["first"]).total_seconds() if span["first"] else 0
    errors = sum(int(row["Failure Count"]) for name, row in stats.items() if name != "Aggregated")
    kept = evidence.count()
    arrived = reports.exclude(state="draft").count()
    lost = max(0, saved - kept) + max(0, submitted - arrived)
    doubled = max(0, kept - saved) + max(0, reports.count() - len(set(reports.values_list("task_id", "department_id"))))
    steps = "; ".join(
        f"{name} {int(stats[name]['Request Count'])}× p50/p95/p99 {stats[name]['50%']}/{stats[name]['95%']}/{stats[name]['99%']} ms"
        for name in STEPS if name in stats)
    note = (f"{users} locust users through nginx + gunicorn (2 workers) + PostgreSQL + Redis, {units} units, "
            f"{elapsed:.0f} s; {saved} saves with 200 KB evidence in {seconds_saving:.0f} s, {arrived} reports "
            f"submitted ({reports.filter(state='accepted').count()} already accepted). {steps}"
            + (f". Failures: {'; '.join(failures[:5])}" if failures else ""))
    rate = saved / seconds_saving if seconds_saving else 0.0
    return [
        BenchRow("Month-end storm: reports saved per second", round(rate, 2), 0, round(rate, 2), "report", "reports/s", note),
        BenchRow("Month-end storm: errors", errors, 0, float(errors), "= 0", "errors"),
        BenchRow("Month-end storm: reports lost or doubled", lost + doubled, 0, float(lost + doubled), "= 0", "reports"),
    ]
