"""Any write to what the status engine reads marks cached status pages as out of date."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from departments.models import Department

from .models import Instruction, InstructionReply, Milestone, Plan, ProgressReport, Section, Task, TaskRequest
from .status import data_changed

WATCHED = (Plan, Section, Task, Milestone, ProgressReport, TaskRequest, Instruction, InstructionReply, Department)


def _changed(sender, **kwargs):
    data_changed()


def connect():
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"status-data-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"status-data-{model.__name__}-delete")
    m2m_changed.connect(_changed, sender=Task.cooperating_departments.through, dispatch_uid="status-data-cooperating")
