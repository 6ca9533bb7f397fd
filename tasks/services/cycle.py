"""A plan's year: set up (assign units, leaders, deadlines), publish (交办), acknowledge (签收),
adjust (调整) after publication, archive, and carry the unfinished tasks into next year (结转)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from departments import audit
from departments.models import Department
from departments.selectors import department_members
from tasks import permissions
from tasks.formats import validate_plan_year
from tasks.models import Milestone, Plan, Task, TaskAdjustment

from .common import (
    StaleEditError,
    model_save,
    model_update,
    notify,
    notify_units,
    task_url,
)
from .tasks import plan_create, section_create, task_assign_departments, task_update

# The fields that make up an assignment, in the order changes are listed.
ASSIGNMENT_FIELDS = ("lead", "co_leads", "cooperating", "responsible_leader", "responsible_person", "deadline",
                     "deadline_text")


def is_published(plan):
    """In progress: changes to assignments are adjustments (a plan made active before 交办
    existed has no publication time, and is treated the same)."""
    return plan.status == Plan.Status.ACTIVE


# Checks before publishing


@dataclass
class PublishProblem:
    message: str
    tasks: list = field(default_factory=list)  # the tasks concerned, for links


def plan_publish_problems(plan):
    """What stops the plan from being published, each with the tasks concerned."""
    if plan.status != Plan.Status.DRAFT:
        return [PublishProblem(_("Only a draft plan can be published."))]
    tasks = list(
        plan.tasks.select_related("lead_department").prefetch_related("co_lead_departments", "cooperating_departments")
        .order_by("number")
    )
    if not tasks:
        return [PublishProblem(_("The plan has no tasks yet."))]
    problems = []
    without_lead = [task for task in tasks if task.lead_department_id is None]
    if without_lead:
        problems.append(PublishProblem(_("%(count)d tasks have no lead unit.") % {"count": len(without_lead)},
                                       without_lead))
    without_deadline = [task for task in tasks if task.deadline is None and not task.deadline_text.strip()]
    if without_deadline:
        problems.append(PublishProblem(
            _("%(count)d tasks have no deadline (a date, or a text such as 持续推进).") % {"count": len(without_deadline)},
            without_deadline))
    units = {}
    for task in tasks:
        for department in [*task.lead_departments, *task.cooperating_departments.all()]:
            units.setdefault(department.pk, (department, []))[1].append(task)
    staffed = set(
        Department.objects.filter(pk__in=units, memberships__user__is_active=True).values_list("pk", flat=True)
    )
    for department, unit_tasks in sorted(units.values(), key=lambda item: (item[0].order, item[0].name)):
        if not department.is_active:
            problems.append(PublishProblem(
                _("%(unit)s is deactivated but still has tasks.") % {"unit": department.name}, unit_tasks))
        elif department.pk not in staffed:
            problems.append(PublishProblem(
                _("%(unit)s has no member who could receive and report its tasks.") % {"unit": department.name},
                unit_tasks))
    return problems


@transaction.atomic
def plan_publish(*, plan, actor):
    """交办: make the plan active, grant each unit its tasks and tell each unit once what it holds."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    problems = plan_publish_problems(plan)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    model_update(instance=plan, data={"status": Plan.Status.ACTIVE, "published_at": timezone.now()}, actor=actor)
    tasks = list(plan.tasks.select_related("plan", "lead_department")
                 .prefetch_related("co_lead_departments", "cooperating_departments").order_by("number"))
    permissions.sync_grants_for_tasks([task.pk for task in tasks])
    audit.record("plan_published", user=actor, obj=plan, detail=f"{len(tasks)} tasks granted to their units")
    _notify_units_of_publication(plan, tasks)
    return plan


def _notify_units_of_publication(plan, tasks):
    held = {}  # department -> (led, cooperating)
    for task in tasks:
        for department in task.lead_departments:
            held.setdefault(department, ([], []))[0].append(task)
        for department in task.cooperating_departments.all():
            held.setdefault(department, ([], []))[1].append(task)
    url = _my_tasks_url()
    for department, (led, cooperating) in held.items():
        parts = []
        if led:
            parts.append(_("leads %(count)d (No. %(numbers)s)") % {
                "count": len(led), "numbers": "、".join(task.display_number for task in led)})
        if cooperating:
            parts.append(_("cooperates on %(count)d (No. %(numbers)s)") % {
                "count": len(cooperating), "numbers": "、".join(task.display_number for task in cooperating)})
        message = _("%(plan)s has been assigned: %(unit)s %(tasks)s. Please acknowledge the tasks you lead.") % {
            "plan": plan.title, "unit": department.display_name, "tasks": "；".join(parts)}
        notify(recipients=department_members(department), message=message, url=url)
        notify_units(departments=[department], message=message, url=url)


def _my_tasks_url():
    from django.urls import reverse

    return reverse("tasks:my_tasks")


