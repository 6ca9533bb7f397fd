"""The Django admin writes through the services: grants, history and versions follow its edits."""

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import get_groups_with_perms

from tasks import services
from tasks.models import ProgressReport, Task

pytestmark = pytest.mark.django_db


def grants(task):
    return {
        group.department.name: sorted(perms)
        for group, perms in get_groups_with_perms(task, attach_perms=True).items()
    }


def task_form(task, **changes):
    data = {
        "plan": task.plan_id, "section": task.section_id, "number": task.number, "label": task.label,
        "title": task.title, "content": task.content,
        "lead_department": task.lead_department_id or "",
        "cooperating_departments": [d.pk for d in task.cooperating_departments.all()],
        "responsible_leader": "", "responsible_person": task.responsible_person,
        "deadline": "", "deadline_text": task.deadline_text, "state": task.state,
        "percent_complete": task.percent_complete, "completed_on": "",
    }
    data.update(changes)
    return data


def test_reassigning_the_lead_office_in_the_admin_moves_the_permissions(admin_client, task, unrelated_department):
    old_lead = task.lead_department
    assert grants(task)[old_lead.name] == ["change_task", "report_task"]
    response = admin_client.post(reverse("admin:tasks_task_change", args=[task.pk]),
                                 task_form(task, lead_department=unrelated_department.pk, title="改过的标题"))
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.lead_department == unrelated_department and task.title == "改过的标题"
    assert grants(task) == {"计划财务科": ["change_task", "report_task"], "督导室": ["report_task"]}
    latest = task.history.first()
    assert latest.history_user.username == "admin" and latest.lead_department_id == unrelated_department.pk


def test_a_task_created_in_the_admin_gets_its_grants(admin_client, task, unrelated_department):
    data = task_form(task, number=99, title="新任务", lead_department=unrelated_department.pk,
                     cooperating_departments=[])
    assert admin_client.post(reverse("admin:tasks_task_add"), data).status_code == 302
    created = Task.objects.get(number=99)
    assert grants(created) == {"计划财务科": ["change_task", "report_task"]}
    assert created.history.first().history_user.username == "admin"


def test_reports_are_read_only_in_the_admin(admin_client, task, lead_head):
    report = services.report_save(task=task, department=task.lead_department, month=datetime.date(2021, 3, 1),
                                  author=lead_head, progress="三月进展", percent=10)
    change_url = reverse("admin:tasks_progressreport_change", args=[report.pk])
    page = admin_client.get(change_url).content.decode()
    assert 'name="state"' not in page and 'name="progress"' not in page
    admin_client.post(change_url, {"state": "accepted", "progress": "改写"})
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT and report.progress == "三月进展"
