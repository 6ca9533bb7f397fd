"""The pages staff and the supervision office open every day ask the database the same number of
questions however big the plan is: no query per task, per report or per notice (#17). Each page is
measured on a small plan, then again after 30 more busy tasks (reports from the lead and the
cooperating unit, submitted for review, milestones, evidence, notices) were added."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import services
from tasks.evidence import check_uploads

from .. import factories
from ..files import pdf_bytes, upload

pytestmark = pytest.mark.django_db
MAY = datetime.date(2021, 5, 1)


def busy_task(number, *, section, lead, cooperating, lead_staff, lead_head, coop_staff):
    task = factories.assigned_task(lead=lead, cooperating=[cooperating], section=section, number=number,
                                   title=f"重点工作{number}")
    services.milestone_create(task=task, title="阶段节点", due_date=datetime.date(2021, 6, 30), actor=lead_staff)
    report = services.report_save(task=task, department=lead, month=MAY, author=lead_staff, progress=f"五月进展{number}",
                                  percent=40, uploads=check_uploads([upload("佐证.pdf", pdf_bytes())]))
    services.report_submit(report=report, actor=lead_head)
    services.report_save(task=task, department=cooperating, month=MAY, author=coop_staff, progress="配合进展",
                         percent=30)
    return task


@pytest.fixture
def world(lead_department, cooperating_department, lead_staff, lead_head, cooperating_staff, supervisor_user,
          leader_user):
    plan = factories.PlanFactory(year=2021)
    section = factories.SectionFactory(plan=plan, number=1)
    people = {"lead_staff": lead_staff, "lead_head": lead_head, "coop_staff": cooperating_staff}

    def add(numbers):
        return [busy_task(number, section=section, lead=lead_department, cooperating=cooperating_department,
                          **people) for number in numbers]

    first = add([1, 2])[0]
    services.instruction_write(task=first, actor=leader_user, text="请加快进度。")
    return first, add


PAGES = [
    # (name, who, url for the first task)
    ("task page", "lead_staff", lambda task: reverse("tasks:task_detail", args=[2021, task.number])),
    ("task page, leader", "leader_user", lambda task: reverse("tasks:task_detail", args=[2021, task.number])),
    ("task history", "lead_staff", lambda task: reverse("tasks:task_history", args=[2021, task.number])),
    ("report form", "lead_staff", lambda task: reverse("tasks:report_edit", args=[2021, task.number]) + "?month=2021-05"),
    ("review queue", "supervisor_user", lambda task: reverse("tasks:review_queue")),
    ("messages", "lead_staff", lambda task: reverse("tasks:notifications")),
    ("search", "leader_user", lambda task: reverse("tasks:search") + "?q=重点工作"),
    ("my tasks", "lead_staff", lambda task: reverse("tasks:my_tasks") + "?month=2021-05"),
]


@pytest.mark.parametrize("name, who, url_of", PAGES, ids=[page[0] for page in PAGES])
def test_a_daily_page_asks_the_same_number_of_queries_for_a_bigger_plan(client, world, request, name, who, url_of):
    first, add = world
    client.force_login(request.getfixturevalue(who))
    url = url_of(first)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        return len(captured)

    queries()  # the first request fills per-process caches (content types, permissions)
    few = queries()
    add(range(3, 33))
    queries()  # stores the new tasks' statuses (tests/tasks/test_status.py counts that)
    many = queries()
    assert many == few, f"{name}: {few} queries with 2 tasks, {many} with 32"
