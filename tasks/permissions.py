"""The only module that talks to django-guardian for tasks.

Object permissions are granted to a department's auth group, so a person joining or leaving an
office needs no re-grant. Each object check has its queryset twin; tests check that they agree.
"""

from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from departments.roles import is_leader, is_supervisor

from .models import Task

CHANGE = "tasks.change_task"
REPORT = "tasks.report_task"
REVIEW = "tasks.review_task"

LEAD_PERMISSIONS = (CHANGE, REPORT)
COOPERATING_PERMISSIONS = (REPORT,)


def grant_task_to_department(task, department, *, lead):
    for permission in LEAD_PERMISSIONS if lead else COOPERATING_PERMISSIONS:
        assign_perm(permission, department.group, task)


def revoke_task_from_department(task, department):
    for permission in LEAD_PERMISSIONS:
        remove_perm(permission, department.group, task)


def can_change_task(user, task):
    return is_supervisor(user) or user.has_perm(CHANGE, task)


def can_report_on_task(user, task):
    return user.is_authenticated and user.has_perm(REPORT, task)


def can_review_reports(user):
    return is_supervisor(user)


def can_read_everything(user):
    return is_supervisor(user) or is_leader(user)


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
