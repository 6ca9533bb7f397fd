import datetime

import pytest
from django.urls import reverse

from tasks import services

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(lead_department, cooperating_department, unrelated_department, lead_staff, lead_head):
    plan = factories.PlanFactory(year=2021)
    section_one = factories.SectionFactory(plan=plan, number=1)
    section_two = factories.SectionFactory(plan=plan, number=2)
    led = factories.assigned_task(lead=lead_department, section=section_one, number=1, title="牵头任务")
    cooperated = factories.assigned_task(
        lead=cooperating_department, cooperating=[lead_department], section=section_two, number=2, title="配合任务"
    )
    factories.assigned_task(lead=unrelated_department, section=section_two, number=3, title="无关任务")
    report = services.report_save(
        task=led, department=lead_department, month=datetime.date(2021, 5, 1), author=lead_staff,
        progress="五月", percent=40,
    )
    services.report_submit(report=report, actor=lead_head)
    return led, cooperated


def titles(response):
    return [row.task.title for row in response.context["rows"]]


def test_lists_led_and_cooperated_tasks_with_this_months_report_state(client, setup, lead_staff):
    client.force_login(lead_staff)
    response = client.get(reverse("tasks:my_tasks"), {"month": "2021-05"})
    assert titles(response) == ["牵头任务", "配合任务"]
    rows = {row.task.title: row for row in response.context["rows"]}
    assert rows["牵头任务"].role == "lead" and rows["牵头任务"].report_state == "submitted"
    assert rows["配合任务"].role == "cooperating" and rows["配合任务"].report_state == "missing"
    assert response.context["action_count"] == 1
    assert "无关任务" not in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"role": "lead"}, ["牵头任务"]),
        ({"role": "cooperating"}, ["配合任务"]),
        ({"section": "2"}, ["配合任务"]),
        ({"state": "missing"}, ["配合任务"]),
        ({"state": "submitted"}, ["牵头任务"]),
        ({"section": "x; drop"}, ["牵头任务", "配合任务"]),
    ],
)
def test_filters(client, setup, lead_staff, query, expected):
    client.force_login(lead_staff)
    assert titles(client.get(reverse("tasks:my_tasks"), {"month": "2021-05", **query})) == expected


def test_query_count_does_not_grow_with_tasks(client, setup, lead_staff, lead_department):
    client.force_login(lead_staff)
    url = reverse("tasks:my_tasks")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    plan = setup[0].plan
    for number in range(10, 40):
        task = factories.assigned_task(lead=lead_department, section=setup[0].section, number=number)
        services.milestone_create(task=task, title="节点", due_date=datetime.date(2021, 6, 1), actor=lead_staff)
    client.get(url)  # stores the new tasks' statuses (tests/tasks/test_stored_status.py)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 32
    assert len(many) == len(few)
    assert plan.tasks.count() == 33


def test_unread_count_in_the_header(client, setup, lead_staff, supervisor_user):
    report = setup[0].reports.get()
    services.report_return(report=report, actor=supervisor_user, note="补充")
    client.force_login(lead_staff)
    page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert '1 条未读' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_marking_read_never_redirects_off_site(client, lead_staff, target):
    client.force_login(lead_staff)
    response = client.post(reverse("tasks:notifications_read"), {"next": target})
    assert response["Location"] == reverse("tasks:notifications")
