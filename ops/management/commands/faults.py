"""python manage.py faults — the month-end workload through a cluster while Redis stops, PostgreSQL
restarts, the file store fills up and workers are killed; then what users got and what was kept
(ops/faults.py, docs/RELIABILITY.md). Restarts the local PostgreSQL server: run it on a machine
of its own, not beside a test run."""

import datetime
import os
import secrets
import shutil
import tempfile
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Drive the month-end workload while the portal's dependencies fail; print what was lost (nothing, we hope)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=12, help="Virtual members of staff saving reports.")
        parser.add_argument("--seconds", type=int, default=80, help="Length of the run (faults included).")

    def handle(self, *args, users, seconds, **options):
        from ops.cluster import nginx_binary

        if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
            raise CommandError("The fault run needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (as .ci/run does).")
        missing = [name for name, found in (("nginx", nginx_binary()), ("redis-server", shutil.which("redis-server")),
                                            ("pg_ctlcluster", shutil.which("pg_ctlcluster"))) if not found]
        if missing or os.geteuid() != 0:
            raise CommandError(f"The fault run restarts PostgreSQL and mounts a small tmpfs: it needs root and "
                               f"{', '.join(missing) or 'nothing else'}.")
        connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_faults"
        original = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            table = self._run(users, seconds)
        finally:
            connection.close()
            connection.creation.destroy_test_db(original, verbosity=0)
        self.stdout.write(table)

    def _run(self, users, seconds):
        from django.contrib.auth import get_user_model
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        from departments.models import Department, Membership
        from departments.selectors import department_members
        from ops import faults
        from ops.scale_data import scale_plan_generate
        from reports.models import QuarterlySummary
        from tasks import permissions
        from tasks.models import Evidence, Task

        self.stderr.write("Generating data …")
        plan = scale_plan_generate(tasks=200, year=2025, seed=9, evidence=False, report_months=1).plan
        password = secrets.token_urlsafe(12) + "Aa1!"
        people, tasks = [], []
        leads = Department.objects.filter(pk__in=Task.objects.filter(plan=plan).values("lead_department"))
        for user in department_members(*leads, role=Membership.Role.STAFF):
            task = permissions.tasks_reportable_by(user).filter(plan=plan).exclude(pk__in=[t.pk for t in tasks]).first()
            if task is not None:
                people.append(user)
                tasks.append(task)
            if len(people) == users:
                break
        supervisor = get_user_model().objects.get(username="scale-00020")  # ops/scale_data.py: 20 leaders, then 5 supervisors
        for user in [*people, supervisor]:
            user.set_password(password)
            user.save()
        fast, _ = IntervalSchedule.objects.get_or_create(every=3, period="seconds")
        PeriodicTask.objects.filter(task="reports.jobs.resend_waiting_summaries").update(interval=fast)
        database = connection.settings_dict
        database_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        self.stderr.write(f"Running {seconds} s with {len(people)} members of staff …")
        with tempfile.TemporaryDirectory() as root:
            log = faults.run(root=root, database_url=database_url, people=people, password=password, tasks=tasks,
                             month=f"{plan.year}-06", seconds=seconds, supervisor=supervisor, plan=plan)
        connection.close()  # PostgreSQL was restarted under this process too
        kept = Counter(Evidence.all_objects.filter(task__in=tasks).values_list("task_id", flat=True))
        lost = sum(max(0, log.saves[task.pk] - kept[task.pk]) for task in tasks)
        doubled = sum(max(0, kept[task.pk] - log.saves[task.pk] - log.unanswered_saves[task.pk]) for task in tasks)
        summary = QuarterlySummary.objects.filter(plan=plan).first()
        return self._table(log, lost, doubled, sum(kept.values()), summary)

    @staticmethod
    def _table(log, lost, doubled, kept, summary):
        phases = ["normal", "Redis down", "recovering", "PostgreSQL restart", "storage full", "workers killed"]
        lines = [f"Fault run · {datetime.datetime.now():%Y-%m-%d %H:%M} · {len(log.outcomes)} requests", "",
                 "| Phase | Requests | 2xx/3xx | 400 | 500 | 502 | 503 | 504 | other | no answer |",
                 "|---|---|---|---|---|---|---|---|---|---|"]
        for phase in phases:
            statuses = Counter(outcome.status for outcome in log.outcomes if outcome.phase == phase)
            if not statuses:
                continue
            ok = sum(count for status, count in statuses.items() if 200 <= status < 400)
            other = {status: count for status, count in statuses.items()
                     if status and not 200 <= status < 400 and status not in (400, 500, 502, 503, 504)}
            lines.append(f"| {phase} | {sum(statuses.values())} | {ok} | {statuses[400]} | {statuses[500]} | "
                         f"{statuses[502]} | {statuses[503]} | {statuses[504]} | "
                         f"{', '.join(f'{count}×{status}' for status, count in sorted(other.items())) or 0} | {statuses[0]} |")
        lines += ["", "| Step | Answers |", "|---|---|"]
        for step in sorted({outcome.step for outcome in log.outcomes}):
            statuses = Counter(outcome.status for outcome in log.outcomes if outcome.step == step)
            answers = ", ".join(f"{count}×{status or 'none'}" for status, count in sorted(statuses.items()))
            lines.append(f"| {step} | {answers} |")
        saves = sum(log.saves.values())
        lines += ["", f"Reports saved (answered 302): {saves}; evidence rows in the database: {kept}; "
                      f"saves with no clear answer: {sum(log.unanswered_saves.values())}",
                  f"Lost (answered saved, not in the database): {lost}; doubled: {doubled}",
                  f"Summary asked for while Redis was down: {summary.state if summary else 'none'}"
                  f"{' after ' + str(summary.attempts) + ' attempt(s)' if summary else ''}, "
                  f"{getattr(log, 'summary_seconds', float('inf')):.1f} s after the load ended",
                  "Seconds until /readyz answered again: " + ", ".join(
                      f"{fault} {seconds:.1f}" for fault, seconds in log.recoveries.items())]
        if log.refusals:
            lines += ["", "Saves refused (400), by message:"]
            lines += [f"  {count} × {message}" for message, count in log.refusals.most_common(5)]
        errors = Counter(line.split(": ", 1)[1][:160] for line in getattr(log, "errors", []))
        if errors:
            lines += ["", "Errors logged by the hosts (count × first line):"]
            lines += [f"  {count} × {message}" for message, count in errors.most_common(8)]
        return "\n".join(lines)
