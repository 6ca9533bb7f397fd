"""python manage.py backup [--output DIR] — database dump, media files and a checksum manifest."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the evidence and summary files, with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Folder that receives the new backup folder.")

    def handle(self, *args, output, **options):
        try:
            folder = backup_create(output)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(str(folder))
