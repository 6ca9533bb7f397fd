import datetime

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import get_perms

from tasks import services
from tasks.models import ProgressReport, Task

from .. import factories
from ..factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_assigning_departments_moves_object_permissions(
    lead_department, cooperating_department, unrelated_department, supervisor_user
):
    task = TaskFactory()
    services.task_assign_departments(
        task=task, lead=lead_department, cooperating=[cooperating_department], actor=supervisor_user
    )
    assert set(get_perms(lead_department.group, task)) == {"change_task", "report_task"}
    assert get_perms(cooperating_department.group, task) == ["report_task"]

    services.task_assign_departments(
        task=task, lead=unrelated_department, cooperating=[lead_department], actor=supervisor_user
    )
    assert set(get_perms(unrelated_department.group, task)) == {"change_task", "report_task"}
    assert get_perms(lead_department.group, task) == ["report_task"]
    assert get_perms(cooperating_department.group, task) == []
    assert list(task.cooperating_departments.all()) == [lead_department]


def test_assignment_is_recorded_in_history_with_the_actor(task, supervisor_user, unrelated_department):
    services.task_assign_departments(
        task=task, lead=unrelated_department, cooperating=[], actor=supervisor_user
    )
    latest = task.history.first()
    assert latest.history_user == supervisor_user
    assert latest.lead_department_id == unrelated_department.pk
    assert task.history.filter(lead_department_id=task.lead_department_id).exists()


def test_a_stale_edit_is_refused_and_changes_nothing(task, supervisor_user):
    first = Task.objects.get(pk=task.pk)
    second = Task.objects.get(pk=task.pk)
    services.task_set_schedule(
        task=first, deadline=datetime.date(2021, 6, 30), deadline_text="上半年", actor=supervisor_user
    )
    with pytest.raises(services.StaleEditError):
        services.task_set_schedule(
            task=second, deadline=datetime.date(2021, 9, 30), deadline_text="三季度", actor=supervisor_user
        )
    task.refresh_from_db()
    assert (task.deadline_text, task.version) == ("上半年", first.version)


def test_report_life_cycle(task, lead_staff, lead_head, supervisor_user):
    report = services.report_save(
        task=task, department=task.lead_department, month=datetime.date(2021, 5, 17),
        author=lead_staff, progress="完成调研。", percent=40,
    )
    assert (report.month, report.state) == (datetime.date(2021, 5, 1), ProgressReport.State.DRAFT)
    services.report_submit(report=report, actor=lead_head)
    with pytest.raises(ValidationError):
        services.report_return(report=report, actor=supervisor_user, note="  ")
    services.report_return(report=report, actor=supervisor_user, note="请补充数据。")
    report = services.report_save(
        task=task, department=task.lead_department, month=datetime.date(2021, 5, 1),
        author=lead_staff, progress="完成调研，形成报告。", percent=45,
    )
    assert report.state == ProgressReport.State.RETURNED
    services.report_submit(report=report, actor=lead_head)
    services.report_accept(report=report, actor=supervisor_user)
    task.refresh_from_db()
    assert task.percent_complete == 45
    with pytest.raises(ValidationError):
        services.report_save(
            task=task, department=task.lead_department, month=datetime.date(2021, 5, 1),
            author=lead_staff, progress="改写", percent=10,
        )
    assert ProgressReport.objects.get(pk=report.pk).progress == "完成调研，形成报告。"


def test_milestone_after_deadline_is_refused(task, lead_staff):
    with pytest.raises(ValidationError):
        services.milestone_create(
            task=task, title="太晚", due_date=datetime.date(2022, 1, 5), actor=lead_staff
        )
    assert not task.milestones.exists()


def test_history_tab_shows_reassignment_in_words(task, supervisor_user, unrelated_department):
    from tasks.history import task_history

    services.task_assign_departments(
        task=task, lead=unrelated_department, cooperating=[task.lead_department], actor=supervisor_user
    )
    changes = [(c.field, c.old, c.new) for entry in task_history(task, supervisor_user) for c in entry.changes]
    assert ("牵头单位", "基础教育科", "计划财务科") in changes
    # simple-history records the M2M change as a removal and an addition.
    assert ("配合单位", "督导室", "—") in changes and ("配合单位", "—", "基础教育科") in changes


