"""Merging two units (合并): the tasks, reports, history, people and names of one move to the other."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from departments.services import department_absorb
from tasks.models import ProgressReport, Task
from tasks.status import data_changed
from tasks.status_store import statuses_changed

from .tasks import task_assign_departments


def _swap(departments, source, target):
    return [target if d.pk == source.pk else d for d in departments]


@transaction.atomic
def department_merge(*, source, target, actor):
    """Merge `source` into `target`: every task it leads, co-leads or cooperates on, its reports and
    their history, its people and its names. Refused, changing nothing, when both units reported
    on the same task for the same month (someone must decide which report stands)."""
    if source.pk == target.pk:
        raise ValidationError(_("A unit cannot be merged into itself."))
    clashes = (ProgressReport.objects.filter(department__in=[source, target]).values("task", "month")
               .annotate(n=Count("id")).filter(n__gt=1))
    if clashes:
        tasks = Task.objects.filter(pk__in=[clash["task"] for clash in clashes]).order_by("plan__year", "number")
        raise ValidationError(_("Both units reported on the same task for the same month (%(tasks)s); settle those "
                                "reports before merging.") % {
            "tasks": "、".join(f"{task.plan.year}-{task.display_number}" for task in tasks[:10])})
    tasks = (Task.objects.filter(Q(lead_department=source) | Q(co_lead_departments=source)
                                 | Q(cooperating_departments=source)).distinct()
             .prefetch_related("co_lead_departments", "cooperating_departments"))
    for task in tasks:
        lead = target if task.lead_department_id == source.pk else task.lead_department
        task_assign_departments(
            task=task, actor=actor, lead=lead,
            co_leads=_swap(task.co_lead_departments.all(), source, target),
            cooperating=_swap(task.cooperating_departments.all(), source, target),
        )
    moved = ProgressReport.objects.filter(department=source)
    statuses_changed(Task.objects.filter(pk__in=moved.values("task_id")))
    moved.update(department=target)
    # History follows: past records name the unit the work now belongs to.
    ProgressReport.history.filter(department_id=source.pk).update(department_id=target.pk)
    Task.history.filter(lead_department_id=source.pk).update(lead_department_id=target.pk)
    for snapshot in (Task.history.model.co_lead_departments.model, Task.history.model.cooperating_departments.model):
        snapshot.objects.filter(department_id=source.pk).update(department_id=target.pk)
    department_absorb(source=source, target=target)
    data_changed()
    return target
