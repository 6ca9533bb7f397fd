"""Every "may this person…" of the work plan, and the only module that talks to django-guardian.

Object permissions are granted to a department's auth group, so a person joining or leaving an
office needs no re-grant. Each rule is written once, in bulk (for many tasks, or as a queryset);
the check on one object is the bulk rule applied to that object, so a page never offers what the
form then refuses. One policy throughout:

- inactive accounts may do nothing; a membership counts only in an active department
  (`departments.selectors.working_memberships`);
- bureau-wide roles give capabilities (`departments.roles`); a superuser acts with the
  supervision office's, never reports for an office it is not a member of, and never instructs;
- a completed task is closed: nobody reports on it, edits it or asks for it any more; it can
  still be read, with its evidence. Every task of an archived plan is closed the same way;
- a draft plan's tasks grant nothing: its units get their permissions when it is published (交办).
"""

from django.conf import settings
from django.db.models import Q

from departments.models import Membership
from departments.roles import Capability, holds
from departments.selectors import working_memberships

from .models import Plan, ProgressReport, Task, TaskGroupObjectPermission, TaskRequest
from .status import AWAITING_ACKNOWLEDGEMENT, is_awaiting_acknowledgement

CHANGE = "change_task"  # the lead office's grant
REPORT = "report_task"  # the lead and the cooperating offices' grant
EDITABLE_REPORT_STATES = (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


def sync_task_grants(task):
    """Make the task's group permissions match its current lead and cooperating departments."""
    sync_grants_for_tasks([task.pk])


def sync_grants_for_tasks(task_ids):
    """The same for many tasks at once, in a fixed number of statements per 5,000 tasks.

    Lead offices (and joint leads) get change_task and report_task, cooperating offices report_task. The two
    permissions are removed from the tasks and granted again from the tasks' current departments
    by INSERT … SELECT into guardian's direct-FK table, so an import of thousands of tasks does
    not build a Python object per grant. UNION drops the duplicate when an office is both lead
    and cooperating.
    """
    from django.contrib.auth.models import Permission

    from departments.models import Department

    from .bulk_sql import chunks, column, insert_select, placeholders, table

    codenames = dict(
        Permission.objects.filter(
            content_type__app_label="tasks", content_type__model="task", codename__in=[CHANGE, REPORT]
        ).values_list("codename", "pk")
    )
    change, report = codenames[CHANGE], codenames[REPORT]
    link = Task.cooperating_departments.through
    co_lead = Task.co_lead_departments.through
    department_group = column(Department, "group")
    for chunk in chunks(task_ids):
        TaskGroupObjectPermission.objects.filter(content_object_id__in=chunk, permission_id__in=[change, report]).delete()
        chunk = list(Task.objects.filter(pk__in=chunk).exclude(plan__status=Plan.Status.DRAFT).values_list("pk", flat=True))
        if not chunk:
            continue
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
        joint = (
            f"SELECT l.{column(co_lead, 'task')}, d.{department_group}, %s FROM {table(co_lead)} l "
            f"JOIN {table(Department)} d ON d.{column(Department, 'id')} = l.{column(co_lead, 'department')} "
            f"WHERE l.{column(co_lead, 'task')} IN ({placeholders(chunk)})"
        )
        insert_select(
            TaskGroupObjectPermission,
            ["content_object", "group", "permission"],
            f"{lead} UNION {lead} UNION {joint} UNION {joint} UNION {cooperating}",
            [change, *chunk, report, *chunk, change, *chunk, report, *chunk, report, *chunk],
        )


# The grants of the user's working memberships: the base of every office rule.


def _grants(user, codename):
    groups = [membership.department.group_id for membership in working_memberships(user)]
    return TaskGroupObjectPermission.objects.filter(
        group_id__in=groups, permission__codename=codename, permission__content_type__app_label="tasks"
    )


def _granted_memberships(user, tasks, codename):
    """{task id: the user's working memberships whose department holds `codename` on it}."""
    found = {task.pk: [] for task in tasks}
    by_group = {membership.department.group_id: membership for membership in working_memberships(user)}
    if not by_group or not found:
        return found
    for task_id, group_id in _grants(user, codename).filter(content_object_id__in=list(found)).values_list(
        "content_object_id", "group_id"
    ):
        found[task_id].append(by_group[group_id])
    return found


# Closed: completed, or in an archived plan (read-only). The queryset form and the one for loaded
# tasks are the same rule.
CLOSED = Q(state=Task.State.COMPLETED) | Q(plan__status=Plan.Status.ARCHIVED)


def _open_tasks(tasks):
    """The open ones of loaded tasks, with at most one query for plans not loaded with them."""
    tasks = [task for task in tasks if task.state != Task.State.COMPLETED]
    unknown = {task.plan_id for task in tasks if not Task.plan.is_cached(task)}
    archived = set(
        Plan.objects.filter(pk__in=unknown, status=Plan.Status.ARCHIVED).values_list("pk", flat=True)
    ) if unknown else set()
    return [
        task for task in tasks
        if (task.plan.status != Plan.Status.ARCHIVED if Task.plan.is_cached(task) else task.plan_id not in archived)
    ]


def task_is_open(task):
    return bool(_open_tasks([task]))


# Tasks assigned to the user's offices (lead or cooperating), in any state


def tasks_assigned_to(user):
    return Task.objects.filter(pk__in=_grants(user, REPORT).values("content_object_id"))


def assigned_task_ids(user, tasks):
    return {task_id for task_id, found in _granted_memberships(user, tasks, REPORT).items() if found}


# Reporting: an office assigned to an open task


def tasks_reportable_by(user):
    return tasks_assigned_to(user).exclude(CLOSED)


def reporting_memberships_by_task(user, tasks):
    """{task id: the memberships the user may report through, the lead office first}."""
    tasks = list(tasks)
    found = _granted_memberships(user, _open_tasks(tasks), REPORT)
    lead_of = {task.pk: task.lead_department_id for task in tasks}
    return {
        task.pk: sorted(found.get(task.pk, []), key=lambda m: m.department_id != lead_of[task.pk])
        for task in tasks
    }


def reporting_memberships(user, task):
    return reporting_memberships_by_task(user, [task])[task.pk]


def can_report_on_task(user, task):
    return bool(reporting_memberships(user, task))


def can_edit_report(user, report):
    return report.state in EDITABLE_REPORT_STATES and any(
        m.department_id == report.department_id for m in reporting_memberships(user, report.task)
    )


def can_submit_report(user, report):
    """A head of the reporting office submits (staff too where the bureau allows it)."""
    return report.state in EDITABLE_REPORT_STATES and any(
        m.department_id == report.department_id
        and (m.role == Membership.Role.HEAD or settings.STAFF_MAY_SUBMIT_REPORTS)
        for m in reporting_memberships(user, report.task)
    )


# Changing a task (schedule, responsible person, milestones): its lead office, or the supervision office


def tasks_changeable_by(user):
    if holds(user, Capability.CHANGE_ANY_TASK):
        return Task.objects.exclude(CLOSED)
    return Task.objects.filter(pk__in=_grants(user, CHANGE).values("content_object_id")).exclude(CLOSED)


def changeable_task_ids(user, tasks):
    tasks = _open_tasks(tasks)
    if holds(user, Capability.CHANGE_ANY_TASK):
        return {task.pk for task in tasks}
    return {task_id for task_id, found in _granted_memberships(user, tasks, CHANGE).items() if found}


def can_change_task(user, task):
    return task.pk in changeable_task_ids(user, [task])


def can_edit_milestones(user, task):
    return can_change_task(user, task)


# The lead office's own acts: requests (办结, 延期) and replies to instructions


def lead_office_task_ids(user, tasks):
    """Open tasks whose lead office the user works in (its department holds change_task)."""
    tasks = _open_tasks(tasks)
    return {
        task_id for task_id, found in _granted_memberships(user, tasks, CHANGE).items() if found
    }


def can_request_for_task(user, task):
    return task.state == Task.State.IN_PROGRESS and task.pk in lead_office_task_ids(user, [task])


def tasks_acknowledgeable_by(user):
    return Task.objects.filter(pk__in=_grants(user, CHANGE).values("content_object_id")).filter(AWAITING_ACKNOWLEDGEMENT)


def acknowledgeable_task_ids(user, tasks):
    """签收: published tasks not yet acknowledged, of the lead office the user works in."""
    waiting = [task for task in tasks if is_awaiting_acknowledgement(task)]
    return lead_office_task_ids(user, waiting)


def can_acknowledge_task(user, task):
    return task.pk in acknowledgeable_task_ids(user, [task])



def can_reply_to_instructions(user, task):
    return task.pk in lead_office_task_ids(user, [task])


def can_issue_notice(user, task):
    """督办通知: the supervision office, on an open task that has a lead unit to address."""
    return task.lead_department_id is not None and task_is_open(task) and holds(user, Capability.ISSUE_NOTICES)


def can_mark_report_read(user, report):
    """圈阅: a bureau leader, on a report that has been submitted."""
    return report.state != ProgressReport.State.DRAFT and holds(user, Capability.WRITE_INSTRUCTIONS)


def can_write_instructions(user, task):
    return task_is_open(task) and holds(user, Capability.WRITE_INSTRUCTIONS)


# Reading


def can_read_everything(user):
    return holds(user, Capability.READ_ALL_TASKS)


def reports_visible_to(user):
    """Drafts stay inside their department; everything submitted is visible to every reader (of
    the task: the plan's visibility is the selectors' `tasks_visible_to`)."""
    if not (user.is_authenticated and user.is_active):
        return ProgressReport.objects.none()
    own = [m.department_id for m in working_memberships(user)]
    return ProgressReport.objects.exclude(Q(state=ProgressReport.State.DRAFT) & ~Q(department_id__in=own))


def can_see_report(user, report):
    if not (user.is_authenticated and user.is_active):
        return False
    if report.state != ProgressReport.State.DRAFT:
        return True
    return any(m.department_id == report.department_id for m in working_memberships(user))


def can_see_evidence(user, task):
    return can_read_everything(user) or task.pk in assigned_task_ids(user, [task])


# Bureau-wide work


def can_lead_tasks(user):
    """Bureau leaders are responsible leaders (分管领导) of tasks: they get 我分管的."""
    return holds(user, Capability.WRITE_INSTRUCTIONS)


def can_review_reports(user):
    return holds(user, Capability.REVIEW_REPORTS)


def can_decide_requests(user):
    return holds(user, Capability.DECIDE_REQUESTS)


def can_import_plans(user):
    return holds(user, Capability.IMPORT_PLANS)


def can_manage_plans(user):
    return holds(user, Capability.MANAGE_PLANS)


# 政务公开: the public reads what the supervision office published, without logging in.

def can_publish_progress(user):
    return holds(user, Capability.PUBLISH_PROGRESS)


def publicly_visible_plans():
    """The plans anyone may read on the public page: turned on, and never a draft."""
    return Plan.objects.filter(public_progress=True).exclude(status=Plan.Status.DRAFT)


def can_read_plans(user):
    """Everybody signed in reads the active plans, except an administrator of 三员分立 who holds
    no other role and no office: keeping the system is not reading its business data."""
    from departments.roles import ADMINISTRATIVE_ROLES, roles_of

    if not (user.is_authenticated and user.is_active):
        return False
    held = roles_of(user)
    if user.is_superuser or not held or held - ADMINISTRATIVE_ROLES:
        return True
    return bool(working_memberships(user))


def can_see_draft_plans(user):
    return holds(user, Capability.SEE_DRAFT_PLANS)


def reports_reviewable_by(user):
    if not can_review_reports(user):
        return ProgressReport.objects.none()
    # An archived plan is read-only: what was left submitted there is not reviewed any more.
    return ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED).exclude(
        task__plan__status=Plan.Status.ARCHIVED)


def requests_decidable_by(user):
    if not can_decide_requests(user):
        return TaskRequest.objects.none()
    return TaskRequest.objects.filter(state=TaskRequest.State.PENDING)