@transaction.atomic
def plan_archive(*, plan, actor):
    """已归档: the plan becomes read-only; its pages, ledgers and summaries still open."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ACTIVE:
        raise ValidationError(_("Only a plan in progress can be archived."))
    model_update(instance=plan, data={"status": Plan.Status.ARCHIVED}, actor=actor)
    return plan


# Assignment: before publication a plain edit, after it an adjustment with a reason


def _describe(name, value):
    if value is None or value == "":
        return "—"
    if name in ("co_leads", "cooperating"):
        return "、".join(d.name for d in value) or "—"
    if name == "responsible_leader":
        return value.get_full_name() or value.username
    if name == "lead":
        return value.name
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


FIELD_LABELS = {
    "lead": _("Lead unit"), "co_leads": _("Joint lead units"), "cooperating": _("Cooperating units"),
    "responsible_leader": _("Responsible leader"), "responsible_person": _("Responsible person"),
    "deadline": _("Deadline"), "deadline_text": _("Deadline as written"),
}


def _current(task):
    return {
        "lead": task.lead_department,
        "co_leads": [d for d in task.co_lead_departments.all() if d.pk != task.lead_department_id],
        "cooperating": list(task.cooperating_departments.all()),
        "responsible_leader": task.responsible_leader,
        "responsible_person": task.responsible_person,
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
    }


def _same(name, before, after):
    if name in ("co_leads", "cooperating"):
        return {d.pk for d in before} == {d.pk for d in after}
    if name in ("responsible_person", "deadline_text"):
        return (before or "").strip() == (after or "").strip()
    return before == after


@transaction.atomic
def task_assign(*, task, actor, reason="", expected_version=None, **changes):
    """Change a task's units, leader, person or deadline.

    In a draft plan this is set-up. Once the plan is published it is an adjustment (调整): it needs
    a reason, is recorded with what changed, moves the permissions in the same transaction, asks
    the new lead unit to acknowledge again, and tells the units concerned. Returns the list of
    changes made (empty when nothing changed)."""
    unknown = set(changes) - set(ASSIGNMENT_FIELDS)
    if unknown:
        raise ValueError(f"not assignment fields: {sorted(unknown)}")
    if not permissions.task_is_open(task):
        raise ValidationError(_("This task is closed and can no longer be changed."))
    if expected_version is not None:
        # The row lock keeps the check true until this transaction ends.
        current = Task.objects.select_for_update().values_list("version", flat=True).get(pk=task.pk)
        if current != int(expected_version):
            raise StaleEditError(
                _("Someone else changed this in the meantime. Reload the page to see their changes."))
    before = _current(task)
    changed = {name: value for name, value in changes.items() if not _same(name, before[name], value)}
    if not changed:
        return []
    adjusting = is_published(task.plan)
    if adjusting and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this adjustment: the units concerned are told.")})
    if changed.keys() & {"deadline", "deadline_text"}:
        deadline_text = changed.get("deadline_text", before["deadline_text"])
        if changed.get("deadline", before["deadline"]) is None and not deadline_text.strip():
            raise ValidationError({"deadline": _("Give a deadline: a date, or a text such as 持续推进.")})
    plain = {name: value for name, value in changed.items() if name not in ("lead", "co_leads", "cooperating")}
    if plain:
        if "responsible_person" in plain:
            plain["responsible_person"] = plain["responsible_person"].strip()
        task_update(task=task, data=plain, actor=actor)
    if changed.keys() & {"lead", "co_leads", "cooperating"}:
        task_assign_departments(
            task=task, actor=actor, lead=changed.get("lead", before["lead"]),
            co_leads=changed.get("co_leads", before["co_leads"]),
            cooperating=changed.get("cooperating", before["cooperating"]),
        )
    if "lead" in changed and task.acknowledged_at is not None:
        task_update(task=task, data={"acknowledged_at": None, "acknowledged_by": None}, actor=actor)
    described = [
        {"field": str(FIELD_LABELS[name]), "before": _describe(name, before[name]), "after": _describe(name, value)}
        for name, value in changed.items()
    ]
    if changed.keys() & {"lead", "co_leads", "cooperating"} and is_published(task.plan):
        audit.record("grants_moved", user=actor, obj=task,
                     detail="；".join(f"{c['field']}：{c['before']} → {c['after']}" for c in described))
    if adjusting:
        TaskAdjustment.objects.create(task=task, changed_by=actor, reason=reason.strip(), changes=described)
        units = {d.pk: d for d in [before["lead"], *before["co_leads"], *before["cooperating"],
                                   *task.lead_departments, *task.cooperating_departments.all()] if d is not None}
        recipients = department_members(*units.values())
        recipients += [user for user in (before["responsible_leader"], task.responsible_leader) if user]
        summary = "；".join(f"{c['field']}：{c['before']} → {c['after']}" for c in described)
        message = _("“%(task)s” was adjusted (%(changes)s). Reason: %(reason)s") % {
            "task": task.title, "changes": summary, "reason": reason.strip()}
        notify(recipients=recipients, task=task, url=task_url(task, anchor="adjustments"), message=message)
        notify_units(departments=units.values(), message=message, url=task_url(task, anchor="adjustments"))
    return described


@transaction.atomic
def tasks_assign_bulk(*, tasks, actor, reason="", **changes):
    """The same change for many selected tasks (the set-up grid's bulk actions); all or none."""
    done = 0
    for task in tasks:
        if task_assign(task=task, actor=actor, reason=reason, **changes):
            done += 1
    return done


@transaction.atomic
def task_add(*, plan, section, title, actor, content=""):
    """A task added by hand to a plan not archived, numbered after the plan's last."""
    if plan.status == Plan.Status.ARCHIVED:
        raise ValidationError(_("An archived plan takes no new tasks."))
    Plan.objects.select_for_update().get(pk=plan.pk)  # two additions at once take different numbers
    last = plan.tasks.aggregate(last=Max("number"))["last"] or 0
    return model_save(Task(plan=plan, section=section, number=last + 1, title=title.strip(), content=content),
                      actor=actor)


# 签收


@transaction.atomic
def task_acknowledge(*, task, actor):
    if not permissions.can_acknowledge_task(actor, task):
        raise ValidationError(_("This task is not waiting for your unit's acknowledgement."))
    return task_update(task=task, data={"acknowledged_at": timezone.now(), "acknowledged_by": actor}, actor=actor)


@transaction.atomic
def tasks_acknowledge(*, tasks, actor):
    """签收 of every given task the actor's unit may acknowledge; returns how many."""
    tasks = list(tasks)
    allowed = permissions.acknowledgeable_task_ids(actor, tasks)
    now = timezone.now()
    for task in tasks:
        if task.pk in allowed:
            task_update(task=task, data={"acknowledged_at": now, "acknowledged_by": actor}, actor=actor)
    return len(allowed)


# 结转


def carry_over_candidates(plan):
    """The tasks a carry-over offers, unfinished first (and chosen by default)."""
    return plan.tasks.select_related("section", "lead_department").order_by("number")


def _shift_year(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_carry_over(*, plan, tasks, year, actor):
    """Create (or add to) the draft plan of `year` with copies of `tasks`, each linked to its origin.

    A copy keeps the text, the units, the leader and person, the deadline as written and the
    milestones not done (their dates moved by the years between the plans); its date deadline is
    left for the new plan's set-up. The new plan must be a draft: a published plan takes new tasks
    through an adjustment, not a carry-over."""
    validate_plan_year(year)
    if year <= plan.year:
        raise ValidationError(_("Carry tasks over into a later year than %(year)d.") % {"year": plan.year})
    tasks = list(tasks)
    if not tasks:
        raise ValidationError(_("Choose at least one task to carry over."))
    target = Plan.objects.select_for_update().filter(year=year).first()
    if target is None:
        title = plan.title.replace(str(plan.year), str(year)) if str(plan.year) in plan.title else f"{year}年{plan.title}"
        target = plan_create(year=year, title=title, issuing_body=plan.issuing_body, actor=actor)
    elif target.status != Plan.Status.DRAFT:
        raise ValidationError(_("The %(year)d plan is already published; carry tasks into a draft plan only.")
                              % {"year": year})
    already = set(target.tasks.filter(carried_from__in=tasks).values_list("carried_from_id", flat=True))
    sections = {section.number: section for section in target.sections.all()}
    number = (target.tasks.aggregate(last=Max("number"))["last"] or 0)
    years = year - plan.year
    created = []
    for task in sorted(tasks, key=lambda t: t.number):
        if task.pk in already:
            continue
        source_section = task.section
        section = sections.get(source_section.number)
        if section is None:
            section = sections[source_section.number] = section_create(
                plan=target, number=source_section.number, title=source_section.title)
        number += 1
        copy = model_save(Task(
            plan=target, section=section, number=number, title=task.title, content=task.content, group=task.group,
            owner_text=task.owner_text, responsible_leader=task.responsible_leader,
            responsible_person=task.responsible_person, deadline_text=task.deadline_text, carried_from=task,
        ), actor=actor)
        task_assign_departments(task=copy, actor=actor, lead=task.lead_department,
                                co_leads=list(task.co_lead_departments.all()),
                                cooperating=list(task.cooperating_departments.all()))
        for milestone in task.milestones.filter(done_on=None):
            model_save(Milestone(task=copy, title=milestone.title, due_date=_shift_year(milestone.due_date, years),
                                 evidence_required=milestone.evidence_required), actor=actor)
        created.append(copy)
    return target, created

