"""Any write to what the status engine reads marks cached status pages as out of date, and the
stored statuses of the tasks it touches as stale (tasks/status.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from departments.models import Department

from .models import Instruction, InstructionReply, Milestone, Plan, ProgressReport, Section, Task, TaskRequest
from .status import data_changed
from .status_store import statuses_changed

WATCHED = (Plan, Section, Task, Milestone, ProgressReport, TaskRequest, Instruction, InstructionReply, Department)


def _changed(sender, **kwargs):
    data_changed()


def _task_changed(sender, instance, **kwargs):
    # An UPDATE rather than a field set in pre_save: a save with update_fields would not write it.
    statuses_changed(Task.objects.filter(pk=instance.pk))


def _task_part_changed(sender, instance, **kwargs):
    statuses_changed(Task.objects.filter(pk=instance.task_id))


def _note_plan_year(sender, instance, **kwargs):
    instance._year_changed = bool(instance.pk) and not Plan.objects.filter(pk=instance.pk, year=instance.year).exists()


def _plan_changed(sender, instance, **kwargs):
    # The year is the only field of a plan the engine reads (the start of the 序时进度).
    if getattr(instance, "_year_changed", False):
        statuses_changed(Task.objects.filter(plan=instance))


def connect():
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"status-data-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"status-data-{model.__name__}-delete")
    m2m_changed.connect(_changed, sender=Task.cooperating_departments.through, dispatch_uid="status-data-cooperating")
    post_save.connect(_task_changed, sender=Task, dispatch_uid="status-stamp-task")
    for model in (Milestone, ProgressReport):
        post_save.connect(_task_part_changed, sender=model, dispatch_uid=f"status-stamp-{model.__name__}-save")
        post_delete.connect(_task_part_changed, sender=model, dispatch_uid=f"status-stamp-{model.__name__}-delete")
    pre_save.connect(_note_plan_year, sender=Plan, dispatch_uid="status-stamp-plan-year")
    post_save.connect(_plan_changed, sender=Plan, dispatch_uid="status-stamp-plan")
