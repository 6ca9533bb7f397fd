"""User-scoped reads of plans and tasks; views never build their own permission filters."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from departments.selectors import working_memberships

from . import permissions

from .models import (
    Evidence,
    Instruction,
    InstructionReply,
    Milestone,
    Notification,
    Plan,
    ProgressReport,
    PublicProgress,
    ReportReading,
    SupervisionNotice,
    Task,
    TaskRequest,
)


def plans_visible_to(user):
    """Every member reads active plans (not the administrators of 三员分立); the supervision office
    sees drafts too."""
    if not permissions.can_read_plans(user):
        return Plan.objects.none()
    if permissions.can_see_draft_plans(user):
        return Plan.objects.all()
    return Plan.objects.exclude(status=Plan.Status.DRAFT)


def current_plan_for(user):
    plans = plans_visible_to(user)
    return plans.filter(status=Plan.Status.ACTIVE).order_by("-year").first() or plans.order_by(
        "-year"
    ).first()


def plan_for_viewer(user, *, year):
    try:
        return plans_visible_to(user).get(year=year)
    except Plan.DoesNotExist:
        raise Http404("No such plan")


def plan_chosen_by(user, *, year=None):
    """The plan of `year` when a page is asked for one (404 if the user may not see it), else the
    user's current plan."""
    return plan_for_viewer(user, year=year) if year else current_plan_for(user)


def tasks_visible_to(user):
    return Task.objects.filter(plan__in=plans_visible_to(user))


def plan_sections_with_tasks(plan):
    """The plan's sections, each with its tasks and their lead departments, in three queries."""
    tasks = Task.objects.select_related("lead_department").prefetch_related("co_lead_departments").order_by("number")
    return plan.sections.prefetch_related(Prefetch("tasks", queryset=tasks)).order_by("number")


def task_for_viewer(user, *, year, number):
    """A task with everything its page shows; missing and invisible both answer 404."""
    queryset = (
        tasks_visible_to(user)
        .select_related("plan", "section", "lead_department", "responsible_leader", "acknowledged_by",
                        "carried_from__plan")
        .prefetch_related(
            "co_lead_departments",
            "cooperating_departments",
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("department", "author", "submitted_by", "reviewer")
                .prefetch_related("evidence", Prefetch("readings", queryset=ReportReading.objects.select_related("leader")))
                .order_by("-month", "department__order"),
            ),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by", "report", "milestone")),
        )
    )
    try:
        return queryset.get(plan__year=year, number=number)
    except Task.DoesNotExist:
        raise Http404("No such task")


def task_adjustments(task):
    return list(task.adjustments.select_related("changed_by"))


def task_carried_to(user, task):
    """The copies of this task in later plans the user may see (结转)."""
    return list(tasks_visible_to(user).filter(carried_from=task).select_related("plan"))


def reports_shown_on_task_page(user, task):
    """Submitted reports for everyone; drafts only to their own department."""
    return [report for report in task.reports.all() if permissions.can_see_report(user, report)]


def my_task_rows(user, *, plan, month, on, section=None, role=None, report_state=None):
    """The tasks the user's departments lead or co-own, with what the my-tasks page shows."""
    from .status_store import statuses_for

    my_departments = {membership.department_id for membership in working_memberships(user)}
    tasks = (
        permissions.tasks_assigned_to(user)
        .filter(plan=plan)
        .select_related("plan", "section", "lead_department")
        .prefetch_related(
            "co_lead_departments",
            "cooperating_departments",
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(done_on=None).order_by("due_date", "id"),
                to_attr="open_milestones",
            )
        )
        .order_by("number")
    )
    if section:
        tasks = tasks.filter(section__number=section)
    tasks = list(tasks)
    reports = {
        (report.task_id, report.department_id): report
        for report in ProgressReport.objects.filter(
            task__in=tasks, month=month, department_id__in=my_departments
        )
    }
    statuses = statuses_for(tasks, on=on)
    reporting = permissions.reporting_memberships_by_task(user, tasks)
    acknowledgeable = permissions.acknowledgeable_task_ids(user, tasks)
    rows = []
    for task in tasks:
        my_leads = [d.pk for d in task.lead_departments if d.pk in my_departments]
        is_lead = bool(my_leads)
        department_id = my_leads[0] if is_lead else next(
            (d.pk for d in task.cooperating_departments.all() if d.pk in my_departments), None
        )
        report = reports.get((task.pk, department_id))
        state = report.state if report else MyReportState.MISSING
        row = MyTaskRow(
            task=task,
            role=MyTaskRole.LEAD if is_lead else MyTaskRole.COOPERATING,
            status=statuses[task.pk],
            next_milestone=task.open_milestones[0] if task.open_milestones else None,
            report=report,
            report_state=state,
            department_id=department_id,
            can_report=any(m.department_id == department_id for m in reporting[task.pk]),
            can_acknowledge=task.pk in acknowledgeable,
        )
        if role and row.role != role:
            continue
        if report_state and row.report_state != report_state:
            continue
        rows.append(row)
    return rows


