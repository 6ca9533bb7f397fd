"""The REST API of plans and their work, per endpoint and role: what each role reads, what it may
write, and that writes go through the same rules (and services) as the pages."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from departments.models import IntegrationToken
from departments.services import integration_token_create
from tasks.models import Instruction, Milestone, Plan, ProgressReport

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(lead_department, cooperating_department):
    section = factories.SectionFactory(plan=factories.PlanFactory(year=2021))
    return factories.assigned_task(lead=lead_department, cooperating=[cooperating_department], section=section)


@pytest.fixture
def world(task, lead_head, lead_staff, cooperating_staff, unrelated_staff, supervisor_user, leader_user):
    Milestone.objects.create(task=task, title="出台方案", due_date=datetime.date(2021, 3, 31))
    Instruction.objects.create(task=task, author=leader_user, text="抓紧推进。")
    draft = ProgressReport.objects.create(task=task, department=task.lead_department, month=datetime.date(2021, 3, 1),
                                          author=lead_staff, progress="草稿内容", percent=20)
    draft_plan = factories.PlanFactory(year=2030, status=Plan.Status.DRAFT)
    hidden = factories.assigned_task(lead=task.lead_department, section=factories.SectionFactory(plan=draft_plan))
    return {"task": task, "draft": draft, "hidden": hidden, "head": lead_head, "staff": lead_staff,
            "cooperating": cooperating_staff, "unrelated": unrelated_staff, "supervisor": supervisor_user,
            "leader": leader_user}


def api(user=None, scope=IntegrationToken.Scope.READ_WRITE):
    """A client authenticated as `user` with a token of `scope`, as an integration would call."""
    client = APIClient()
    if user is not None:
        _token, key = integration_token_create(user=user, name="测试系统", scope=scope)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_anonymous_callers_are_asked_for_a_key(world):
    response = api().get(reverse("api:task-list"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_plans_and_sections_as_each_role_sees_them(world):
    years = {name: [plan["year"] for plan in api(world[name]).get(reverse("api:plan-list")).json()]
             for name in ("staff", "leader", "supervisor")}
    assert years == {"staff": [2021], "leader": [2021], "supervisor": [2030, 2021]}, "drafts for the supervision office"
    plan = api(world["staff"]).get(reverse("api:plan-detail", args=[2021])).json()
    assert plan["sections"] == [{"number": world["task"].section.number, "title": world["task"].section.title}]
    assert api(world["staff"]).get(reverse("api:plan-detail", args=[2030])).status_code == 404


def test_tasks_carry_their_status_and_reason(world):
    body = api(world["unrelated"]).get(reverse("api:task-list"), {"plan": 2021}).json()
    assert body["count"] == 1
    task = body["results"][0]
    assert task["id"] == world["task"].pk and task["lead_department"]["name"] == "基础教育科"
    assert task["cooperating_departments"] == [{"id": world["task"].cooperating_departments.get().pk, "name": "督导室"}]
    assert set(task["status"]) == {"light", "label", "reason", "expected_percent", "actual_percent"}
    assert task["status"]["light"] in {"done", "ahead", "normal", "warning", "late", "not_started"}
    detail = api(world["unrelated"]).get(reverse("api:task-detail", args=[world["task"].pk])).json()
    assert detail["status"] == task["status"]
    assert api(world["staff"]).get(reverse("api:task-detail", args=[world["hidden"].pk])).status_code == 404
    assert api(world["supervisor"]).get(reverse("api:task-detail", args=[world["hidden"].pk])).status_code == 200


def test_task_filters_and_pagination(world, settings):
    settings.API_PAGE_SIZE = 1
    for offset in (1, 2):  # numbers next to the factory's, which a sequence across the session chose
        factories.assigned_task(lead=world["task"].lead_department, section=world["task"].section,
                                number=world["task"].number + offset)
    client = api(world["leader"])
    first = client.get(reverse("api:task-list"), {"plan": 2021}).json()
    assert first["count"] == 3 and len(first["results"]) == 1 and "page=2" in first["next"]
    assert client.get(reverse("api:task-list"), {"plan": 2021, "page_size": 5}).json()["count"] == 3
    assert len(client.get(reverse("api:task-list"), {"plan": 2021, "page_size": 5}).json()["results"]) == 3
    assert client.get(reverse("api:task-list"), {"plan": 1999}).json()["count"] == 0
    assert client.get(reverse("api:task-list"), {"state": "nonsense"}).status_code == 400


def test_milestones_and_instructions(world):
    client = api(world["cooperating"])
    milestones = client.get(reverse("api:task-milestones", args=[world["task"].pk])).json()
    assert [m["title"] for m in milestones] == ["出台方案"]
    assert client.get(reverse("api:milestone-list"), {"task": world["task"].pk}).json()["count"] == 1
    instructions = client.get(reverse("api:instruction-list")).json()["results"]
    assert [i["text"] for i in instructions] == ["抓紧推进。"]


def test_drafts_stay_inside_their_unit(world):
    def reports(user):
        return [r["progress"] for r in api(user).get(reverse("api:report-list")).json()["results"]]

    assert reports(world["staff"]) == ["草稿内容"] and reports(world["head"]) == ["草稿内容"]
    assert reports(world["cooperating"]) == [] and reports(world["leader"]) == []
    assert api(world["leader"]).get(reverse("api:report-detail", args=[world["draft"].pk])).status_code == 404


def test_a_unit_writes_edits_and_submits_its_report(world):
    task, head = world["task"], world["head"]
    client = api(head)
    created = client.post(reverse("api:report-list"), {
        "task": task.pk, "department": task.lead_department.pk, "month": "2021-04-15", "progress": "四月推进",
        "percent": 30}, format="json")
    assert created.status_code == 201, created.json()
    report = created.json()
    assert report["month"] == "2021-04-01" and report["state"] == "draft"
    again = client.post(reverse("api:report-list"), {
        "task": task.pk, "department": task.lead_department.pk, "month": "2021-04-01", "progress": "重复",
        "percent": 30}, format="json")
    assert again.status_code == 400 and ProgressReport.objects.filter(progress="重复").count() == 0, \
        "a report for the month exists: edit it"

    url = reverse("api:report-detail", args=[report["id"]])
    stale = client.patch(url, {"progress": "旧版本", "version": report["version"] + 5}, format="json")
    assert stale.status_code == 409
    edited = client.patch(url, {"progress": "四月完成调研", "version": report["version"]}, format="json")
    assert edited.status_code == 200 and edited.json()["progress"] == "四月完成调研"
    assert client.patch(url, {"progress": "无版本"}, format="json").status_code == 400

    submitted = client.post(reverse("api:report-submit", args=[report["id"]]))
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert ProgressReport.objects.get(pk=report["id"]).submitted_by == head
    assert client.patch(url, {"progress": "提交后修改", "version": submitted.json()["version"]},
                        format="json").status_code == 403, "a submitted report is no longer edited"


def test_others_may_not_write_a_units_report(world):
    task = world["task"]
    body = {"task": task.pk, "department": task.lead_department.pk, "month": "2021-04-01", "progress": "冒名",
            "percent": 10}
    assert api(world["unrelated"]).post(reverse("api:report-list"), body, format="json").status_code == 400, \
        "the task is not one the unit reports on"
    assert api(world["cooperating"]).post(reverse("api:report-list"), body, format="json").status_code == 403, \
        "a cooperating unit reports for itself, not for the lead"
    assert api(world["leader"]).patch(reverse("api:report-detail", args=[world["draft"].pk]),
                                      {"progress": "改", "version": 1}, format="json").status_code == 404
    assert api(world["cooperating"]).post(reverse("api:report-submit", args=[world["draft"].pk])).status_code == 404
    assert ProgressReport.objects.count() == 1


def test_staff_may_not_submit_where_heads_submit(world, settings):
    settings.STAFF_MAY_SUBMIT_REPORTS = False
    response = api(world["staff"]).post(reverse("api:report-submit", args=[world["draft"].pk]))
    assert response.status_code == 403
    assert ProgressReport.objects.get().state == ProgressReport.State.DRAFT


def test_a_bad_body_gets_field_errors_in_chinese(world):
    response = api(world["head"]).post(reverse("api:report-list"), {"task": world["task"].pk, "percent": 150},
                                       format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    errors = response.json()
    assert {"department", "month", "progress", "percent"} <= set(errors)
    assert "该字段是必填项。" in errors["progress"]


def test_a_missing_object_is_not_found_in_the_callers_language(world):
    response = api(world["staff"]).get(reverse("api:task-detail", args=[999999]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
