import datetime
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.models import Department
from reports import services
from tasks.models import Plan


class Command(BaseCommand):
    help = "Write a plan's monthly ledger (月报台账) as .xlsx, as the dashboard's download does."

    def add_arguments(self, parser):
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--department", help="only the tasks this department leads or co-owns")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, **options):
        plan = Plan.objects.filter(year=options["plan_year"]).first()
        if plan is None:
            raise CommandError(f"no plan for {options['plan_year']}")
        try:
            month = datetime.datetime.strptime(options["month"], "%Y-%m").date()
        except ValueError:
            raise CommandError(f"--month must look like 2021-06, not {options['month']!r}")
        departments, unit = None, ""
        if options["department"]:
            department = Department.objects.filter(name=options["department"]).first()
            if department is None:
                raise CommandError(f"no department named {options['department']!r}")
            departments, unit = [department], department.name
        handle, _name = services.monthly_ledger_file(plan=plan, month=month, departments=departments, unit=unit)
        with handle, options["output"].open("wb") as output:
            shutil.copyfileobj(handle, output)
        self.stdout.write(f"wrote {options['output']}")
