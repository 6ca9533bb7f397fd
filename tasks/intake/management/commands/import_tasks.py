from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tasks.intake.services import task_sheet_import
from tasks.intake.task_sheet import TaskSheetError


class Command(BaseCommand):
    help = "Import an Excel task list into a plan (all rows or none), as the import page does."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--create-departments", action="store_true")

    def handle(self, *args, **options):
        try:
            with options["file"].open("rb") as handle:
                report = task_sheet_import(
                    handle=handle, plan_year=options["plan_year"], actor=None,
                    dry_run=options["dry_run"], create_departments=options["create_departments"],
                )
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error}")
        except (TaskSheetError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)])))
        problems = list(report.problems)
        if report.missing_departments and not options["create_departments"]:
            problems.append("unknown departments (use --create-departments): " + "、".join(report.missing_departments))
        problems += [message for row in report.rows for message in row.errors]
        if report.unknown_columns:
            self.stderr.write("ignored columns: " + "、".join(report.unknown_columns))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing was written")
        verdict = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{verdict}: {report.count('new')} new, {report.count('changed')} changed, "
            f"{report.count('unchanged')} unchanged"
        )
