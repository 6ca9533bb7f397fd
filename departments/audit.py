"""The security audit log (安全审计): who did what, from where, with what result.

Rows are appended only: database triggers refuse any UPDATE, and any DELETE of a row younger
than the legal minimum (180 days, 网络安全法 Art. 21); `archive_audit_log` writes older rows to a
signed file before removing them. Each row carries a chained digest (SM3 where OpenSSL has it,
else SHA-256) of its own fields and the previous row's digest, so `verify_audit_log` finds any
row changed, removed or inserted behind the application's back.
"""

import contextvars
import hashlib
import json

from django.db import transaction

from .models import AuditChainHead, AuditEvent


def _digest_name():
    try:
        hashlib.new("sm3")
        return "sm3"
    except ValueError:
        return "sha256"


DIGEST = _digest_name()


def row_digest(*, previous, created_at, event, username, address, object_repr, result, detail):
    canonical = json.dumps([previous, created_at.isoformat(), event, username, address, object_repr, result, detail],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.new(DIGEST, canonical.encode()).hexdigest()


# The request being served, set by `AuditContextMiddleware`, so that services deep in a call
# record the address and user without being handed the request.
current_request = contextvars.ContextVar("audit_current_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def _address(request):
    if request is None:
        return ""
    from siping_edu.client_address import client_address

    return client_address(request) or ""


def record(event, *, user=None, request=None, obj=None, result=AuditEvent.Result.SUCCESS, detail="", username=None):
    """Append one event; the chain head row is locked so that concurrent events chain in order."""
    from django.utils import timezone

    request = request if request is not None else current_request.get()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    name = username if username is not None else (user.get_username() if user else "")
    object_repr = f"{obj._meta.label}:{obj.pk} {obj}"[:200] if obj is not None else ""
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        created_at = timezone.now()
        fields = {"event": event, "username": name[:150], "address": _address(request)[:45],
                  "object_repr": object_repr, "result": result, "detail": str(detail)[:1000]}
        digest = row_digest(previous=head.digest, created_at=created_at, **fields)
        row = AuditEvent.objects.create(user=user, created_at=created_at, previous_digest=head.digest, digest=digest,
                                        **fields)
        head.digest = digest
        head.save(update_fields=["digest"])
    return row


def verify(rows=None):
    """The ids of rows whose digest does not match their fields or whose link to the previous
    row is broken; [] when the chain is whole. The first row may point to an archived one."""
    broken, previous = [], None
    for row in rows if rows is not None else AuditEvent.objects.order_by("id").iterator():
        expected = row_digest(previous=row.previous_digest, created_at=row.created_at, event=row.event,
                              username=row.username, address=row.address, object_repr=row.object_repr,
                              result=row.result, detail=row.detail)
        if expected != row.digest or (previous is not None and row.previous_digest != previous):
            broken.append(row.pk)
        previous = row.digest
    return broken
