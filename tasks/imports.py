"""Writes that bring a plan into the portal from its published text (and, later, from ledgers)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Department
from departments.services import department_get_or_create

from . import services
from .models import Plan, Section, Task


@transaction.atomic
def plan_create_from_text(*, parsed, year, title, actor, issuing_body="", create_departments=False):
    """Create a draft plan with its sections and tasks from `plan_text.parse_plan_text` output.

    All or nothing: an existing plan for the year, or an owner note naming an unknown department
    (unless `create_departments`), refuses the whole import.
    """
    if Plan.objects.filter(year=year).exists():
        raise ValidationError(_("A plan for %(year)d already exists; nothing was imported.") % {"year": year})
    if not parsed.sections:
        raise ValidationError(_("No section heading (一、…) was found; nothing was imported."))
    named = {
        name for task in parsed.tasks for name in [task.lead_department, *task.cooperating_departments] if name
    }
    known = {d.name: d for d in Department.objects.filter(name__in=named)}
    unknown = sorted(named - set(known))
    if unknown and not create_departments:
        raise ValidationError(
            _("These departments do not exist yet: %(names)s. Create them or allow the import to.")
            % {"names": "、".join(unknown)}
        )
    for name in unknown:
        known[name] = department_get_or_create(name=name)[0]
    plan = Plan(year=year, title=title, issuing_body=issuing_body, preamble=parsed.preamble,
                closing_note=parsed.closing_note, status=Plan.Status.DRAFT)
    plan._history_user = actor
    plan.full_clean()
    plan.save()
    for parsed_section in parsed.sections:
        section = Section.objects.create(plan=plan, number=parsed_section.number, title=parsed_section.title)
        for parsed_task in parsed_section.tasks:
            task = Task(plan=plan, section=section, number=parsed_task.number, label=parsed_task.label,
                        title=parsed_task.title, content=parsed_task.content)
            task._history_user = actor
            task.full_clean()
            task.save()
            if parsed_task.lead_department or parsed_task.cooperating_departments:
                services.task_assign_departments(
                    task=task,
                    lead=known.get(parsed_task.lead_department),
                    cooperating=[known[name] for name in parsed_task.cooperating_departments],
                    actor=actor,
                )
    return plan
