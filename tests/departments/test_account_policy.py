"""Account policy (等保2.0): passwords expire and are not reused, idle accounts are disabled, demo
accounts cannot sign in to a production server, one session per account, superusers flagged."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from departments.jobs import disable_idle_accounts
from departments.login_policy import DEMO_PASSWORD_DEFAULT
from departments.models import Account, AuditEvent

from .. import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_in(client, username, password=factories.TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_last_five_passwords_are_not_chosen_again(client):
    user = factories.UserFactory(username="wang")
    client.force_login(user)
    passwords = [factories.TEST_PASSWORD] + [f"Wang-2030-pass{n}" for n in range(5)]
    for old, new in zip(passwords, passwords[1:]):
        response = client.post(reverse("password_change"),
                               {"old_password": old, "new_password1": new, "new_password2": new})
        assert response.status_code == 302, response.content.decode()[-2000:]
        client.force_login(User.objects.get(pk=user.pk))
    current = passwords[-1]
    refused = client.post(reverse("password_change"),
                          {"old_password": current, "new_password1": passwords[2], "new_password2": passwords[2]})
    assert refused.status_code == 200 and "最近" in refused.content.decode()
    allowed = client.post(reverse("password_change"),
                          {"old_password": current, "new_password1": "Wang-2030-new", "new_password2": "Wang-2030-new"})
    assert allowed.status_code == 302


def test_an_expired_password_must_be_changed_first(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = factories.UserFactory(username="old")
    Account.objects.create(user=user, password_changed_at=timezone.now() - datetime.timedelta(days=91))
    assert sign_in(client, "old").status_code == 302
    response = client.get(reverse("tasks:my_tasks"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert AuditEvent.objects.filter(event="password_expired", username="old").exists()


def test_idle_accounts_are_disabled_at_night_but_not_superusers(settings):
    settings.ACCOUNT_IDLE_DAYS = 90
    long_ago = timezone.now() - datetime.timedelta(days=100)
    idle = factories.UserFactory(last_login=long_ago)
    never = factories.UserFactory()
    User.objects.filter(pk=never.pk).update(date_joined=long_ago)
    recent = factories.UserFactory(last_login=timezone.now())
    root = factories.UserFactory(last_login=long_ago, is_superuser=True)
    assert disable_idle_accounts() == 2
    states = dict(User.objects.values_list("pk", "is_active"))
    assert (states[idle.pk], states[never.pk], states[recent.pk], states[root.pk]) == (False, False, True, True)
    assert AuditEvent.objects.filter(event="account_idle_disabled").count() == 2


def test_demo_accounts_cannot_sign_in_to_a_production_server(client, settings):
    factories.UserFactory(username="leader", password=DEMO_PASSWORD_DEFAULT)
    settings.DEBUG = False
    response = sign_in(client, "leader", DEMO_PASSWORD_DEFAULT)
    assert response.status_code == 200 and "演示账号" in response.content.decode()
    settings.DEBUG = True
    assert sign_in(Client(), "leader", DEMO_PASSWORD_DEFAULT).status_code == 302


def test_a_new_login_ends_the_other_session(settings):
    settings.SINGLE_SESSION = True
    factories.UserFactory(username="li")
    first, second = Client(), Client()
    sign_in(first, "li")
    assert first.get(reverse("tasks:my_tasks")).status_code == 200
    sign_in(second, "li")
    assert first.get(reverse("tasks:my_tasks")).status_code == 302, "the first session ended"
    assert second.get(reverse("tasks:my_tasks")).status_code == 200


def test_check_warns_about_superusers_who_sign_in(client):
    factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    sign_in(client, "root")
    from io import StringIO

    err = StringIO()
    call_command("check", stdout=StringIO(), stderr=err)
    assert "departments.W001" in err.getvalue() and "root" in err.getvalue()
