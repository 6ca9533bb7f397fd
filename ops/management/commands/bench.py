"""python manage.py bench — the table `make bench` prints, and bench-results.json."""

import datetime
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)


class Command(BaseCommand):
    help = "Measure import, export, dashboard, my tasks, summaries and load as ratios against baselines."

    def add_arguments(self, parser):
        parser.add_argument("--import-rows", type=int, default=20000)
        parser.add_argument("--tasks", type=int, default=5000)
        parser.add_argument("--large-tasks", type=int, default=50000, help="Plan size for the export memory row.")
        parser.add_argument("--load-seconds", type=int, default=20)
        parser.add_argument("--output", default="bench-results.json")
        parser.add_argument("--only", default="", help="Comma-separated parts to run (import, ledger, dashboard, "
                            "my_tasks, search, quarterly, scoring, load, cluster, storm, storage); all by default.")

    def handle(self, *args, import_rows, tasks, large_tasks, load_seconds, output, only, **options):
        from ops import bench

        started = time.perf_counter()
        setup_test_environment()
        if connection.vendor == "sqlite":
            # A file, not memory: the load test's server processes must see the same data.
            connection.settings_dict["TEST"]["NAME"] = str(Path(settings.BASE_DIR) / "bench.sqlite3")
        original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        self.rows, failure = [], None
        try:
            # The pages are measured, not the second factor: the bench's people sign in with a password.
            with override_settings(MEDIA_ROOT=Path(settings.BASE_DIR) / "bench-media", ROOT_URLCONF="ops.bench_urls",
                                   DEBUG=False, TWO_FACTOR_REQUIRED_ROLES=[], TWO_FACTOR_REQUIRED_FOR_SUPERUSERS=False):
                self.parts = {part.strip() for part in only.split(",") if part.strip()}
                self._measure(bench, import_rows, tasks, large_tasks, load_seconds)
        except Exception as error:  # the rows measured before a failing part are still printed
            failure = error
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)
            teardown_test_environment()
        header = (f"make bench on {connection.vendor} · {datetime.datetime.now():%Y-%m-%d %H:%M} · "
                  f"total {time.perf_counter() - started:.0f} s")
        rows = self.rows
        self.stdout.write(bench.format_table(rows, header))
        bench.write_results(rows, output)
        self.stdout.write(f"\nWritten {output}; {sum(r.met for r in rows)} of {len(rows)} rows meet their target.")
        if failure is not None:
            raise CommandError(f"the bench stopped: {failure!r}") from failure

    def _measure(self, bench, import_rows, tasks, large_tasks, load_seconds):
        import shutil

        from django.contrib.auth import get_user_model

        from departments import roles
        from departments.models import Membership
        from ops.scale_data import scale_plan_generate

        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        self.stderr.write("Generating data …")
        small = scale_plan_generate(tasks=35, year=2024, seed=1).plan
        middle = scale_plan_generate(tasks=max(tasks // 10, 35), year=2023, seed=2).plan
        big = scale_plan_generate(tasks=tasks, year=2025, seed=3).plan
        bench.analyze()
        rows = self.rows
        if self._runs("import"):
            self.stderr.write("Import …")
            rows += bench.bench_import(import_rows)
        if self._runs("ledger") or self._runs("dashboard") or self._runs("scoring"):
            # A past year: its dashboard is judged as of 31 December, with a trend of 12 months.
            large = scale_plan_generate(tasks=large_tasks, year=2021, seed=5, evidence=False, report_months=1).plan
            bench.analyze()
        if self._runs("ledger"):
            self.stderr.write("Ledger export …")
            light = scale_plan_generate(tasks=tasks, year=2026, seed=4, evidence=False, report_months=1).plan
            december = datetime.date(2026, 12, 1)
            bench.analyze()
            rows += bench.bench_ledger(light, december, plan_large=large)
        User = get_user_model()
        leader = User.objects.get(username="scale-00000")
        password = secrets.token_urlsafe(16)  # this throwaway database only
        staff_big = self._busiest_staff(Membership, big)
        supervisor = roles.users_holding(roles.Capability.REVIEW_REPORTS).order_by("username").first()
        for person in (leader, staff_big, supervisor):
            person.set_password(password)
            person.save()
        if self._runs("dashboard"):
            self.stderr.write("Dashboard …")
            rows += bench.bench_dashboard(big, large, leader)
        if self._runs("my_tasks"):
            self.stderr.write("My tasks …")
            staff_small = self._busiest_staff(Membership, small)
            rows += bench.bench_my_tasks(big, small, staff_big, staff_small)
        if self._runs("search"):
            self.stderr.write("Search …")
            rows += bench.bench_search(leader)
        if self._runs("quarterly"):
            self.stderr.write("Quarterly summary …")
            rows += bench.bench_quarterly(big, middle)
        if self._runs("scoring"):
            self.stderr.write("Unit scoring …")
            rows += bench.bench_scoring(big, large, leader)
        if self._runs("load"):
            self.stderr.write("Load test …")
            from ops.bench_load import bench_load

            rows += bench_load(big, {"leader": leader, "staff": staff_big, "supervisor": supervisor}, password,
                                     load_seconds)
        if self._runs("cluster"):
            self.stderr.write("Proxy with one and two instances …")
            from ops.bench_hosts import bench_cluster

            rows += bench_cluster(big, leader.username, password, load_seconds)
        if self._runs("storm"):
            self.stderr.write("Month-end storm …")
            from ops.storm import bench_storm

            rows += bench_storm(seconds=load_seconds * 2)
        if self._runs("storage"):
            self.stderr.write("Evidence download, S3 and local …")
            from tasks.models import Task

            task = Task.objects.filter(plan=big, lead_department__memberships__user=staff_big).first()
            from ops.bench_hosts import bench_evidence_download

            # A colleague who has not signed in through the load test's server: one session per
            # account (SINGLE_SESSION) would end the test client's.
            colleague = Membership.objects.filter(department=task.lead_department, role=Membership.Role.STAFF).exclude(
                user=staff_big).first().user
            rows += bench_evidence_download(task, colleague)

    def _runs(self, part):
        return not self.parts or part in self.parts

    @staticmethod
    def _busiest_staff(Membership, plan):
        from django.db.models import Count

        office = plan.tasks.values("lead_department").annotate(n=Count("pk")).order_by("-n")[0]["lead_department"]
        return Membership.objects.filter(department_id=office, role=Membership.Role.STAFF).first().user
