"""The security audit log: what it records, that its chain shows tampering, that the database
refuses to rewrite it (PostgreSQL), archiving, and that only the audit administrator reads it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from departments import audit, roles
from departments.models import AuditEvent

from .. import factories

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("event", "username", "result"))


def test_logins_failures_and_logouts_are_recorded_with_the_address(client):
    factories.UserFactory(username="zhang")
    login = reverse("login")
    client.post(login, {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(login, {"username": "zhang", "password": factories.TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    assert events() == [("login_failed", "zhang", "failure"), ("login", "zhang", "success"),
                        ("logout", "zhang", "success")]
    assert set(AuditEvent.objects.values_list("address", flat=True)) == {"10.1.2.3"}


def test_a_superuser_signing_in_is_flagged(client):
    factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.post(reverse("login"), {"username": "root", "password": factories.TEST_PASSWORD})
    assert events() == [("login", "root", "warning")]


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_recorded_and_the_security_administrator_unlocks_it(client):
    factories.UserFactory(username="li")
    for _ in range(3):
        client.post(reverse("login"), {"username": "li", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    assert ("lockout", "li", "failure") in events()
    secadmin = factories.with_role(roles.SECURITY_ADMINISTRATOR, username="sec")
    client.force_login(secadmin)
    page = client.get(reverse("departments:locked_accounts"))
    [attempt] = page.context["attempts"]
    assert client.post(reverse("departments:locked_accounts"), {"attempt": attempt.pk}).status_code == 302
    assert events(event="unlock") == [("unlock", "sec", "success")]
    client.logout()
    response = client.post(reverse("login"), {"username": "li", "password": factories.TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302, "unlocked"


def test_the_chain_shows_a_changed_a_removed_or_an_inserted_row():
    for number in range(4):
        audit.record("export", detail=f"第{number}份")
    rows = list(AuditEvent.objects.order_by("id"))
    assert audit.verify(rows) == []
    rows[1].detail = "改过的"
    assert audit.verify(rows) == [rows[1].pk]
    rows = list(AuditEvent.objects.order_by("id"))
    del rows[2]
    assert audit.verify(rows) == [rows[2].pk], "the row after a removed one no longer links"
    call_command("verify_audit_log")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the append-only trigger is PostgreSQL's (the embedded SQLite default has none)")
def test_the_database_refuses_to_change_or_remove_recent_rows():
    row = audit.record("export", detail="原文")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(detail="篡改")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.get(pk=row.pk).detail == "原文"


def test_rows_past_retention_are_archived_to_a_signed_file(monkeypatch, settings, tmp_path):
    import hashlib
    import hmac
    import json

    settings.AUDIT_ARCHIVE_DIR = tmp_path
    old = timezone.now() - datetime.timedelta(days=200)
    monkeypatch.setattr(timezone, "now", lambda: old)
    audit.record("login", username="early")
    monkeypatch.undo()
    audit.record("login", username="recent")
    call_command("archive_audit_log")
    assert "early" not in AuditEvent.objects.values_list("username", flat=True)
    [archive] = tmp_path.glob("audit-*.jsonl")
    *rows, trailer = archive.read_text(encoding="utf-8").splitlines()
    body = "\n".join(rows) + "\n"
    assert json.loads(rows[0])["username"] == "early"
    assert json.loads(trailer)["hmac_sha256"] == hmac.new(settings.AUDIT_ARCHIVE_KEY.encode(), body.encode(),
                                                          hashlib.sha256).hexdigest()
    assert audit.verify() == [], "the first remaining row may point to an archived one"


def test_only_the_audit_administrator_reads_and_exports_it(client, supervisor_user):
    audit.record("export", detail="=HYPERLINK(\"http://x\")")
    auditor = factories.with_role(roles.AUDITOR, username="aud")
    for user in (factories.with_role(roles.SECURITY_ADMINISTRATOR), factories.with_role(roles.ADMINISTRATOR),
                 supervisor_user, factories.UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user)
        assert client.get(reverse("departments:audit_log")).status_code == 403
    client.force_login(auditor)
    assert client.get(reverse("departments:audit_log"), {"event": "export"}).status_code == 200
    exported = client.get(reverse("departments:audit_log"), {"event": "export", "format": "csv"})
    text = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text, "exported text stays inert"
    assert events(event="audit_export") == [("audit_export", "aud", "success")]


def test_the_security_administrator_cannot_grant_itself_roles(client):
    secadmin = factories.with_role(roles.SECURITY_ADMINISTRATOR, username="sec")
    client.force_login(secadmin)
    response = client.post(reverse("departments:person_edit", args=[secadmin.pk]), {
        "full_name": "安全员", "email": "", "phone": "", "roles": [roles.SECURITY_ADMINISTRATOR, roles.SUPERVISOR],
        "is_active": "on"})
    assert response.status_code == 400
    assert roles.roles_of(type(secadmin).objects.get(pk=secadmin.pk)) == {roles.SECURITY_ADMINISTRATOR}
    assert events(event="roles_changed") == [("roles_changed", "sec", "failure")]


def test_downloads_and_exports_are_recorded(client, task, lead_staff):
    from tasks.evidence import check_uploads
    from tasks.services import evidence_attach

    from ..files import pdf_bytes, upload

    [evidence] = evidence_attach(task=task, uploads=check_uploads([upload("方案.pdf", pdf_bytes())]), actor=lead_staff)
    client.force_login(lead_staff)
    client.get(reverse("tasks:evidence_download", args=[evidence.pk]))
    client.get(reverse("intake:plan_export", args=[task.plan.year]))
    assert [e[0] for e in events() if e[0] != "login"] == ["evidence_download", "export"]
