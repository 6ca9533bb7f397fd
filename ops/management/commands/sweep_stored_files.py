"""python manage.py sweep_stored_files — delete stored files no record refers to (the nightly job, now)."""

from django.core.management.base import BaseCommand

from ops.jobs import referenced_file_names
from siping_edu.stored_files import sweep_unreferenced


class Command(BaseCommand):
    help = "Delete evidence, summary and upload files that no record refers to, older than STORED_FILE_GRACE_HOURS."

    def handle(self, *args, **options):
        deleted = sweep_unreferenced(referenced_file_names())
        for name in deleted:
            self.stdout.write(name)
        self.stdout.write(f"{len(deleted)} files deleted.")
