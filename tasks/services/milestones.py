"""Writes to milestones (时间节点)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.models import Milestone

from .common import atomic_with_files, model_save, model_update
from .evidence import evidence_attach


def _check_milestone_dates(task, due_date):
    if task.deadline and due_date > task.deadline:
        raise ValidationError(
            {"due_date": _("A milestone cannot fall after the task's deadline (%(deadline)s).")
             % {"deadline": task.deadline.isoformat()}}
        )


@transaction.atomic
def milestone_create(*, task, title, due_date, actor, evidence_required=False):
    _check_milestone_dates(task, due_date)
    milestone = Milestone(
        task=task, title=title.strip(), due_date=due_date, evidence_required=evidence_required
    )
    return model_save(milestone, actor=actor)


@transaction.atomic
def milestone_update(*, milestone, title, due_date, evidence_required, actor):
    _check_milestone_dates(milestone.task, due_date)
    return model_update(instance=milestone, actor=actor, data={
        "title": title.strip(), "due_date": due_date, "evidence_required": evidence_required,
    })


@atomic_with_files
def milestone_mark_done(*, milestone, done_on, actor, uploads=()):
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})
    if uploads:
        evidence_attach(task=milestone.task, uploads=uploads, actor=actor, milestone=milestone)
    if milestone.evidence_required and not milestone.evidence.exists():
        raise ValidationError(
            _("“%(title)s” needs supporting evidence: attach a file to mark it done.")
            % {"title": milestone.title}
        )
    return model_update(instance=milestone, data={"done_on": done_on}, actor=actor)


@transaction.atomic
def milestone_reopen(*, milestone, actor):
    return model_update(instance=milestone, data={"done_on": None}, actor=actor)
