"""Writes to plans, tasks, milestones and reports. Each is atomic and records who acted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Milestone, ProgressReport, Task


def _save_with_history(instance, actor, **save_kwargs):
    # simple-history reads the acting user from this attribute; services always pass it.
    instance._history_user = actor
    instance.full_clean()
    instance.save(**save_kwargs)


class StaleEditError(ValidationError):
    """Someone else saved the object after the acting user loaded it."""


def _bump_version(instance, actor, expected_version=None):
    """Save with optimistic locking: claim the next version number or refuse.

    The conditional UPDATE takes the row lock, so of two concurrent saves from the same
    version exactly one claims it; the other finds no row and is told to reload.
    """
    expected = instance.version if expected_version is None else expected_version
    claimed = type(instance).objects.filter(pk=instance.pk, version=expected).update(
        version=expected + 1
    )
    if not claimed:
        raise StaleEditError(
            _("Someone else changed this in the meantime. Reload the page to see their changes.")
        )
    instance.version = expected + 1
    _save_with_history(instance, actor)
    return instance


@transaction.atomic
def task_assign_departments(*, task, lead, cooperating, actor):
    """Set the lead and cooperating departments and move object permissions with them."""
    cooperating = [department for department in cooperating if department != lead]
    before = {task.lead_department} | set(task.cooperating_departments.all())
    before.discard(None)
    after = ({lead} if lead else set()) | set(cooperating)
    for department in before:
        permissions.revoke_task_from_department(task, department)
    task.lead_department = lead
    _bump_version(task, actor)
    task.cooperating_departments.set(cooperating)
    for department in after:
        permissions.grant_task_to_department(task, department, lead=department == lead)
    return task


@transaction.atomic
def task_set_schedule(*, task, deadline, deadline_text, actor, responsible_leader=None, responsible_person=""):
    task.deadline = deadline
    task.deadline_text = deadline_text
    task.responsible_leader = responsible_leader
    task.responsible_person = responsible_person
    return _bump_version(task, actor)


@transaction.atomic
def task_complete(*, task, completed_on, actor):
    task.state = Task.State.COMPLETED
    task.completed_on = completed_on
    task.percent_complete = 100
    return _bump_version(task, actor)


@transaction.atomic
def milestone_create(*, task, title, due_date, actor, evidence_required=False):
    if task.deadline and due_date > task.deadline:
        raise ValidationError({"due_date": _("A milestone cannot fall after the task's deadline.")})
    milestone = Milestone(
        task=task, title=title, due_date=due_date, evidence_required=evidence_required
    )
    _save_with_history(milestone, actor)
    return milestone


@transaction.atomic
def milestone_mark_done(*, milestone, done_on, actor):
    milestone.done_on = done_on
    _save_with_history(milestone, actor)
    return milestone


@transaction.atomic
def report_save_draft(
    *, task, department, month, author, progress, percent, problems="", next_steps="",
    percent_drop_reason="",
):
    report, _created = ProgressReport.objects.get_or_create(
        task=task,
        month=month.replace(day=1),
        department=department,
        defaults={"author": author, "progress": progress, "percent": percent},
    )
    if report.state in (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED):
        raise ValidationError(_("This report has been submitted and can no longer be edited."))
    report.author = author
    report.progress = progress
    report.problems = problems
    report.next_steps = next_steps
    report.percent = percent
    report.percent_drop_reason = percent_drop_reason
    _save_with_history(report, author)
    return report


@transaction.atomic
def report_submit(*, report, actor):
    if report.state not in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED):
        raise ValidationError(_("Only a draft or a returned report can be submitted."))
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    return _bump_version(report, actor)


@transaction.atomic
def report_accept(*, report, actor, note=""):
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.state = ProgressReport.State.ACCEPTED
    report.reviewer = actor
    report.reviewed_at = timezone.now()
    report.review_note = note
    _bump_version(report, actor)
    task = report.task
    if report.department_id == task.lead_department_id and report.percent != task.percent_complete:
        task.percent_complete = report.percent
        _bump_version(task, actor)
    return report


@transaction.atomic
def report_return(*, report, actor, note):
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not note.strip():
        raise ValidationError({"review_note": _("Say what needs to change when returning a report.")})
    report.state = ProgressReport.State.RETURNED
    report.reviewer = actor
    report.reviewed_at = timezone.now()
    report.review_note = note
    return _bump_version(report, actor)
