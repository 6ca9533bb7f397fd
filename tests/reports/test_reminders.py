"""Daily reminders (催办): due soon, overdue, escalation after a week, missing reports, once a day."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from departments.models import Membership
from reports import services
from reports.models import ReminderLog
from tasks import services as task_services
from tasks.models import Notification

from .. import factories
from .test_scoring import scoring_world

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2021, 6, 10)


@pytest.fixture
def world(supervisor_user):
    supervisor_user.email = "duchashi@example.cn"
    supervisor_user.save()
    office = factories.department("基础教育科")
    staff = factories.member(office, username="staff", email="staff@example.cn")
    leader = factories.leader(username="leader", email="leader@example.cn")
    plan = factories.PlanFactory(year=2021)
    section = factories.SectionFactory(plan=plan)
    task = factories.assigned_task(lead=office, section=section, number=1, title="深化改革")
    task.responsible_leader = leader
    task.save()
    return {"office": office, "staff": staff, "leader": leader, "task": task, "supervisor": supervisor_user}


def messages_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_milestone_due_within_three_days_reminds_the_lead_department(world):
    task_services.milestone_create(task=world["task"], title="出台方案", due_date=TODAY + datetime.timedelta(days=3), actor=None)
    task_services.milestone_create(task=world["task"], title="更晚的节点", due_date=TODAY + datetime.timedelta(days=4), actor=None)
    assert services.reminders_send(today=TODAY) == 1
    assert messages_of(world["staff"]) == ["“深化改革”的节点‘出台方案’还有 3 天到期。"]
    assert messages_of(world["leader"]) == []
    assert [m.to for m in mail.outbox] == [["staff@example.cn"]]


def test_overdue_reminds_department_and_leader_and_after_a_week_the_supervision_office(world):
    task_services.milestone_create(task=world["task"], title="召开会议", due_date=TODAY - datetime.timedelta(days=7), actor=None)
    services.reminders_send(today=TODAY)
    assert len(messages_of(world["staff"])) == 1 and len(messages_of(world["leader"])) == 1
    assert messages_of(world["supervisor"]) == [], "7 days overdue is not yet escalated"
    services.reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert messages_of(world["supervisor"]) == ["“深化改革”的节点‘召开会议’已逾期 8 天。"]


def test_task_past_its_deadline(world):
    task = world["task"]
    task.deadline = TODAY - datetime.timedelta(days=2)
    task.save()
    services.reminders_send(today=TODAY)
    assert "“深化改革”已超过完成时限 2 天。" in messages_of(world["leader"])


def test_missing_report_after_the_reporting_day(world):
    assert services.reminders_send(today=datetime.date(2021, 6, 25)) == 0
    assert services.reminders_send(today=datetime.date(2021, 6, 26)) == 1
    assert messages_of(world["staff"]) == ["“深化改革”本月进展尚未报送。"]
    head = factories.member(world["office"], role=Membership.Role.HEAD)
    report = task_services.report_save(task=world["task"], department=world["office"],
                                       month=datetime.date(2021, 6, 1), author=head, progress="进展", percent=20)
    task_services.report_submit(report=report, actor=head)
    factories.submitted_on(report, datetime.date(2021, 6, 26))
    assert services.reminders_send(today=datetime.date(2021, 6, 27)) == 0


def test_running_twice_the_same_day_sends_nothing_more(world):
    task_services.milestone_create(task=world["task"], title="出台方案", due_date=TODAY + datetime.timedelta(days=1), actor=None)
    assert services.reminders_send(today=TODAY) == 1
    assert services.reminders_send(today=TODAY) == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1
    assert services.reminders_send(today=TODAY + datetime.timedelta(days=1)) == 1


def test_completed_tasks_are_left_alone(world, supervisor_user):
    task_services.milestone_create(task=world["task"], title="出台方案", due_date=TODAY - datetime.timedelta(days=1), actor=None)
    task_services.task_complete(task=world["task"], completed_on=TODAY, actor=supervisor_user)
    assert services.reminders_send(today=TODAY) == 0


def test_a_carded_unit_and_the_escalation_list_are_told_once_after_the_month(supervisor_user):
    world = scoring_world()  # 甲 loses 4 points in February 2021: a yellow card
    head = factories.member(world["lead"], role="head", username="jia-head", email="jia@example.cn")
    staff = factories.member(world["lead"], username="jia-staff")

    services.reminders_send(today=datetime.date(2021, 2, 27))
    assert not ReminderLog.objects.filter(kind__startswith="score_card").exists(), "February has not ended"

    services.reminders_send(today=datetime.date(2021, 3, 2))
    told = "甲科室2021年2月被亮黄牌：扣 4.0 分。"
    assert messages_of(head) == [told] and messages_of(staff) == [told]
    assert Notification.objects.get(recipient=head).url == reverse("reports:unit_score", args=[world["lead"].pk]) + "?year=2021&month=2"
    assert Notification.objects.get(recipient=staff).url == "", "staff cannot open the unit's score lines"
    assert "2021年2月被亮牌的单位：甲科室（黄牌）。" in messages_of(supervisor_user)
    assert "jia@example.cn" in [address for message in mail.outbox for address in message.to]

    services.reminders_send(today=datetime.date(2021, 3, 3))
    assert len(messages_of(head)) == 1 and messages_of(supervisor_user).count("2021年2月被亮牌的单位：甲科室（黄牌）。") == 1
