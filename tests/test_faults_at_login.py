"""Guessing across accounts from one address, and a database that stays locked: refused, never a 500."""

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from departments.models import AuditEvent

from . import factories

pytestmark = pytest.mark.django_db


@override_settings(ADDRESS_FAILURE_LIMIT=20, AXES_FAILURE_LIMIT=5)
def test_an_address_guessing_across_accounts_signs_nobody_in(client):
    for number in range(10):
        factories.UserFactory(username=f"clerk{number}")
        for _ in range(2):  # two wrong passwords per account: no account reaches its own limit
            client.post(reverse("login"), {"username": f"clerk{number}", "password": "guess"}, REMOTE_ADDR="10.7.7.7")
    factories.UserFactory(username="innocent")
    refused = client.post(reverse("login"), {"username": "innocent", "password": factories.TEST_PASSWORD},
                          REMOTE_ADDR="10.7.7.7")
    assert refused.status_code == 200 and "此地址" in refused.content.decode()
    assert AuditEvent.objects.filter(detail="address locked").exists()
    elsewhere = client.post(reverse("login"), {"username": "innocent", "password": factories.TEST_PASSWORD},
                            REMOTE_ADDR="10.8.8.8")
    assert elsewhere.status_code == 302, "other addresses are not affected"


def test_a_locked_database_answers_503_in_chinese(client, lead_staff, monkeypatch):
    from tasks.views import plans

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(plans.MyTasksView, "get_context_data", locked)
    client.force_login(lead_staff)
    response = client.get(reverse("tasks:my_tasks"))
    assert response.status_code == 503 and "系统繁忙" in response.content.decode()
    assert response["Retry-After"] == "5"