def test_history_shows_joint_leads_and_keeps_drafts_inside_their_department(
    task, supervisor_user, lead_staff, cooperating_staff, unrelated_department
):
    from tasks.history import task_history

    services.task_assign_departments(task=task, lead=task.lead_department, co_leads=[unrelated_department],
                                     cooperating=[], actor=supervisor_user)
    services.report_save(task=task, department=task.lead_department, month=datetime.date(2021, 5, 1),
                         author=lead_staff, progress="尚未报出的草稿内容", percent=10)

    def seen_by(user):
        return [(c.field, c.new) for entry in task_history(task, user) for c in entry.changes]

    assert ("共同牵头单位", "计划财务科") in seen_by(supervisor_user)
    assert ("进展情况", "尚未报出的草稿内容") in seen_by(lead_staff), "the drafting office sees its draft"
    assert not any("草稿内容" in new for _field, new in seen_by(cooperating_staff))
    assert not any("草稿内容" in new for _field, new in seen_by(supervisor_user))


def test_a_first_save_does_not_overwrite_a_report_someone_else_created_meanwhile(lead_department, lead_head, lead_staff):
    """Two people open the empty report form; the first saves; the second is told to reload."""
    task = factories.assigned_task(lead=lead_department)
    month = datetime.date(2021, 6, 1)
    services.report_save(task=task, department=lead_department, month=month, author=lead_staff,
                         progress="第一个人写的。", percent=10, expected_version=0)
    with pytest.raises(services.StaleEditError):
        services.report_save(task=task, department=lead_department, month=month, author=lead_head,
                             progress="第二个人写的。", percent=20, expected_version=0)
    assert ProgressReport.objects.get(task=task, month=month).progress == "第一个人写的。"


def test_nobody_reviews_a_report_they_wrote(task, lead_head, supervisor_user):
    """A supervisor who also drafted for an office cannot accept that report."""
    from departments.services import membership_set

    membership_set(user=supervisor_user, department=task.lead_department, role="head")
    report = services.report_save(task=task, department=task.lead_department, month=datetime.date(2021, 6, 1),
                                  author=supervisor_user, progress="自己写的。", percent=10, submit=True)
    for review in (lambda: services.report_accept(report=report, actor=supervisor_user),
                   lambda: services.report_return(report=report, actor=supervisor_user, note="退回")):
        with pytest.raises(ValidationError, match="someone else|他人"):
            review()
    report.refresh_from_db()
    assert report.state == "submitted"


def test_a_report_keeps_its_writer_and_the_writer_hears_of_a_return(task, lead_staff, lead_head, supervisor_user):
    """Staff draft, the head is told and submits, the supervision office returns: the writer is told."""
    from tasks.models import Notification

    month = datetime.date(2021, 6, 1)
    draft = services.report_save(task=task, department=task.lead_department, month=month, author=lead_staff,
                                 progress="初稿。", percent=30)
    services.report_save(task=task, department=task.lead_department, month=month, author=lead_staff,
                         progress="改过的初稿。", percent=30, expected_version=draft.version)
    ready = Notification.objects.filter(recipient=lead_head, message__contains="草稿")
    assert ready.count() == 1, "the head is told once, not at every save"
    report = services.report_save(task=task, department=task.lead_department, month=month, author=lead_head,
                                  progress="定稿。", percent=30, expected_version=draft.version + 1, submit=True)
    assert (report.author, report.submitted_by) == (lead_staff, lead_head), "the writer stays the author"
    services.report_return(report=report, actor=supervisor_user, note="请补充数据")
    returned = Notification.objects.filter(recipient=lead_staff, message__contains="退回")
    assert returned.exists(), "the writer hears that the report was returned"