class MyTaskRole:
    LEAD = "lead"
    COOPERATING = "cooperating"


class MyReportState:
    MISSING = "missing"


@dataclass
class MyTaskRow:
    task: Task
    role: str
    status: object
    next_milestone: Milestone | None
    report: ProgressReport | None
    report_state: str
    department_id: int | None
    can_report: bool = False
    can_acknowledge: bool = False  # 未签收, and the user's unit leads it

    @property
    def report_editable(self):
        return self.report is None or self.report.state in permissions.EDITABLE_REPORT_STATES

    @property
    def needs_action(self):
        return self.can_report and self.task.state == Task.State.IN_PROGRESS and self.report_editable


def review_queue(user, *, department=None, plan_year=None, section=None, month=None):
    """Submitted reports the user may review, oldest first, with their evidence; filtered by unit,
    plan, section and month."""
    reports = permissions.reports_reviewable_by(user)
    if department:
        reports = reports.filter(department_id=department)
    if plan_year:
        reports = reports.filter(task__plan__year=plan_year)
        if section:
            reports = reports.filter(task__section__number=section)
    if month:
        reports = reports.filter(month=month)
    return (
        reports.select_related("task__plan", "task__lead_department", "department", "author", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "id")
    )


def pending_requests(user):
    return (
        permissions.requests_decidable_by(user)
        .select_related("task__plan", "task__lead_department", "requested_by")
        .prefetch_related("evidence")
        .order_by("requested_at")
    )


def task_instructions(task):
    return task.instructions.select_related("author", "read_by").prefetch_related(
        Prefetch("replies", queryset=InstructionReply.objects.select_related("author"))
    )


def notice_for_viewer(user, pk):
    return _object_for(
        SupervisionNotice.objects.filter(task__in=tasks_visible_to(user)).select_related(
            "task__plan", "task__responsible_leader", "task__lead_department", "issued_by"), pk)


def task_notices(task):
    return list(task.supervision_notices.select_related("issued_by"))


def instruction_for_viewer(user, pk):
    return _object_for(
        Instruction.objects.filter(task__in=tasks_visible_to(user)).select_related(
            "task__plan", "task__lead_department", "author"
        ),
        pk,
    )


def task_requests(task):
    return task.requests.select_related("requested_by", "decided_by").prefetch_related("evidence")


