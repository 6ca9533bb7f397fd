import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from departments import audit
from departments.models import AuditEvent


class Command(BaseCommand):
    help = ("Write audit rows older than AUDIT_RETENTION_DAYS (at least 180) to a signed file in "
            "AUDIT_ARCHIVE_DIR, then remove them. The file holds the rows and an HMAC-SHA256 of them.")

    def handle(self, *args, **options):
        days = max(settings.AUDIT_RETENTION_DAYS, 180)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        rows = list(AuditEvent.objects.filter(created_at__lt=cutoff).order_by("id"))
        if not rows:
            self.stdout.write(f"No audit rows older than {days} days.")
            return
        broken = audit.verify(rows)
        if broken:
            raise CommandError(f"Not archived: rows {broken[:20]} do not match the chain (verify_audit_log).")
        lines = [json.dumps({
            "id": row.pk, "created_at": row.created_at.isoformat(), "username": row.username, "address": row.address,
            "event": row.event, "object": row.object_repr, "result": row.result, "detail": row.detail,
            "previous_digest": row.previous_digest, "digest": row.digest,
        }, ensure_ascii=False) for row in rows]
        body = "\n".join(lines) + "\n"
        signature = hmac.new(settings.AUDIT_ARCHIVE_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()
        directory = settings.AUDIT_ARCHIVE_DIR
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = directory / f"audit-{rows[0].pk}-{rows[-1].pk}.jsonl"
        path.write_text(body + json.dumps({"hmac_sha256": signature, "rows": len(rows)}) + "\n", encoding="utf-8")
        path.chmod(0o600)
        with transaction.atomic():
            AuditEvent.objects.filter(pk__in=[row.pk for row in rows]).delete()
        audit.record("audit_archived", detail=f"{len(rows)} rows to {path.name}")
        self.stdout.write(f"Archived {len(rows)} rows to {path}.")
