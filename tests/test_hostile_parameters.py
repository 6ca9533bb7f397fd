"""Regression tests from a review: odd parameters answer 4xx or are ignored, never 500."""

import pytest
from django.urls import reverse

from departments.models import Membership
from reports.models import QuarterlySummary
from tasks.models import Plan, Task

from . import factories

pytestmark = pytest.mark.django_db
SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no


def test_unicode_digits_in_parameters(client, task, supervisor_user):
    client.force_login(supervisor_user)
    assert client.get(reverse("tasks:my_tasks"), {"section": SUPERSCRIPT_TWO}).status_code == 200
    assert client.get(reverse("reports:monthly_ledger"), {"section": SUPERSCRIPT_TWO}).status_code == 200
    response = client.post(reverse("tasks:notifications_read"), {"id": SUPERSCRIPT_TWO})
    assert response.status_code == 302


@pytest.mark.parametrize("number", ["abc", "-1", "9" * 30])
def test_plan_text_save_with_bad_section_numbers(client, supervisor_user, number):
    client.force_login(supervisor_user)
    response = client.post(reverse("intake:plan_text_import"), {
        "action": "save", "year": 2033, "title": "计划", "section-0-number": number,
        "section-0-title": "党建", "task-0-0-title": "任务", "task-0-0-content": "",
    })
    assert response.status_code == 302 and not Plan.objects.exists()


def test_plan_text_save_with_duplicate_sections_or_bad_year(client, supervisor_user):
    client.force_login(supervisor_user)
    base = {"action": "save", "title": "计划", "section-0-number": 1, "section-0-title": "甲",
            "section-1-number": 1, "section-1-title": "乙"}
    duplicate = client.post(reverse("intake:plan_text_import"), {**base, "year": 2033})
    assert duplicate.status_code == 400 and "板块序号" in duplicate.content.decode()
    bad_year = client.post(reverse("intake:plan_text_import"), {**base, "year": 0, "section-1-number": 2})
    assert bad_year.status_code == 400 and "计划年度须在2000至2100之间" in bad_year.content.decode()
    assert 'value="乙"' in bad_year.content.decode(), "the preview comes back with what was typed"
    assert not Plan.objects.exists()


@pytest.mark.parametrize("year", ["9" * 20, "0", "1999", "2101", "二〇二二", ""])
def test_import_confirm_with_an_absurd_year(client, supervisor_user, year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tasks.intake import services as intake_services

    from .intake.test_sheet_import import GOOD_ROWS, ledger_file

    # A real stored upload, so the request gets past the token check to the year.
    token = intake_services.store_upload(SimpleUploadedFile("t.xlsx", ledger_file(GOOD_ROWS).getvalue()))
    client.force_login(supervisor_user)
    response = client.post(reverse("intake:task_sheet_import"), {
        "action": "confirm", "token": token, "plan_year": year})
    assert response.status_code == 400
    assert "计划年度须在2000至2100之间" in response.content.decode()
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_office_heads_do_not_get_the_bureau_wide_summaries(client, task, supervisor_user):
    head = factories.member(task.lead_department, role=Membership.Role.HEAD)
    summary = QuarterlySummary.objects.create(plan=task.plan, quarter=1, state="done")
    client.force_login(head)
    assert client.get(reverse("reports:summaries"), {"year": task.plan.year}).status_code == 403
    assert client.get(reverse("reports:summary_file", args=[summary.pk, "docx"])).status_code == 403
    assert client.get(reverse("reports:dashboard")).status_code == 200, "their own office's dashboard still works"


JUNK = {"year": "²", "section": "-1", "month": "2021-13", "unit": "abc", "missing": "<x>", "page": "99999",
        "department": "0", "kind": "x", "q": "'; --", "event": "nope", "since": "yesterday", "role": "root",
        "inactive": "2", "result": "?"}


@pytest.mark.parametrize("name, kwargs, role", [
    ("tasks:plan_setup", {"year": 2021}, "supervisor"), ("tasks:plan_list", {}, "supervisor"),
    ("tasks:plan_carry_over", {"year": 2021}, "supervisor"), ("tasks:review_queue", {}, "supervisor"),
    ("tasks:search", {}, "staff"), ("departments:people", {}, "secadmin"), ("departments:audit_log", {}, "auditor"),
    ("departments:units", {}, "supervisor"), ("reports:dashboard", {}, "supervisor"),
])
def test_junk_parameters_on_the_new_pages_are_ignored(client, task, lead_staff, supervisor_user, name, kwargs, role):
    from departments import roles

    Plan.objects.filter(pk=task.plan_id).update(year=2021)
    users = {"supervisor": supervisor_user, "staff": lead_staff,
             "secadmin": factories.with_role(roles.SECURITY_ADMINISTRATOR),
             "auditor": factories.with_role(roles.AUDITOR)}
    client.force_login(users[role])
    response = client.get(reverse(name, kwargs=kwargs), JUNK)
    assert response.status_code == 200, response.status_code


@pytest.mark.parametrize("name, data", [
    ("tasks:plan_setup", {"action": "lead", "tasks": ["x", "999"], "lead": "abc", "reason": "x" * 5000}),
    ("tasks:plan_carry_over", {"year": "²", "tasks": ["-1"]}),
    ("tasks:review_batch", {"reports": ["abc", "0"]}),
    ("tasks:plan_sections", {"number": "a", "title": ""}),
    ("tasks:plan_task_create", {"section": "999999", "title": ""}),
])
def test_junk_posts_to_the_workspace_are_refused_politely(client, task, supervisor_user, name, data):
    kwargs = {} if name == "tasks:review_batch" else {"year": task.plan.year}
    client.force_login(supervisor_user)
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code in (302, 400), response.status_code