def _object_for(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404


def milestone_for_viewer(user, pk):
    return _object_for(
        Milestone.objects.filter(task__in=tasks_visible_to(user)).select_related("task__plan"), pk
    )


def report_for_viewer(user, pk):
    return _object_for(
        ProgressReport.objects.filter(task__in=tasks_visible_to(user)).select_related(
            "task__plan", "department", "author"
        ),
        pk,
    )


def request_for_viewer(user, pk):
    return _object_for(
        TaskRequest.objects.filter(task__in=tasks_visible_to(user)).select_related("task__plan"), pk
    )


def evidence_for_viewer(user, pk):
    evidence = _object_for(
        # Removed files too: the history links to them.
        Evidence.all_objects.filter(task__in=tasks_visible_to(user)).select_related("task", "report"), pk
    )
    # Evidence of a draft is as private as the draft; a stranger to the task learns nothing.
    if not permissions.can_see_evidence(user, evidence.task):
        raise Http404
    if evidence.report is not None and not permissions.can_see_report(user, evidence.report):
        raise Http404
    return evidence


@dataclass
class NotificationGroup:
    """Notices with the same words and link, shown once with how many there are."""

    latest: Notification
    ids: list
    unread: bool

    @property
    def count(self):
        return len(self.ids)


NOTIFICATIONS_READ = 2000  # a year of notices for the busiest person; older ones stay in the admin


def notification_groups(user, *, unread_only=False):
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at=None)
    groups = {}
    for notification in notifications.select_related("task").order_by("-created_at", "-id")[:NOTIFICATIONS_READ]:
        key = (notification.message, notification.url)
        group = groups.get(key)
        if group is None:
            groups[key] = NotificationGroup(notification, [notification.pk], notification.read_at is None)
        else:
            group.ids.append(notification.pk)
            group.unread = group.unread or notification.read_at is None
    return list(groups.values())


def unread_notification_count(user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def tasks_led_by_leader(user, *, plan, on):
    """我分管的: the plan's tasks whose responsible leader is the user, each with its status, and
    the leader's instructions on it that the lead office has not answered yet."""
    from .status_store import statuses_for

    tasks = list(
        tasks_visible_to(user).filter(plan=plan, responsible_leader=user)
        .select_related("section", "lead_department").prefetch_related("co_lead_departments").order_by("number")
    )
    statuses = statuses_for(tasks, on=on)
    waiting = set(
        Instruction.objects.filter(task__in=tasks, author=user, replies__isnull=True).values_list("task_id", flat=True)
    )
    return [(task, statuses[task.pk], task.pk in waiting) for task in tasks]


@dataclass(frozen=True)
class PublicTask:
    """Everything the public page (政务公开) shows of a task, and nothing else: no people, no
    evidence, no drafts, no internal review; the text is the one the supervision office approved."""

    number: str
    title: str
    lead: str
    deadline: str
    light: str
    light_label: str
    percent: int | None
    text: str
    month: datetime.date | None


def public_sections(plan, *, on):
    """[(section, [PublicTask, …]), …] of a plan, each task's status as of `on`."""
    from .status_store import statuses_for

    latest = PublicProgress.objects.filter(task=OuterRef("pk"), withdrawn_at=None).order_by("-approved_at")
    tasks = list(Task.objects.filter(plan=plan).select_related("section", "lead_department")
                 .prefetch_related("co_lead_departments")
                 .annotate(public_text=Subquery(latest.values("text")[:1]),
                           public_month=Subquery(latest.values("month")[:1]))
                 .order_by("number"))
    statuses = statuses_for(tasks, on=on)
    sections = {}
    for task in tasks:
        status = statuses[task.pk]
        sections.setdefault(task.section, []).append(PublicTask(
            number=task.display_number, title=task.title, lead=task.lead_display_names or task.owner_text,
            deadline=task.deadline_text or (f"{task.deadline:%Y-%m-%d}" if task.deadline else ""),
            light=status.light, light_label=str(status.label), percent=status.actual_percent,
            text=task.public_text or "", month=task.public_month))
    return sorted(sections.items(), key=lambda item: item[0].number if item[0] else 0)


def publication_rows(plan):
    """The supervision office's publication list: each task with its newest accepted report and
    its newest published text (a queryset, paged by the view)."""
    latest = PublicProgress.objects.filter(task=OuterRef("pk"), withdrawn_at=None).order_by("-approved_at")
    accepted = ProgressReport.objects.filter(task=OuterRef("pk"), department=OuterRef("lead_department"),
                                             state=ProgressReport.State.ACCEPTED).order_by("-month")
    return (Task.objects.filter(plan=plan).select_related("lead_department").order_by("number")
            .annotate(public_text=Subquery(latest.values("text")[:1]),
                      public_month=Subquery(latest.values("month")[:1]),
                      accepted_text=Subquery(accepted.values("progress")[:1]),
                      accepted_month=Subquery(accepted.values("month")[:1])))
