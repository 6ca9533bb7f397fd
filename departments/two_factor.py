"""Two-factor authentication (双因素认证, 等保2.0 level 3): a TOTP device (one factor built on a
cryptographic key) besides the password, and single-use recovery codes.

Required for the roles in TWO_FACTOR_REQUIRED_ROLES and for superusers, optional for others. After
the password, a person with a device gives its code; a person who must have one and has none
enrols first. Failed codes count as failed logins for the lockout (django-axes), so guessing the
second factor locks the account as guessing the password does.
"""

import io

from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditEvent
from .permissions import must_use_second_factor

RECOVERY_CODES = 10
ALLOWED_BEFORE_SECOND_FACTOR = {"otp_verify", "otp_setup", "logout", "set_language"}
# Set at login: what the session still owes ("verify" a code, or "enrol" a device first), so the
# check on each request costs no query.
SECOND_FACTOR_DUE = "second_factor_due"


def note_at_login(request, user):
    if has_device(user):
        request.session[SECOND_FACTOR_DUE] = "verify"
    elif must_use_second_factor(user):
        request.session[SECOND_FACTOR_DUE] = "enrol"


def has_device(user):
    return user_has_device(user, confirmed=True)


class TwoFactorRequiredMiddleware:
    """A signed-in person who has a device but has not given its code, or must have one and has
    none, may open nothing but the code or enrolment page (and log out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        due = request.session.get(SECOND_FACTOR_DUE)
        if due and request.user.is_authenticated and not request.user.is_verified():
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ALLOWED_BEFORE_SECOND_FACTOR:
                return redirect("departments:otp_verify" if due == "verify" else "departments:otp_setup")
        return self.get_response(request)


def verify(request, token):
    """Check a TOTP code or a recovery code; on success the session is verified. A failure is a
    failed login for the lockout; once locked, the session ends."""
    user = request.user
    device = match_token(user, token.strip().replace(" ", ""))
    if device is not None:
        otp_login(request, device)
        request.session.pop(SECOND_FACTOR_DUE, None)
        audit.record("otp_verified", request=request,
                     detail="recovery code" if isinstance(device, StaticDevice) else "TOTP")
        return True
    audit.record("otp_failed", request=request, result=AuditEvent.Result.FAILURE)
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    from axes.handlers.proxy import AxesProxyHandler

    if AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()}):
        logout(request)
    return False


def enrolment_device(user):
    """The person's unconfirmed TOTP device, made on first visit (its key is new each time one
    is made, never shown again once confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def qr_svg(device):
    """The otpauth:// URL as an SVG QR code drawn on the server (no third-party service)."""
    import segno

    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True)
    return out.getvalue().decode()


@transaction.atomic
def confirm_enrolment(request, device, token):
    """Confirm the device with its first code; returns fresh recovery codes (shown once) or None."""
    if not device.verify_token(token.strip().replace(" ", "")):
        audit.record("otp_failed", request=request, result=AuditEvent.Result.FAILURE, detail="enrolment")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    codes = recovery_codes_reset(device.user)
    otp_login(request, device)
    request.session.pop(SECOND_FACTOR_DUE, None)
    audit.record("otp_enrolled", request=request)
    return codes


def recovery_codes_reset(user, count=RECOVERY_CODES):
    """New single-use recovery codes; the old ones stop working."""
    static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
