"""Two-factor authentication: required by role, enrolment with a locally drawn QR code and
recovery codes, codes checked, recovery codes single-use, and wrong codes locking the account."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from departments import roles
from departments.models import AuditEvent

from .. import factories

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": factories.TEST_PASSWORD})


def enrol(client):
    client.get(reverse("departments:otp_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("departments:otp_setup"), {"token": code(device)})
    assert response.status_code == 200
    return device, response.context["codes"]


# django-otp slows a device down for a second after a wrong code; these tests give the next code
# at once, and the lockout below is what stops guessing.
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_a_supervisor_must_enrol_then_gives_a_code_at_every_login(client):
    factories.supervisor(username="sun")
    sign_in(client, "sun")
    response = client.get(reverse("tasks:review_queue"))
    assert response.status_code == 302 and response.url == reverse("departments:otp_setup")
    page = client.get(reverse("departments:otp_setup")).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1][:200].lower().replace("http://www.w3.org", "")
    device, codes = enrol(client)
    assert len(codes) == 10 and client.get(reverse("tasks:review_queue")).status_code == 200

    client.post(reverse("logout"))
    sign_in(client, "sun")
    assert client.get(reverse("tasks:review_queue")).url == reverse("departments:otp_verify")
    assert client.post(reverse("departments:otp_verify"), {"token": "000000"}).status_code == 400
    device.refresh_from_db()
    assert client.post(reverse("departments:otp_verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("tasks:review_queue")).status_code == 200

    client.post(reverse("logout"))
    sign_in(client, "sun")
    assert client.post(reverse("departments:otp_verify"), {"token": codes[0]}).status_code == 400, "single use"
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"otp_enrolled", "otp_verified", "otp_failed"} <= events


def test_staff_are_not_asked_unless_they_enrol(client, lead_staff):
    client.force_login(lead_staff)
    assert client.get(reverse("tasks:my_tasks")).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
def test_wrong_codes_lock_the_account_like_wrong_passwords(client):
    factories.with_role(roles.LEADER, username="wang")
    sign_in(client, "wang")
    enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "wang")
    for _ in range(3):
        response = client.post(reverse("departments:otp_verify"), {"token": "123456"})
    assert response.status_code == 429, "the third wrong code locks the account (django-axes' lockout page)"
    assert client.get(reverse("tasks:my_tasks")).url.startswith(reverse("login")), "and ends the session"
    assert sign_in(client, "wang").status_code == 429, "the right password does not get in either"
    assert AuditEvent.objects.filter(event="lockout", username="wang").exists()


@override_settings(TWO_FACTOR_REQUIRED_ROLES=["督查室"])  # the security administrator acts without one here
def test_the_security_administrator_resets_a_lost_phone(client):
    factories.supervisor(username="sun")
    sign_in(client, "sun")
    enrol(client)
    secadmin = factories.with_role(roles.SECURITY_ADMINISTRATOR, username="sec")
    other = type(secadmin).objects.get(username="sun")
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(secadmin)
    response = admin_client.post(reverse("departments:person_edit", args=[other.pk]), {"action": "reset_second_factor"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=other).exists()
    assert client.get(reverse("tasks:my_tasks")).status_code == 302, "the person's session ended"
    assert AuditEvent.objects.filter(event="otp_reset").exists()
