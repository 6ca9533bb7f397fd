"""Accounts: login lockout and unlocking, the client address behind the proxy, session limits,
logout everywhere on a password change, and the Content-Security-Policy on every page."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def attempt(client, username, password, address="10.0.0.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


@pytest.fixture
def clerk(db):
    return factories.UserFactory(username="clerk")


def test_five_failures_lock_the_user_at_that_address_with_a_clear_message(client, clerk):
    for _ in range(4):
        assert attempt(client, "clerk", "wrong").status_code == 200, "a wrong password is just refused"
    locked = attempt(client, "clerk", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已锁定" in page and "5" in page and "30" in page, "says how many attempts and for how long"

    still = attempt(client, "clerk", factories.TEST_PASSWORD)
    assert still.status_code == 429, "even the right password waits while locked"
    elsewhere = attempt(Client(), "clerk", factories.TEST_PASSWORD, address="10.0.0.8")
    assert elsewhere.status_code == 302, "the same account from another address is not locked"
    other_user = factories.UserFactory(username="other")
    assert attempt(Client(), other_user.username, factories.TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_by_command_and_in_the_admin(client, clerk, admin_client):
    for _ in range(5):
        attempt(client, "clerk", "wrong")
    assert attempt(client, "clerk", factories.TEST_PASSWORD).status_code == 429
    call_command("axes_reset_username", "clerk", verbosity=0)
    assert attempt(client, "clerk", factories.TEST_PASSWORD).status_code == 302

    client.post("/accounts/logout/")
    for _ in range(5):
        attempt(client, "clerk", "wrong")
    record = AccessAttempt.objects.get(username="clerk")
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "clerk" in changelist.content.decode()
    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[record.pk]), {"post": "yes"})
    assert attempt(client, "clerk", factories.TEST_PASSWORD).status_code == 302


def test_without_a_proxy_a_forged_header_changes_nothing(client, clerk, settings):
    settings.BEHIND_HTTPS_PROXY = False
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(client, "clerk", "wrong", address="10.0.0.7", HTTP_X_FORWARDED_FOR=spoofed)
    assert AccessAttempt.objects.get(username="clerk").ip_address == "10.0.0.7"
    assert attempt(client, "clerk", factories.TEST_PASSWORD, HTTP_X_FORWARDED_FOR="8.8.8.8").status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, clerk, settings):
    """The proxy appends the client's address; whatever the client wrote before it is ignored."""
    settings.BEHIND_HTTPS_PROXY = True
    settings.TRUSTED_PROXY_ADDRESSES = ["172.16.0.2"]
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(client, "clerk", "wrong", address="172.16.0.2", HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.9")
    assert AccessAttempt.objects.get(username="clerk").ip_address == "203.0.113.9"
    again = attempt(client, "clerk", factories.TEST_PASSWORD, address="172.16.0.2",
                    HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
    assert again.status_code == 429, "rotating the forged part does not escape the lock"
    fresh = attempt(Client(), "clerk", factories.TEST_PASSWORD, address="172.16.0.2",
                    HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert fresh.status_code == 302


def test_a_client_talking_to_the_application_directly_cannot_choose_its_address(client, clerk, settings):
    """Production settings trust X-Forwarded-For, but only from the proxy's own address."""
    settings.BEHIND_HTTPS_PROXY = True
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        attempt(client, "clerk", "wrong", address="198.51.100.7", HTTP_X_FORWARDED_FOR=spoofed)
    assert AccessAttempt.objects.get(username="clerk").ip_address == "198.51.100.7"
    rotated = attempt(client, "clerk", factories.TEST_PASSWORD, address="198.51.100.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert rotated.status_code == 429, "rotating the header does not escape the lock"


def _session_times(client):
    session = client.session
    return session, session["_session_started_at"], session["_session_seen_at"]


@pytest.mark.parametrize("idle_minutes, total_hours, ends", [(29, 1, False), (31, 1, True), (1, 9.9, False), (1, 10.1, True)])
def test_sessions_end_after_30_idle_minutes_or_10_hours(client, clerk, idle_minutes, total_hours, ends):
    client.force_login(clerk)
    assert client.get("/my/").status_code == 200
    session, started, seen = _session_times(client)
    session["_session_started_at"] = started - int(total_hours * 3600)
    session["_session_seen_at"] = seen - idle_minutes * 60
    session.save()
    response = client.get("/my/")
    if ends:
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "会话已结束" in page, "the login page says why"
    else:
        assert response.status_code == 200


def test_an_ended_session_tells_htmx_to_go_to_the_login_page(client, clerk):
    client.force_login(clerk)
    client.get("/my/")
    session = client.session
    session["_session_seen_at"] -= 31 * 60
    session.save()
    response = client.get("/notifications/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == LOGIN


def test_changing_the_password_logs_out_every_other_session(clerk, settings):
    settings.SINGLE_SESSION = False  # two sessions at once, which a bureau may allow
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert attempt(client, "clerk", factories.TEST_PASSWORD).status_code == 302
        assert client.get("/my/").status_code == 200
    page = here.get(reverse("password_change"))
    assert page.status_code == 200
    response = here.post(reverse("password_change"), {
        "old_password": factories.TEST_PASSWORD, "new_password1": "Bureau#2026-strong", "new_password2": "Bureau#2026-strong",
    })
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert here.get("/my/").status_code == 200, "the session that changed it stays"
    assert elsewhere.get("/my/").status_code == 302, "every other session is logged out"


def test_a_weak_new_password_is_refused_in_chinese(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("password_change"), {
        "old_password": factories.TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    assert "密码" in response.content.decode() and clerk.check_password(factories.TEST_PASSWORD)


def test_every_page_carries_a_policy_without_inline_scripts(client, leader_user):
    client.force_login(leader_user)
    for url in [LOGIN, "/", "/my/", "/dashboard/", reverse("password_change")]:
        response = client.get(url, follow=True)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy
        page = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), f"inline script on {url}"
        assert not re.search(r"\son[a-z]+=", page) and " style=" not in page, f"inline handler or style on {url}"


@pytest.mark.parametrize("password, accepted", [
    ("siping-education-bureau", False),  # long, but lower-case and symbols only
    ("Sipingbureau2026", True),  # lower, upper, digits
    ("Sp#2026x", False),  # three kinds, but shorter than ten characters
    ("sipingbureau#2026", True),  # lower, symbols, digits
])
def test_a_new_password_needs_ten_characters_of_three_kinds(client, clerk, password, accepted):
    client.force_login(clerk)
    response = client.post(reverse("password_change"), {
        "old_password": factories.TEST_PASSWORD, "new_password1": password, "new_password2": password,
    })
    clerk.refresh_from_db()
    assert clerk.check_password(password) == accepted
    if not accepted:
        assert response.status_code == 200 and ("种字符" in response.content.decode() or "至少" in response.content.decode())
