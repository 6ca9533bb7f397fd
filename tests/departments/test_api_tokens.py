"""API tokens of integration accounts: made with the key shown once, scoped, revoked, expired,
audited, throttled; and the administrator's admin page that makes them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from departments import roles
from departments.models import AuditEvent, IntegrationToken
from departments.services import ensure_bureau_role_groups, integration_token_create, integration_token_revoke

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(lead_department):
    """An integration account: a member of the unit whose tasks it may read and report on."""
    return factories.member(lead_department, role="head", username="city-platform")


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_only_the_keys_digest_is_kept(account):
    token, key = integration_token_create(user=account, name="市督查平台")
    assert token.key_hash != key and key not in token.key_hash and token.key_prefix == key[:8]
    assert len(key) >= 40
    assert AuditEvent.objects.filter(event="api_token_created").exists()


def test_a_read_only_key_reads_and_may_not_write(account):
    _token, key = integration_token_create(user=account, name="数据大屏", scope=IntegrationToken.Scope.READ)
    client = client_with(key)
    assert client.get(reverse("api:plan-list")).status_code == 200
    refused = client.post(reverse("api:report-list"), {}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"]


def test_a_read_write_key_reaches_the_persons_permissions(account):
    _token, key = integration_token_create(user=account, name="OA", scope=IntegrationToken.Scope.READ_WRITE)
    assert client_with(key).post(reverse("api:report-list"), {}, format="json").status_code == 400, \
        "past the scope: the body is judged"


def test_revoked_expired_unknown_keys_and_disabled_accounts_are_refused(account):
    revoked, revoked_key = integration_token_create(user=account, name="旧系统")
    integration_token_revoke(token=revoked)
    expiring, expiring_key = integration_token_create(
        user=account, name="临时", expires_at=timezone.now() + datetime.timedelta(hours=1))
    IntegrationToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _live, live_key = integration_token_create(user=account, name="在用")
    for key in (revoked_key, expiring_key, "not-a-key"):
        assert client_with(key).get(reverse("api:plan-list")).status_code == 401, key
    assert AuditEvent.objects.filter(event="api_token_refused").count() == 3
    assert client_with(live_key).get(reverse("api:plan-list")).status_code == 200
    assert IntegrationToken.objects.get(name="在用").last_used_at is not None
    account.is_active = False
    account.save()
    assert client_with(live_key).get(reverse("api:plan-list")).status_code == 401


def test_bad_requests_to_make_a_token_are_refused(account):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        integration_token_create(user=account, name="  ")
    with pytest.raises(ValidationError):
        integration_token_create(user=account, name="过期", expires_at=timezone.now() - datetime.timedelta(days=1))
    assert not IntegrationToken.objects.exists()


def test_each_account_is_throttled(account, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    from django.core.cache import cache

    cache.clear()
    _token, key = integration_token_create(user=account, name="轮询")
    client = client_with(key)
    codes = [client.get(reverse("api:plan-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    _other, other_key = integration_token_create(user=factories.UserFactory(), name="另一个")
    assert client_with(other_key).get(reverse("api:plan-list")).status_code == 200, "another account has its own"
    cache.clear()


def test_the_administrator_makes_a_token_in_the_admin_and_sees_the_key_once(client, account):
    ensure_bureau_role_groups()  # the roles' admin permissions, as migrate and the people page set them
    admin = factories.with_role(roles.ADMINISTRATOR, username="sysadmin", is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("admin:departments_integrationtoken_add"),
                           {"user": account.pk, "name": "市督查平台", "scope": "read"}, follow=True)
    assert response.status_code == 200
    token = IntegrationToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(re.search(rf"{re.escape(token.key_prefix)}[\w-]+", message).group() for message in shown
               if token.key_prefix in message)
    assert client_with(key).get(reverse("api:plan-list")).status_code == 200
    page = client.get(reverse("admin:departments_integrationtoken_change", args=[token.pk])).content.decode()
    assert key not in page and token.key_hash not in page
    client.post(reverse("admin:departments_integrationtoken_changelist"),
                {"action": "revoke", "_selected_action": [token.pk]})
    assert IntegrationToken.objects.get().revoked_at is not None


def test_after_a_migration_the_system_administrator_may_manage_tokens():
    """An upgrade adds a model to a role's admin models: migrate gives the role's group its
    permissions, so nobody edits groups by hand (departments.apps.role_groups_after_migrate)."""
    from django.contrib.auth.models import Group
    from django.core.management.sql import emit_post_migrate_signal

    group = Group.objects.get_or_create(name=roles.ADMINISTRATOR)[0]
    group.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert group.permissions.filter(codename__in=["add_integrationtoken", "change_integrationtoken"]).count() == 2
