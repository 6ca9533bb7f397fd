"""The OpenAPI schema: valid, complete (no warnings), served at /api/schema/ to callers with a
key, with its docs page whose assets are ours (no CDN)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from departments.services import integration_token_create

from . import factories

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_and_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/plans/", "/api/tasks/", "/api/tasks/{id}/milestones/", "/api/reports/{id}/submit/",
                 "/api/instructions/", "/api/dashboard/", "/api/scores/"):
        assert f"  {path}:" in text, path
    assert "bearerFormat" in text or "scheme: bearer" in text


def test_the_schema_is_served_to_a_key_and_not_to_anyone(lead_department):
    assert APIClient().get(reverse("api:schema")).status_code == 401
    _token, key = integration_token_create(user=factories.member(lead_department), name="OA")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200 and response.json()["info"]["title"]


def test_the_docs_page_loads_only_local_assets(client, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("api:docs")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<script>" not in page.replace(" ", ""), "no inline script: the CSP forbids it"
