"""User-scoped reads of plans and tasks; views never build their own permission filters."""

from django.db.models import Prefetch
from django.http import Http404

from departments.roles import is_administrator, is_supervisor

from .models import Milestone, Plan, ProgressReport, Task


def plans_visible_to(user):
    """Every member reads active plans; the supervision office and administrators see drafts too."""
    if not user.is_authenticated:
        return Plan.objects.none()
    if is_supervisor(user) or is_administrator(user):
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


def tasks_visible_to(user):
    return Task.objects.filter(plan__in=plans_visible_to(user))


def plan_sections_with_tasks(plan):
    """The plan's sections, each with its tasks and their lead departments, in three queries."""
    tasks = Task.objects.select_related("lead_department").order_by("number")
    return plan.sections.prefetch_related(Prefetch("tasks", queryset=tasks)).order_by("number")


def task_for_viewer(user, *, year, number):
    """A task with everything its page shows; missing and invisible both answer 404."""
    queryset = (
        tasks_visible_to(user)
        .select_related("plan", "section", "lead_department", "responsible_leader")
        .prefetch_related(
            "cooperating_departments",
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("department", "author")
                .exclude(state=ProgressReport.State.DRAFT)
                .order_by("-month", "department__order"),
            ),
        )
    )
    try:
        return queryset.get(plan__year=year, number=number)
    except Task.DoesNotExist:
        raise Http404("No such task")
