from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tasks.intake.matching import CREATE, KEEP_AS_TEXT
from tasks.intake.services import task_sheet_import
from tasks.intake.task_sheet import TaskSheetError


class Command(BaseCommand):
    help = "Import an Excel task list into a plan (all rows or none), as the import page does."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--create-departments", action="store_true",
                            help="create units the portal does not know (default: refuse, naming them)")
        parser.add_argument("--units-as-text", action="store_true",
                            help="keep names of units the portal does not know as text on the task")

    def handle(self, *args, **options):
        # Without a decision about unknown units the file is checked first, and refused if it names any.
        strict = not (options["create_departments"] or options["units_as_text"])
        report = self._import(options, dry_run=options["dry_run"] or strict)
        problems = list(report.problems)
        if report.unmatched and strict:
            problems.append("units the portal does not know (use --create-departments or --units-as-text): "
                            + "、".join(report.unmatched))
        problems += [message for row in report.rows for message in row.errors]
        if report.unknown_columns:
            self.stderr.write("ignored columns: " + "、".join(report.unknown_columns))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s); nothing was written")
        if strict and not options["dry_run"]:
            report = self._import(options, dry_run=False)
        for warning in (w for row in report.rows for w in row.warnings):
            self.stderr.write(f"warning: {warning}")
        verdict = "would import" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{verdict}: {report.count('new')} new, {report.count('changed')} changed, "
            f"{report.count('unchanged')} unchanged"
        )

    def _import(self, options, *, dry_run):
        try:
            with options["file"].open("rb") as handle:
                return task_sheet_import(
                    handle=handle, plan_year=options["plan_year"], actor=None, dry_run=dry_run,
                    default_choice=CREATE if options["create_departments"] else KEEP_AS_TEXT,
                )
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error}")
        except (TaskSheetError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)])))
