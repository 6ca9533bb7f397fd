"""Completion (办结) and extension (延期) requests, and their decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Capability, users_holding
from departments.selectors import department_heads
from tasks.formats import chinese_date
from tasks.models import Task, TaskRequest

from .common import atomic_with_files, model_save, model_update, notify, task_url
from .evidence import evidence_attach
from .tasks import task_complete, task_update


@atomic_with_files
def task_request_create(*, task, kind, reason, actor, new_deadline=None, uploads=()):
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the request.")})
    if TaskRequest.objects.filter(task=task, kind=kind, state=TaskRequest.State.PENDING).exists():
        raise ValidationError(_("A request of this kind is already waiting for a decision."))
    if kind == TaskRequest.Kind.EXTENSION:
        if new_deadline is None:
            raise ValidationError({"new_deadline": _("Choose the new deadline.")})
        if task.deadline and new_deadline <= task.deadline:
            raise ValidationError({"new_deadline": _("The new deadline must be later than the current one.")})
    if kind == TaskRequest.Kind.COMPLETION and not uploads and not task.evidence.exists():
        raise ValidationError(_("Attach the evidence that the task is complete."))
    request = TaskRequest(
        task=task, kind=kind, reason=reason.strip(), requested_by=actor,
        new_deadline=new_deadline if kind == TaskRequest.Kind.EXTENSION else None,
        previous_deadline=task.deadline,
    )
    model_save(request, actor=actor)
    if uploads:
        evidence_attach(task=task, uploads=uploads, actor=actor, request=request)
    if kind == TaskRequest.Kind.COMPLETION:
        task_update(task=task, data={"state": Task.State.CLOSE_REQUESTED}, actor=actor)
    notify(
        recipients=users_holding(Capability.DECIDE_REQUESTS),
        message=_("%(department)s asks: %(kind)s for “%(task)s”.")
        % {"department": task.lead_department.display_name, "kind": request.get_kind_display(), "task": task.title},
        task=task,
        url=reverse("tasks:review_queue") + "#requests",
    )
    return request


@transaction.atomic
def task_request_decide(*, request, approve, note, actor):
    if request.state != TaskRequest.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("Give the reason for rejecting the request.")})
    model_update(instance=request, actor=actor, data={
        "state": TaskRequest.State.APPROVED if approve else TaskRequest.State.REJECTED,
        "decided_by": actor, "decided_at": timezone.now(), "decision_note": note.strip(),
    })
    task = request.task
    if request.kind == TaskRequest.Kind.COMPLETION:
        if approve:
            task_complete(task=task, completed_on=timezone.localdate(), actor=actor)
        else:
            task_update(task=task, data={"state": Task.State.IN_PROGRESS}, actor=actor)
    elif approve:
        task_update(task=task, actor=actor, data={
            "deadline": request.new_deadline,
            "deadline_text": _("Extended to %(date)s") % {"date": chinese_date(request.new_deadline)},
        })
    verdict = _("approved") if approve else _("rejected")
    notify(
        recipients=[request.requested_by, *department_heads(*task.lead_departments)],
        message=_("Your %(kind)s request for “%(task)s” was %(verdict)s.")
        % {"kind": request.get_kind_display(), "task": task.title, "verdict": verdict}
        + (f" {request.decision_note}" if request.decision_note else ""),
        task=task,
        url=task_url(task),
    )
    return request
