from django.core.management.base import BaseCommand, CommandError

from reports import services
from tasks.models import Plan


class Command(BaseCommand):
    help = "Generate a plan's quarterly summary now, in this process (the beat job does it by Celery)."

    def add_arguments(self, parser):
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])

    def handle(self, *args, **options):
        plan = Plan.objects.filter(year=options["plan_year"]).first()
        if plan is None:
            raise CommandError(f"no plan for {options['plan_year']}")
        try:
            summary = services.summary_generate(plan=plan, quarter=options["quarter"])
        except Exception as error:
            raise CommandError(f"the summary failed: {error}") from error
        self.stdout.write(f"{summary}: {summary.xlsx.name}, {summary.docx.name}")
