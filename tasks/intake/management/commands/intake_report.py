"""python manage.py intake_report DIR [--verbose]: the plan parser against hand-checked documents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.intake.corpus import corpus_results, table


class Command(BaseCommand):
    help = "Parse each document of a corpus folder and compare with its NAME.expected.json."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--verbose", action="store_true", help="list every task that differs")

    def handle(self, *args, folder, verbose, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        results = corpus_results(folder)
        if not results:
            raise CommandError(f"no NAME.expected.json with its document in {folder}")
        self.stdout.write(table(results))
        if verbose:
            for result in results:
                for mismatch in result.mismatches:
                    self.stdout.write(f"  {result.name}: {mismatch}")
