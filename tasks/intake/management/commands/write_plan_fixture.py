"""Turn a published plan text into a loaddata fixture (natural keys, no primary keys).

The Siping 2021 fixture was made with:

    python manage.py write_plan_fixture fixtures/siping-2021-education-work-points.txt \\
        --year 2021 --title 四平市2021年教育工作要点 --issuing-body 四平市教育局 \\
        --repair 督導體制=督导体制 --repair "学前教育 and 高中教育=学前教育和高中教育" \\
        --repair 街接=衔接 -o fixtures/plan_siping_2021.json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.intake.plan_text import parse_plan_text


class Command(BaseCommand):
    help = "Parse a plan's published text and write it as a loaddata fixture."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--issuing-body", default="")
        parser.add_argument(
            "--repair",
            action="append",
            default=[],
            metavar="WRONG=RIGHT",
            help="A known scanning fault and its correction; each must occur in the text.",
        )
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, **options):
        parsed = parse_plan_text(options["source"].read_text(encoding="utf-8"))
        for warning in parsed.warnings:
            self.stderr.write(f"line {warning.line}: {warning.message} {warning.original}")
        self._apply_repairs(parsed, options["repair"])
        year = options["year"]
        objects = [
            {
                "model": "tasks.plan",
                "fields": {
                    "year": year,
                    "title": options["title"],
                    "issuing_body": options["issuing_body"],
                    "preamble": parsed.preamble,
                    "closing_note": parsed.closing_note,
                    "status": "active",
                },
            }
        ]
        for section in parsed.sections:
            objects.append(
                {
                    "model": "tasks.section",
                    "fields": {"plan": [year], "number": section.number, "title": section.title},
                }
            )
            for task in section.tasks:
                objects.append(
                    {
                        "model": "tasks.task",
                        "fields": {
                            "plan": [year],
                            "section": [year, section.number],
                            "number": task.number,
                            "label": task.label,
                            "title": task.title,
                            "content": task.content,
                        },
                    }
                )
        options["output"].write_text(
            json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            f"{len(parsed.sections)} sections, {len(parsed.tasks)} tasks → {options['output']}"
        )

    def _apply_repairs(self, parsed, repairs):
        # Repairs apply after page-break joining: a fault may straddle the break (街|接).
        for repair in repairs:
            wrong, separator, right = repair.partition("=")
            matched = False
            for task in parsed.tasks:
                for attribute in ("title", "content"):
                    text = getattr(task, attribute)
                    if wrong in text:
                        setattr(task, attribute, text.replace(wrong, right))
                        matched = True
            if not separator or not matched:
                raise CommandError(f"repair {repair!r} does not match the text")
