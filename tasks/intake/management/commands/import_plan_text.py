from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tasks.intake.plan_text import parse_plan_text
from tasks.intake.matching import CREATE, KEEP_AS_TEXT
from tasks.intake.services import plan_create_from_text, plan_text_preview


class Command(BaseCommand):
    help = "Import a plan from its published text (.txt); shows the preview and the warnings first."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--title", help="the plan's title (default: <year>年教育工作要点)")
        parser.add_argument("--issuing-body", default="")
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported, write nothing")
        parser.add_argument("--create-departments", action="store_true",
                            help="create units the portal does not know (default: refuse, naming them)")
        parser.add_argument("--units-as-text", action="store_true",
                            help="keep names of units the portal does not know as text on the task")

    def handle(self, *args, **options):
        try:
            text = options["file"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {options['file']}: {error}")
        parsed = parse_plan_text(text)
        for section in parsed.sections:
            self.stdout.write(f"{section.number}、{section.title}（{len(section.tasks)}）")
            for task in section.tasks:
                self.stdout.write(f"  {task.label or task.number}. {task.title}")
        for warning in parsed.warnings:
            suggestion = f" → {warning.suggestion}" if warning.suggestion else ""
            self.stderr.write(f"warning: line {warning.line}: {warning.message} {warning.original}{suggestion}")
        self.stdout.write(f"{len(parsed.sections)} sections, {len(parsed.tasks)} tasks, {len(parsed.warnings)} warnings")
        if options["dry_run"]:
            return
        unmatched = plan_text_preview(parsed, year=options["year"]).unmatched
        if unmatched and not (options["create_departments"] or options["units_as_text"]):
            raise CommandError("units the portal does not know (use --create-departments or --units-as-text): "
                               + "、".join(unmatched))
        try:
            plan = plan_create_from_text(
                parsed=parsed, year=options["year"], actor=None,
                title=options["title"] or parsed.title or f"{options['year']}年教育工作要点",
                issuing_body=options["issuing_body"],
                default_choice=CREATE if options["create_departments"] else KEEP_AS_TEXT,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(f"imported {plan} as a draft")
