"""A plan's year through the services: set up a draft, publish (交办), acknowledge (签收), adjust
(调整), archive, carry over (结转); and units merged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import get_perms

from departments.models import Department, DepartmentAlias, Membership
from reports.selectors.dashboard import build_dashboard
from reports.services import reminders_send
from tasks import permissions, services
from tasks.history import task_history
from tasks.models import Notification, Plan, ProgressReport, Task, TaskAdjustment

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    class World:
        lead = factories.department("基础教育科")
        coop = factories.department("督导室")
        other = factories.department("计划财务科")
        lead_staff = factories.member(lead, username="lead_staff")
        lead_head = factories.member(lead, role=Membership.Role.HEAD, username="lead_head")
        coop_staff = factories.member(coop, username="coop_staff")
        other_staff = factories.member(other, username="other_staff")
        supervisor = factories.supervisor(username="supervisor")
        leader = factories.leader(username="leader", first_name="王建国")
        plan = factories.PlanFactory(year=2030, status=Plan.Status.DRAFT)
        section = factories.SectionFactory(plan=plan, number=1)
        first = factories.assigned_task(lead=lead, cooperating=[coop], section=section, number=1,
                                        deadline=datetime.date(2030, 6, 30))
        second = factories.assigned_task(lead=other, section=section, number=2)

    return World


def test_a_draft_grants_nothing_and_publishing_grants_and_tells_each_unit_once(world):
    assert get_perms(world.lead.group, world.first) == []
    assert not permissions.can_report_on_task(world.lead_staff, world.first)

    plan = services.plan_publish(plan=world.plan, actor=world.supervisor)

    assert (plan.status, plan.published_at is not None) == (Plan.Status.ACTIVE, True)
    assert set(get_perms(world.lead.group, world.first)) == {"change_task", "report_task"}
    assert get_perms(world.coop.group, world.first) == ["report_task"]
    told = Notification.objects.filter(recipient=world.lead_staff)
    assert told.count() == 1 and "1" in told.get().message
    assert Notification.objects.filter(recipient=world.coop_staff).count() == 1
    assert not Notification.objects.filter(recipient=world.supervisor).exists()


def test_publishing_lists_what_is_missing_and_changes_nothing(world):
    services.task_update(task=world.second, data={"deadline": None, "deadline_text": ""}, actor=world.supervisor)
    empty = factories.department("语言文字工作办公室")
    services.task_assign_departments(task=world.second, lead=None, cooperating=[empty], actor=world.supervisor)

    messages = [problem.message for problem in services.plan_publish_problems(world.plan)]
    assert len(messages) == 3, messages
    assert any("牵头" in m or "lead" in m for m in messages)
    assert any("语言文字工作办公室" in m for m in messages)
    with pytest.raises(ValidationError):
        services.plan_publish(plan=world.plan, actor=world.supervisor)
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.DRAFT and world.plan.published_at is None
    assert not Notification.objects.exists()


def test_the_lead_unit_acknowledges_and_until_then_it_shows_everywhere(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    task = Task.objects.select_related("plan").get(pk=world.first.pk)
    on = datetime.date(2030, 3, 10)

    assert [line.task.number for line in build_dashboard(plan=task.plan, on=on).unacknowledged] == [1, 2]
    assert permissions.can_acknowledge_task(world.lead_staff, task)
    assert not permissions.can_acknowledge_task(world.coop_staff, task), "only the lead unit acknowledges"
    assert reminders_send(today=on) >= 3  # both lead units' members are reminded
    assert Notification.objects.filter(recipient=world.lead_staff, message__contains="签收").exists() or \
        Notification.objects.filter(recipient=world.lead_staff, message__contains="acknowledged").exists()
    with pytest.raises(ValidationError):
        services.task_acknowledge(task=task, actor=world.coop_staff)

    services.task_acknowledge(task=task, actor=world.lead_staff)
    task.refresh_from_db()
    assert task.acknowledged_by == world.lead_staff and task.acknowledged_at is not None
    assert [line.task.number for line in build_dashboard(plan=task.plan, on=on).unacknowledged] == [2]
    assert services.tasks_acknowledge(tasks=Task.objects.select_related("plan"), actor=world.other_staff) == 1


def test_an_adjustment_needs_a_reason_moves_the_grants_and_tells_both_units(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    task = Task.objects.select_related("plan").get(pk=world.first.pk)
    services.task_acknowledge(task=task, actor=world.lead_staff)
    Notification.objects.all().delete()

    with pytest.raises(ValidationError):
        services.task_assign(task=task, actor=world.supervisor, lead=world.other)
    task.refresh_from_db()
    assert task.lead_department == world.lead and not TaskAdjustment.objects.exists()

    changes = services.task_assign(task=task, actor=world.supervisor, reason="职能调整", lead=world.other,
                                   deadline=datetime.date(2030, 9, 30), responsible_leader=world.leader)
    assert {c["after"] for c in changes} >= {"计划财务科", "2030-09-30", "王建国"}
    adjustment = TaskAdjustment.objects.get()
    assert (adjustment.reason, adjustment.changed_by) == ("职能调整", world.supervisor)
    assert get_perms(world.lead.group, task) == []
    assert set(get_perms(world.other.group, task)) == {"change_task", "report_task"}
    task.refresh_from_db()
    assert task.acknowledged_at is None, "the new lead unit acknowledges again"
    for person in (world.lead_staff, world.other_staff, world.coop_staff, world.leader):
        assert Notification.objects.filter(recipient=person, task=task, message__contains="职能调整").exists(), person
    assert any("职能调整" in change.new for entry in task_history(task, world.supervisor) for change in entry.changes)
    assert services.task_assign(task=task, actor=world.supervisor, reason="再次", lead=world.other) == []


def test_a_stale_assignment_form_is_refused(world):
    version = world.first.version
    services.task_assign(task=world.first, actor=world.supervisor, responsible_person="张三")
    with pytest.raises(services.StaleEditError):
        services.task_assign(task=Task.objects.select_related("plan").get(pk=world.first.pk), actor=world.supervisor,
                             responsible_person="李四", expected_version=version)
    assert Task.objects.get(pk=world.first.pk).responsible_person == "张三"


def test_archiving_makes_the_plan_read_only(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    services.plan_archive(plan=world.plan, actor=world.supervisor)
    task = Task.objects.select_related("plan").get(pk=world.first.pk)
    assert not permissions.can_report_on_task(world.lead_staff, task)
    assert not permissions.can_change_task(world.supervisor, task)
    assert not permissions.tasks_reportable_by(world.lead_staff).exists()
    assert permissions.can_see_evidence(world.lead_staff, task), "still readable"
    with pytest.raises(ValidationError):
        services.task_assign(task=task, actor=world.supervisor, reason="x", responsible_person="张三")


def test_carry_over_copies_the_unfinished_tasks_into_next_years_draft(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    services.task_complete(task=world.second, completed_on=datetime.date(2030, 5, 1), actor=world.supervisor)
    factories.MilestoneFactory(task=world.first, title="方案印发", due_date=datetime.date(2030, 3, 1),
                               done_on=datetime.date(2030, 3, 1))
    factories.MilestoneFactory(task=world.first, title="全面实施", due_date=datetime.date(2030, 11, 30))
    unfinished = world.plan.tasks.exclude(state=Task.State.COMPLETED)

    target, created = services.plan_carry_over(plan=world.plan, tasks=unfinished, year=2031, actor=world.supervisor)

    assert (target.year, target.status, target.title) == (2031, Plan.Status.DRAFT, "2031年教育工作要点")
    [copy] = created
    assert (copy.carried_from, copy.title, copy.lead_department) == (world.first, world.first.title, world.lead)
    assert list(copy.cooperating_departments.all()) == [world.coop]
    assert copy.deadline is None and copy.deadline_text == world.first.deadline_text
    assert [(m.title, m.due_date) for m in copy.milestones.all()] == [("全面实施", datetime.date(2031, 11, 30))]
    assert get_perms(world.lead.group, copy) == [], "a draft: nothing granted yet"
    assert any("2031" in entry.subject for entry in task_history(world.first, world.supervisor))
    # Again: nothing doubles; into a published plan: refused.
    assert services.plan_carry_over(plan=world.plan, tasks=unfinished, year=2031, actor=world.supervisor)[1] == []
    target.status = Plan.Status.ACTIVE
    target.save()
    with pytest.raises(ValidationError):
        services.plan_carry_over(plan=world.plan, tasks=unfinished, year=2031, actor=world.supervisor)


def test_merging_units_moves_tasks_reports_people_and_names(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    report = factories.ProgressReportFactory(task=world.first, department=world.coop, author=world.coop_staff)

    services.department_merge(source=world.coop, target=world.other, actor=world.supervisor)

    assert not Department.objects.filter(name="督导室").exists()
    assert DepartmentAlias.objects.get(name="督导室").department == world.other
    assert list(world.first.cooperating_departments.all()) == [world.other]
    assert get_perms(world.other.group, world.first) == ["report_task"]
    report.refresh_from_db()
    assert report.department == world.other
    assert Membership.objects.get(user=world.coop_staff).department == world.other
    assert permissions.can_report_on_task(world.coop_staff, Task.objects.select_related("plan").get(pk=world.first.pk))


def test_a_merge_with_two_reports_for_the_same_month_is_refused(world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    factories.ProgressReportFactory(task=world.first, department=world.lead, author=world.lead_staff)
    factories.ProgressReportFactory(task=world.first, department=world.coop, author=world.coop_staff)
    with pytest.raises(ValidationError):
        services.department_merge(source=world.coop, target=world.lead, actor=world.supervisor)
    assert Department.objects.filter(name="督导室").exists()
    assert ProgressReport.objects.filter(department=world.coop).count() == 1


# The pages


def test_the_grid_bulk_action_and_a_refused_adjustment_keeps_what_was_typed(client, world):
    client.force_login(world.supervisor)
    grid = reverse("tasks:plan_setup", kwargs={"year": 2030})
    assert client.get(grid).status_code == 200
    response = client.post(grid, {"action": "responsible_leader", "tasks": [1, 2], "responsible_leader": world.leader.pk})
    assert response.status_code == 302
    assert set(world.plan.tasks.values_list("responsible_leader", flat=True)) == {world.leader.pk}

    assert client.post(reverse("tasks:plan_publish", kwargs={"year": 2030})).status_code == 302
    url = reverse("tasks:task_assignment", kwargs={"year": 2030, "number": 1})
    task = Task.objects.get(pk=world.first.pk)
    response = client.post(url, {"lead": world.other.pk, "responsible_person": "新的责任人", "deadline_text": "全年",
                                 "deadline": "2030-06-30", "version": task.version, "reason": ""})
    assert response.status_code == 400
    assert "新的责任人" in response.content.decode()
    assert Task.objects.get(pk=task.pk).lead_department == world.lead

    response = client.post(grid, {"action": "deadline", "tasks": [1], "deadline_text": "持续推进"})
    assert response.status_code == 400, "published: a bulk change needs a reason"


def test_a_lead_unit_acknowledges_all_from_my_tasks(client, world):
    services.plan_publish(plan=world.plan, actor=world.supervisor)
    client.force_login(world.lead_staff)
    page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert reverse("tasks:acknowledge_all") in page
    assert client.post(reverse("tasks:acknowledge_all")).status_code == 302
    assert Task.objects.get(pk=world.first.pk).acknowledged_by == world.lead_staff
    assert Task.objects.get(pk=world.second.pk).acknowledged_at is None, "another unit's task"


def test_sections_and_tasks_are_added_in_the_workspace(client, world):
    client.force_login(world.supervisor)
    response = client.post(reverse("tasks:plan_sections", kwargs={"year": 2030}), {"number": 2, "title": "深化教育改革"})
    assert response.status_code == 302
    client.post(reverse("tasks:plan_sections", kwargs={"year": 2030}), {"number": 1, "title": "党的建设"})
    assert list(world.plan.sections.values_list("number", "title")) == [(1, "党的建设"), (2, "深化教育改革")]
    section = world.plan.sections.get(number=2)
    response = client.post(reverse("tasks:plan_task_create", kwargs={"year": 2030}),
                           {"section": section.pk, "title": "推进集团化办学", "content": ""})
    assert response.status_code == 302 and response["Location"].endswith("/tasks/3/assignment/")
    assert world.plan.tasks.get(number=3).title == "推进集团化办学"
    assert Task.history.filter(number=3).exists()


def test_the_grid_costs_the_same_queries_for_a_few_tasks_or_a_full_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.supervisor)
    url = reverse("tasks:plan_setup", kwargs={"year": 2030})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request fills per-process caches (content types)
    few = queries()
    for number in range(3, 121):
        factories.assigned_task(lead=world.lead, cooperating=[world.coop], section=world.section, number=number)
    assert queries() == few
