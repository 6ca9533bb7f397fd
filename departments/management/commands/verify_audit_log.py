from django.core.management.base import BaseCommand, CommandError

from departments import audit
from departments.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit log's chained digests; any row changed, removed or inserted is reported."

    def handle(self, *args, **options):
        broken = audit.verify()
        total = AuditEvent.objects.count()
        if broken:
            raise CommandError(f"{len(broken)} of {total} audit rows do not match the chain: ids {broken[:50]}")
        self.stdout.write(f"The audit log is whole: {total} rows, digest {audit.DIGEST}.")
