"""Every URL of the portal × every role × an object of their own and of another department.

The URLconf is walked, so a new URL fails this test until its designed answers are written into
EXPECTED. Each request runs in a transaction that is rolled back, so one role's request never
changes what the next one sees. Columns: anonymous, lead staff, lead head, cooperating staff,
unrelated staff, supervisor, leader, administrator (a superuser who is also the system
administrator), security administrator, audit administrator (三员分立). "own" objects belong to the lead department's
task (cooperating department: 督导室); "other" objects to a task of the unrelated department.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from departments import roles
from departments.services import role_grant
from reports import services as report_services
from reports.models import QuarterlySummary
from tasks import services as task_services
from tasks.models import Plan

from . import factories
from .tasks.test_permission_matrix import World

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "lead_staff", "lead_head", "coop_staff", "unrelated_staff", "supervisor", "leader", "administrator",
         "secadmin", "auditor"]
LOGIN = "/accounts/login/"

# name: "own answers | other answers" (one answer per role, in ROLES order), or one row when the
# URL names no department's object. 302 for anonymous always means "to the login page"; for others
# on a POST-only view 302 is the redirect after an (empty) attempt and 400 the form refused with its
# reason on the page (the action itself was allowed).
# The administrator is a superuser and acts with the supervision office's rights.
EXPECTED = {
    "home": "302 302 302 302 302 302 302 302 302 302",
    "favicon": "301 301 301 301 301 301 301 301 301 301",
    # For the proxy and Prometheus: no login, nothing private (metrics only from internal addresses).
    "healthz": "200 200 200 200 200 200 200 200 200 200",
    "readyz": "200 200 200 200 200 200 200 200 200 200",
    "metrics": "200 200 200 200 200 200 200 200 200 200",
    "login": "200 302 302 302 302 302 302 302 302 302",
    "logout": "302 302 302 302 302 302 302 302 302 302",
    "password_change": "302 200 200 200 200 200 200 200 200 200",
    "password_change_done": "302 200 200 200 200 200 200 200 200 200",
    "set_language": "302 302 302 302 302 302 302 302 302 302",
    "tasks:current_plan": "302 302 302 302 302 302 302 302 200 200",
    "tasks:plan_detail": "302 200 200 200 200 200 200 200 404 404",
    "tasks:task_detail": "302 200 200 200 200 200 200 200 404 404 | 302 200 200 200 200 200 200 200 404 404",
    "tasks:task_history": "302 200 200 200 200 200 200 200 404 404 | 302 200 200 200 200 200 200 200 404 404",
    "tasks:report_edit": "302 200 200 200 403 403 403 403 404 404 | 302 403 403 403 200 403 403 403 404 404",
    "tasks:responsible_person": "302 302 302 403 403 302 403 302 404 404 | 302 403 403 403 302 302 403 302 404 404",
    "tasks:milestone_create": "302 400 400 403 403 400 403 400 404 404 | 302 403 403 403 400 400 403 400 404 404",
    "tasks:request_create": "302 200 200 403 403 403 403 403 404 404 | 302 403 403 403 200 403 403 403 404 404",
    "tasks:instruction_create": "302 403 403 403 403 403 400 403 404 404 | 302 403 403 403 403 403 400 403 404 404",
    "tasks:notice_create": "302 403 403 403 403 400 403 400 404 404 | 302 403 403 403 403 400 403 400 404 404",
    "tasks:notice_download": "302 200 200 200 200 200 200 200 404 404 | 302 200 200 200 200 200 200 200 404 404",
    "tasks:instruction_reply": "302 302 302 403 403 403 403 403 404 404 | 302 403 403 403 302 403 403 403 404 404",
    "tasks:milestone_update": "302 302 302 403 403 302 403 302 404 404 | 302 403 403 403 302 302 403 302 404 404",
    "tasks:milestone_done": "302 302 302 403 403 302 403 302 404 404 | 302 403 403 403 302 302 403 302 404 404",
    "tasks:milestone_reopen": "302 302 302 403 403 302 403 302 404 404 | 302 403 403 403 302 302 403 302 404 404",
    "intake:task_sheet_import": "302 403 403 403 403 200 403 200 403 403",
    "intake:plan_text_import": "302 403 403 403 403 200 403 200 403 403",
    "intake:unclear_deadlines": "302 403 403 403 403 200 403 200 403 403",
    "departments:aliases": "302 403 403 403 403 200 403 200 403 403",
    "intake:task_template": "302 200 200 200 200 200 200 200 200 200",
    "intake:plan_export": "302 200 200 200 200 200 200 200 404 404",
    "intake:plan_export_csv": "302 200 200 200 200 200 200 200 404 404",
    "tasks:my_tasks": "302 200 200 200 200 200 200 200 200 200",
    "tasks:search": "302 200 200 200 200 200 200 200 200 200",
    "tasks:leader_tasks": "302 200 200 200 200 200 200 200 200 200",
    "tasks:review_queue": "302 403 403 403 403 200 403 200 403 403",
    "tasks:review_batch": "302 403 403 403 403 302 403 302 403 403",
    "tasks:report_read": "302 403 403 403 403 403 302 403 404 404 | 302 403 403 403 403 403 302 403 404 404",
    "tasks:report_review": "302 403 403 403 403 400 403 400 404 404 | 302 403 403 403 403 400 403 400 404 404",
    "tasks:request_decide": "302 403 403 403 403 400 403 400 404 404 | 302 403 403 403 403 400 403 400 404 404",
    "tasks:evidence_download": "302 200 200 200 404 200 200 200 404 404 | 302 404 404 404 200 200 200 200 404 404",
    "tasks:notifications": "302 200 200 200 200 200 200 200 200 200",
    "tasks:notifications_read": "302 302 302 302 302 302 302 302 302 302",
    "reports:dashboard": "302 403 200 403 403 200 200 200 403 403",
    "reports:monthly_ledger": "302 403 200 403 403 200 200 200 403 403",
    "reports:summaries": "302 403 403 403 403 200 200 200 403 403",
    "reports:summary_generate": "302 403 403 403 403 302 403 302 403 403",
    "reports:summary_file": "302 403 403 403 403 200 200 200 403 403",
    # Bulletins are published to every unit: whoever opens dashboards reads them.
    "reports:bulletins": "302 403 200 403 403 200 200 200 403 403",
    "reports:bulletin_generate": "302 403 403 403 403 302 403 302 403 403",
    "reports:bulletin_file": "302 403 200 403 403 200 200 200 403 403",
    "reports:section": "302 403 200 403 403 200 200 200 403 403",
    "reports:department": "302 403 200 403 403 200 200 200 403 403 | 302 403 404 403 403 200 200 200 403 403",
    # The ranking and the rules are shown to everyone who opens dashboards; a unit's lines to
    # those whose dashboard holds the unit.
    "reports:display": "302 403 200 403 403 200 200 200 403 403",
    "reports:scores": "302 403 200 403 403 200 200 200 403 403",
    "reports:score_cards": "302 403 200 403 403 200 200 200 403 403",
    "reports:unit_score": "302 403 200 403 403 200 200 200 403 403 | 302 403 404 403 403 200 200 200 403 403",
    "reports:scoring_rules": "302 403 200 403 403 200 200 200 403 403",
    "tasks:plan_list": "302 403 403 403 403 200 403 200 403 403",
    # 政务公开: the walk's plan is made public, so its page answers everyone, signed in or not.
    "tasks:public_index": "200 200 200 200 200 200 200 200 200 200",
    "tasks:public_progress": "200 200 200 200 200 200 200 200 200 200",
    "tasks:plan_publication": "302 403 403 403 403 200 403 200 403 403",
    # The REST API asks anonymous callers for a key (401); the walk calls it with each role's
    # session. Reads are scoped like the pages (三员分立: the administrators read no plan).
    "api:plan-list": "401 200 200 200 200 200 200 200 200 200",
    "api:plan-detail": "401 200 200 200 200 200 200 200 404 404",
    "api:task-list": "401 200 200 200 200 200 200 200 200 200",
    "api:task-detail": "401 200 200 200 200 200 200 200 404 404 | 401 200 200 200 200 200 200 200 404 404",
    "api:task-milestones": "401 200 200 200 200 200 200 200 404 404 | 401 200 200 200 200 200 200 200 404 404",
    "api:milestone-list": "401 200 200 200 200 200 200 200 200 200",
    "api:milestone-detail": "401 200 200 200 200 200 200 200 404 404 | 401 200 200 200 200 200 200 200 404 404",
    "api:instruction-list": "401 200 200 200 200 200 200 200 200 200",
    "api:instruction-detail": "401 200 200 200 200 200 200 200 404 404 | 401 200 200 200 200 200 200 200 404 404",
    "api:report-list": "401 200 200 200 200 200 200 200 200 200",
    "api:report-detail": "401 200 200 200 200 200 200 200 404 404 | 401 200 200 200 200 200 200 200 404 404",
    # The walk's reports are submitted already: nobody may submit them again.
    "api:report-submit": "401 403 403 403 403 403 403 403 404 404 | 401 403 403 403 403 403 403 403 404 404",
    "api:dashboard": "401 403 200 403 403 200 200 200 403 403",
    "api:scores": "401 403 200 403 403 200 200 200 403 403",
    "api:schema": "401 200 200 200 200 200 200 200 200 200",
    "api:docs": "401 200 200 200 200 200 200 200 200 200",
    "tasks:plan_setup": "302 403 403 403 403 200 403 200 403 403",
    "tasks:plan_publish": "302 403 403 403 403 200 403 200 403 403",
    "tasks:plan_archive": "302 403 403 403 403 302 403 302 403 403",
    "tasks:plan_sections": "302 403 403 403 403 302 403 302 403 403",
    "tasks:plan_task_create": "302 403 403 403 403 302 403 302 403 403",
    "tasks:plan_carry_over": "302 403 403 403 403 200 403 200 403 403",
    "tasks:task_assignment": "302 403 403 403 403 200 403 200 403 403 | 302 403 403 403 403 200 403 200 403 403",
    "tasks:task_acknowledge": "302 302 302 403 403 403 403 403 404 404 | 302 403 403 403 302 403 403 403 404 404",
    "tasks:acknowledge_all": "302 302 302 302 302 302 302 302 302 302",
    "tasks:unit_merge": "302 403 403 403 403 302 403 302 403 403 | 302 403 403 403 403 302 403 302 403 403",
    "departments:units": "302 403 403 403 403 200 403 200 403 403",
    "departments:unit_edit": "302 403 403 403 403 200 403 200 403 403 | 302 403 403 403 403 200 403 200 403 403",
    "departments:otp_verify": "302 302 302 302 302 302 302 302 302 302",
    "departments:otp_setup": "302 200 200 200 200 200 200 200 200 200",
    "departments:my_settings": "302 200 200 200 200 200 200 200 200 200",
    "departments:locked_accounts": "302 403 403 403 403 403 403 403 200 403",
    "departments:audit_log": "302 403 403 403 403 403 403 403 403 200",
    "departments:people": "302 403 403 403 403 403 403 403 200 403",
    "departments:person_create": "302 403 403 403 403 403 403 403 200 403",
    "departments:person_edit": "302 403 403 403 403 403 403 403 200 403 | 302 403 403 403 403 403 403 403 200 403",
    "intake:people_import": "302 403 403 403 403 403 403 403 200 403",
}
# The admin site is walked too: everyone but the administrator is sent to its login page, and
# nothing anywhere answers with a server error.


def walk(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


class Walk(World):
    def __init__(self):
        super().__init__()
        self.users["administrator"] = factories.UserFactory(username="administrator", is_staff=True, is_superuser=True)
        role_grant(users=[self.users["administrator"]], role_name=roles.ADMINISTRATOR)
        # 三员分立: the security and the audit administrator, neither a superuser nor in an office.
        self.users["secadmin"] = factories.with_role(roles.SECURITY_ADMINISTRATOR, username="secadmin")
        self.users["auditor"] = factories.with_role(roles.AUDITOR, username="auditor")
        self.sessions = {}
        report_services.summary_generate(plan=self.tasks["own"].plan, quarter=1, today=datetime.date(2021, 4, 2))
        self.summary = QuarterlySummary.objects.get()
        self.bulletin = report_services.bulletin_generate(plan=self.tasks["own"].plan, month=3,
                                                          today=datetime.date(2021, 4, 2))
        self.notices = {key: task_services.supervision_notice_issue(
            task=task, actor=self.users["supervisor"], requirements="倒排工期，按时完成。") for key, task in self.tasks.items()}
        # Published (交办), so that its lead units are asked to acknowledge (签收) their tasks.
        Plan.objects.update(published_at=timezone.now(), public_progress=True)

    def url(self, name, route, key):
        task = self.tasks[key]
        values = {
            "year": str(task.plan.year), "number": str(task.number), "kind": "extension", "key": "1",
            "pk": str(self._pk(name, key)), "app_label": "tasks", "object_id": "1", "content_type_id": "1",
        }
        if name == "reports:section":
            values["number"] = "1"
        if name in ("reports:summary_file", "reports:bulletin_file"):
            values["kind"] = "xlsx"

        def fill(match):
            return values.get(match.group(1), "1")

        # Regex routes (DRF's routers: "(?P<pk>[^/.]+)") first, then path converters ("<int:pk>").
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, route)
        path = re.sub(r"<(?:\w+:)?(\w+)>", fill, path)
        return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")

    def _pk(self, name, key):
        return {
            "tasks:instruction_reply": lambda: self.instructions[key].pk,
            "tasks:milestone_update": lambda: self.milestones[key].pk,
            "tasks:milestone_done": lambda: self.milestones[key].pk,
            "tasks:milestone_reopen": lambda: self.milestones[key].pk,
            "tasks:report_review": lambda: self.reports[key].pk,
            "tasks:report_read": lambda: self.reports[key].pk,
            "tasks:notice_download": lambda: self.notices[key].pk,
            "tasks:request_decide": lambda: self.requests[key].pk,
            "tasks:evidence_download": lambda: self.evidence[key].pk,
            "reports:summary_file": lambda: self.summary.pk,
            "reports:bulletin_file": lambda: self.bulletin.pk,
            "api:task-detail": lambda: self.tasks[key].pk,
            "api:task-milestones": lambda: self.tasks[key].pk,
            "api:milestone-detail": lambda: self.milestones[key].pk,
            "api:instruction-detail": lambda: self.instructions[key].pk,
            "api:report-detail": lambda: self.reports[key].pk,
            "api:report-submit": lambda: self.reports[key].pk,
            "reports:department": lambda: self.tasks[key].lead_department.pk,
            "reports:unit_score": lambda: self.tasks[key].lead_department.pk,
            "tasks:unit_merge": lambda: self.tasks[key].lead_department.pk,
            "departments:unit_edit": lambda: self.tasks[key].lead_department.pk,
            "departments:person_edit": lambda: self.users["lead_staff" if key == "own" else "unrelated_staff"].pk,
        }.get(name, lambda: 1)()


# Views that only accept POST are asked with an empty POST (a GET would be 405 for everyone and
# say nothing about who may act); the others with GET.
POST_ONLY = {
    "logout", "set_language", "tasks:responsible_person", "tasks:milestone_create", "tasks:instruction_create",
    "tasks:instruction_reply", "tasks:milestone_update", "tasks:milestone_done", "tasks:milestone_reopen",
    "tasks:report_review", "tasks:request_decide", "tasks:notifications_read", "reports:summary_generate", "reports:bulletin_generate", "api:report-submit",
    "tasks:notice_create", "tasks:report_read", "tasks:review_batch", "tasks:plan_archive", "tasks:plan_sections", "tasks:plan_task_create", "tasks:task_acknowledge", "tasks:acknowledge_all", "tasks:unit_merge",
}


def answer(world, role, url, method="get"):
    client = Client()
    if role != "anonymous":
        # One login per role for the whole walk: each request's changes, a logout's included,
        # are rolled back, so the session stays valid for the next request.
        if role not in world.sessions:
            client.force_login(world.users[role])
            world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def test_every_url_answers_every_role_as_designed():
    world = Walk()
    found = list(walk(get_resolver().url_patterns))
    portal = [(name, route) for name, route in found if not name.startswith("admin:")]
    admin = [(name, route) for name, route in found if name.startswith("admin:")]
    unlisted = sorted({name for name, _route in portal} - set(EXPECTED))
    assert not unlisted, f"new URLs need their designed answers in EXPECTED: {unlisted}"

    wrong, errors, checked = [], [], 0
    for name, route in portal:
        rows = [row.split() for row in EXPECTED[name].split("|")]
        for key, row in zip(("own", "other"), rows):
            url = world.url(name, route, key)
            for role, expected in zip(ROLES, row):
                response = answer(world, role, url, "post" if name in POST_ONLY else "get")
                checked += 1
                if response.status_code >= 500:
                    errors.append((name, key, role, url, response.status_code))
                if str(response.status_code) != expected:
                    wrong.append(f"{name} [{key}] {role}: {response.status_code}, designed {expected} ({url})")
                if role == "anonymous" and response.status_code == 302 and name not in ("set_language", "login"):
                    if not response["Location"].startswith(LOGIN):
                        wrong.append(f"{name} [{key}] anonymous: sent to {response['Location']}, not the login page")
    for name, route in admin:
        url = world.url(name, route, "own")
        for role in ROLES:
            response = answer(world, role, url)
            checked += 1
            if response.status_code >= 500:
                errors.append((name, "admin", role, url, response.status_code))
            if role == "administrator" or name in ("admin:login", "admin:logout"):
                continue  # administrators may get anything but an error; login and logout are public
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                wrong.append(f"{name} {role}: {response.status_code}, designed 302 to the admin login ({url})")
    print(f"URL walk: {len(portal)} portal URLs and {len(admin)} admin URLs, {checked} requests")
    assert not errors, errors
    assert not wrong, "\n".join(wrong)
