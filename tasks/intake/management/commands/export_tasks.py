from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.intake.exporters import write_task_workbook
from tasks.intake.services import plan_export_dataset
from tasks.models import Plan


class Command(BaseCommand):
    help = "Export a plan's task list in the layout import_tasks reads."

    def add_arguments(self, parser):
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, **options):
        plan = Plan.objects.filter(year=options["plan_year"]).first()
        if plan is None:
            raise CommandError(f"no plan for {options['plan_year']}")
        dataset = plan_export_dataset(plan)
        write_task_workbook(str(options["output"]), dataset)
        self.stdout.write(f"{len(dataset)} tasks → {options['output']}")
