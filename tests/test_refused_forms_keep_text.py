"""Nothing typed is lost: every form that can be refused comes back with what was typed in it."""

import datetime

import pytest
from django.urls import reverse

from departments import roles
from tasks import services
from tasks.models import TaskRequest

from . import factories

pytestmark = pytest.mark.django_db
TYPED = "这段文字不能丢失"


@pytest.fixture
def world(task, lead_staff, lead_head, supervisor_user, leader_user):
    pending = services.task_request_create(task=task, kind=TaskRequest.Kind.EXTENSION, reason="需要延期",
                                           new_deadline=task.deadline + datetime.timedelta(days=31), actor=lead_head)
    services.task_request_decide(request=pending, approve=False, note="不同意", actor=supervisor_user)
    return {"task": task, "decided": pending, "staff": lead_staff, "head": lead_head, "supervisor": supervisor_user,
            "leader": leader_user, "admin": factories.with_role(roles.SECURITY_ADMINISTRATOR)}


def task_url(task, name, **extra):
    return reverse(f"tasks:{name}", kwargs={"year": task.plan.year, "number": task.number, **extra})


CASES = {
    # form: (who, url, data) — each refused for a reason other than the typed text
    "批示 with a reply-by date in the past": ("leader", lambda w: task_url(w["task"], "instruction_create"),
                                              lambda w: {"text": TYPED, "reply_by": "2000-01-01"}),
    "monthly report with an impossible percent": ("staff", lambda w: task_url(w["task"], "report_edit"),
                                                  lambda w: {"month": f"{w['task'].plan.year}-01", "progress": TYPED,
                                                             "percent": 150, "save": "1"}),
    "extension request without its new deadline": ("head", lambda w: task_url(w["task"], "request_create",
                                                                              kind="extension"),
                                                   lambda w: {"reason": TYPED}),
    "new milestone without a date": ("staff", lambda w: task_url(w["task"], "milestone_create"),
                                     lambda w: {"title": TYPED, "due_date": ""}),
    "decision on a request already decided": ("supervisor", lambda w: reverse("tasks:request_decide",
                                                                              args=[w["decided"].pk]),
                                              lambda w: {"decision": "reject", "note": TYPED}),
    "plan text with an impossible year": ("supervisor", lambda w: reverse("intake:plan_text_import"),
                                          lambda w: {"year": 1800, "text": f"一、总体要求\n1.{TYPED}。"}),
    "adjustment without a reason": ("supervisor", lambda w: task_url(w["task"], "task_assignment"),
                                    lambda w: {"lead": w["task"].lead_department_id, "responsible_person": TYPED,
                                               "deadline_text": "全年", "version": w["task"].version, "reason": ""}),
    "account with a taken username": ("admin", lambda w: reverse("departments:person_create"),
                                      lambda w: {"username": w["staff"].username, "full_name": TYPED}),
    "unit with a taken name": ("supervisor", lambda w: reverse("departments:units"),
                               lambda w: {"name": w["task"].lead_department.name, "short_name": TYPED,
                                          "kind": "office", "order": 0}),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refused_form_comes_back_with_the_text(client, world, case):
    who, url, data = CASES[case]
    client.force_login(world[who])
    response = client.post(url(world), data(world))
    assert response.status_code == 400, response.status_code
    assert TYPED in response.content.decode(), f"{case}: the typed text did not come back"
