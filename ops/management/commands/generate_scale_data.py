"""python manage.py generate_scale_data --tasks 5000 [--year 2025] [--seed 2021]"""

import time

from django.core.management.base import BaseCommand, CommandError

from ops.scale_data import scale_plan_generate


class Command(BaseCommand):
    help = "Build a province-sized plan (60 sections, N tasks, 200 offices, 2,000 people, a year of reports)."

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=5000)
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--no-evidence", action="store_true", help="Skip writing evidence files.")

    def handle(self, *args, tasks, year, seed, no_evidence, **options):
        if not 1 <= tasks <= 200_000:
            raise CommandError("--tasks must be between 1 and 200000.")
        started = time.perf_counter()
        try:
            summary = scale_plan_generate(tasks=tasks, year=year, seed=seed, evidence=not no_evidence)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(
            f"Plan {summary.plan.year}: {summary.tasks} tasks, {summary.departments} departments, "
            f"{summary.users} people in offices, {summary.milestones} milestones, {summary.reports} reports, "
            f"{summary.evidence} evidence files, {summary.instructions} instructions, "
            f"{summary.notifications} notifications in {time.perf_counter() - started:.1f} s"
        )
