"""What happens to an account at login, by the bureau's password and session policy (等保2.0):
a one-time or expired password must be changed before anything else, and a new login ends the
account's other session (SINGLE_SESSION). Demo accounts cannot sign in when DEBUG is off."""

import datetime

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import Account

MUST_CHANGE_PASSWORD = "must_change_password"
# Demo accounts share this password (load_demo); with DEBUG off an account holding it is refused.
DEMO_PASSWORD_DEFAULT = "Siping@2021"


def demo_password():
    import os

    return os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


def password_expired(user, account, now):
    if not settings.PASSWORD_MAX_AGE_DAYS:
        return False
    changed = (account.password_changed_at if account else None) or user.date_joined
    return changed < now - datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def on_login(sender, request, user, **kwargs):
    """user_logged_in: note in the session whether the password must be changed first (so the
    check costs no query per request), and end the account's other session."""
    from . import two_factor

    two_factor.note_at_login(request, user)
    account, _created = Account.objects.get_or_create(user=user)
    if account.must_change_password:
        request.session[MUST_CHANGE_PASSWORD] = True
    elif password_expired(user, account, timezone.now()):
        request.session[MUST_CHANGE_PASSWORD] = True
        audit.record("password_expired", user=user, request=request, result=audit.AuditEvent.Result.WARNING)
    if settings.SINGLE_SESSION and request.session.session_key:
        if account.session_key and account.session_key != request.session.session_key:
            from importlib import import_module

            import_module(settings.SESSION_ENGINE).SessionStore(session_key=account.session_key).delete()
        account.session_key = request.session.session_key
        account.save(update_fields=["session_key"])


def address_locked(request):
    """Whether the address has failed ADDRESS_FAILURE_LIMIT logins within the cool-off time,
    whatever the usernames (django-axes locks a username at one address; this stops an address
    guessing across many accounts)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    from siping_edu.client_address import client_address

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(ip_address=client_address(request), attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
    return failures >= settings.ADDRESS_FAILURE_LIMIT


class PortalAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing an address that guesses across accounts, and demo accounts on
    a production server (DEBUG off)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "address_locked": _("Too many failed logins from this address: wait %(minutes)d minutes or ask the "
                            "security administrator."),
        "demo_account": _("Demo accounts cannot sign in to a production server. Ask the security administrator "
                          "for an account."),
    }

    def clean(self):
        if self.request is not None and address_locked(self.request):
            audit.record("login_failed", request=self.request, username=str(self.data.get("username", ""))[:150],
                         result=audit.AuditEvent.Result.FAILURE, detail="address locked")
            raise ValidationError(self.error_messages["address_locked"], code="address_locked",
                                  params={"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.DEBUG and user.check_password(demo_password()):
            audit.record("login_failed", username=user.get_username(), request=self.request,
                         result=audit.AuditEvent.Result.FAILURE, detail="demo password on a production server")
            raise ValidationError(self.error_messages["demo_account"], code="demo_account")
