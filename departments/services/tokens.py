"""API tokens of integration accounts: made (the key shown once), revoked, and checked."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..models import IntegrationToken

KEY_BYTES = 32
# The last use is written at most this often: an API client polling every second must not make
# a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def integration_token_create(*, user, name, scope=IntegrationToken.Scope.READ, expires_at=None, actor=None):
    """A new token for `user`; returns (token, key). The key is not kept: show it now or never."""
    if not user.is_active:
        raise ValidationError({"user": _("The account is disabled.")})
    if not name.strip():
        raise ValidationError({"name": _("Say which system will use the token.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose a time in the future.")})
    key = secrets.token_urlsafe(KEY_BYTES)
    token = IntegrationToken(user=user, name=name.strip(), scope=scope, key_prefix=key[:8], key_hash=_digest(key),
                             created_by=actor, expires_at=expires_at)
    token.full_clean(exclude=["key_hash"])
    token.save()
    audit.record("api_token_created", user=actor, obj=token, detail=f"{user.get_username()} {scope}")
    return token, key


@transaction.atomic
def integration_token_revoke(*, token, actor=None):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("api_token_revoked", user=actor, obj=token, detail=token.user.get_username())
    return token


def integration_token_check(key):
    """The live token for `key` (not revoked, not expired, its account active), or None. Marks
    its last use."""
    token = IntegrationToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    now = timezone.now()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        audit.record("api_token_refused", result=audit.AuditEvent.Result.FAILURE,
                     detail=f"{key[:8]}… " + ("unknown" if token is None else "revoked, expired or account disabled"))
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
