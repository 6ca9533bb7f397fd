"""The only module that talks to django-guardian for tasks.

Object permissions are granted to a department's auth group, so a person joining or leaving an
office needs no re-grant. Each object check has its queryset twin; tests check that they agree.
"""

from django.conf import settings
from guardian.shortcuts import get_group_perms, get_objects_for_user

from departments.models import Membership
from departments.roles import is_leader, is_supervisor

from .models import ProgressReport, Task, TaskRequest

CHANGE = "tasks.change_task"
REPORT = "tasks.report_task"
REVIEW = "tasks.review_task"


def sync_task_grants(task):
    """Make the task's group permissions match its current lead and cooperating departments."""
    sync_grants_for_tasks([task.pk])


def sync_grants_for_tasks(task_ids):
    """The same for many tasks at once, in a fixed number of statements per 5,000 tasks.

    Lead offices get change_task and report_task, cooperating offices report_task. The two
    permissions are removed from the tasks and granted again from the tasks' current departments
    by INSERT … SELECT into guardian's direct-FK table, so an import of thousands of tasks does
    not build a Python object per grant. UNION drops the duplicate when an office is both lead
    and cooperating.
    """
    from django.contrib.auth.models import Permission

    from departments.models import Department

    from .bulk_sql import chunks, column, insert_select, placeholders, table
    from .models import TaskGroupObjectPermission

    codenames = dict(
        Permission.objects.filter(
            content_type__app_label="tasks", content_type__model="task", codename__in=["change_task", "report_task"]
        ).values_list("codename", "pk")
    )
    change, report = codenames["change_task"], codenames["report_task"]
    link = Task.cooperating_departments.through
    department_group = column(Department, "group")
    for chunk in chunks(task_ids):
        TaskGroupObjectPermission.objects.filter(content_object_id__in=chunk, permission_id__in=[change, report]).delete()
        lead = (
            f"SELECT t.{column(Task, 'id')}, d.{department_group}, %s FROM {table(Task)} t "
            f"JOIN {table(Department)} d ON d.{column(Department, 'id')} = t.{column(Task, 'lead_department')} "
            f"WHERE t.{column(Task, 'id')} IN ({placeholders(chunk)})"
        )
        cooperating = (
            f"SELECT l.{column(link, 'task')}, d.{department_group}, %s FROM {table(link)} l "
            f"JOIN {table(Department)} d ON d.{column(Department, 'id')} = l.{column(link, 'department')} "
            f"WHERE l.{column(link, 'task')} IN ({placeholders(chunk)})"
        )
        insert_select(
            TaskGroupObjectPermission,
            ["content_object", "group", "permission"],
            f"{lead} UNION {lead} UNION {cooperating}",
            [change, *chunk, report, *chunk, report, *chunk],
        )


def _memberships(user):
    if not hasattr(user, "_active_memberships"):
        user._active_memberships = list(
            Membership.objects.filter(user=user, department__is_active=True).select_related(
                "department__group"
            )
        )
    return user._active_memberships


def reporting_memberships(user, task):
    """The user's memberships in departments that may report on the task, lead first."""
    if not user.is_authenticated:
        return []
    found = [
        membership
        for membership in _memberships(user)
        if "report_task" in get_group_perms(membership.department.group, task)
    ]
    return sorted(found, key=lambda m: m.department_id != task.lead_department_id)


def can_read_everything(user):
    return is_supervisor(user) or is_leader(user)


def can_change_task(user, task):
    return user.is_authenticated and (is_supervisor(user) or user.has_perm(CHANGE, task))


def can_edit_milestones(user, task):
    return can_change_task(user, task) and task.state != Task.State.COMPLETED


def can_report_on_task(user, task):
    return user.is_authenticated and user.has_perm(REPORT, task)


def can_edit_report(user, report):
    return report.state in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED) and any(
        m.department_id == report.department_id for m in reporting_memberships(user, report.task)
    )


def can_submit_report(user, report):
    return report.state in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED) and any(
        m.department_id == report.department_id
        and (m.role == Membership.Role.HEAD or settings.STAFF_MAY_SUBMIT_REPORTS)
        for m in reporting_memberships(user, report.task)
    )


def can_see_report(user, report):
    """Drafts stay inside their department; everything submitted is visible to every reader."""
    if report.state != ProgressReport.State.DRAFT:
        return True
    return any(m.department_id == report.department_id for m in _memberships(user))


def can_review_reports(user):
    return is_supervisor(user)


def can_see_evidence(user, task):
    return can_read_everything(user) or can_report_on_task(user, task)


def can_request_for_task(user, task):
    """Completion and extension requests come from the lead department."""
    return (
        task.state == Task.State.IN_PROGRESS
        and task.lead_department_id is not None
        and any(m.department_id == task.lead_department_id for m in _memberships(user))
        and user.has_perm(CHANGE, task)
    )


def can_write_instructions(user):
    return is_leader(user)


def can_reply_to_instructions(user, task):
    """The lead department answers a leader's instruction."""
    return (
        task.lead_department_id is not None
        and any(m.department_id == task.lead_department_id for m in _memberships(user))
        and user.has_perm(CHANGE, task)
    )


def can_decide_requests(user):
    return is_supervisor(user)


def tasks_reportable_by(user):
    return get_objects_for_user(
        user, REPORT, klass=Task, accept_global_perms=False, with_superuser=False
    )


def tasks_changeable_by(user):
    if is_supervisor(user):
        return Task.objects.all()
    return get_objects_for_user(
        user, CHANGE, klass=Task, accept_global_perms=False, with_superuser=False
    )


def reports_reviewable_by(user):
    if not can_review_reports(user):
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED)


def requests_decidable_by(user):
    if not can_decide_requests(user):
        return TaskRequest.objects.none()
    return TaskRequest.objects.filter(state=TaskRequest.State.PENDING)
