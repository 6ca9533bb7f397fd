"""python manage.py restore FOLDER — into an empty database and an empty media folder."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Check a backup's checksums, then restore it into the configured empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--verify-only", action="store_true", help="Only check the backup's checksums.")

    def handle(self, *args, folder, verify_only, **options):
        try:
            manifest = backup_verify(folder) if verify_only else backup_restore(folder)
        except BackupError as error:
            raise CommandError(str(error))
        counts = ", ".join(f"{name} {count}" for name, count in manifest["row_counts"].items())
        verb = "verified" if verify_only else "restored"
        self.stdout.write(f"Backup {verb}: {counts}; {len(manifest['files'])} files, checksums equal.")
