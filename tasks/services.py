"""Writes to plans, tasks, milestones, reports, evidence and requests.

Each service is atomic, validates before it writes, records the acting user in the history and
writes its notifications itself. Edits of tasks and reports use optimistic locking: the caller
passes the version it showed the user, and a save from a stale page is refused.
"""

import contextvars
import functools

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Membership
from departments.roles import SUPERVISOR

from . import permissions
from .bulk_sql import chunks, column, datetime_param, insert_select, placeholders, table
from .models import (
    Evidence,
    Instruction,
    InstructionReply,
    Milestone,
    Notification,
    ProgressReport,
    Task,
    TaskRequest,
)
from .status import data_changed


class StaleEditError(ValidationError):
    """Someone else saved the object after the acting user loaded it."""


def _save_with_history(instance, actor):
    # simple-history reads the acting user from this attribute; services always pass it.
    instance._history_user = actor
    instance.full_clean()
    instance.save()


def _bump_version(instance, actor, expected_version=None):
    """Save with optimistic locking: claim the next version number or refuse.

    The conditional UPDATE takes the row lock, so of two concurrent saves from the same
    version exactly one claims it; the other finds no row and is told to reload.
    """
    expected = instance.version if expected_version is None else int(expected_version)
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


def atomic_with_files(service):
    """Run a service atomically; if it fails, delete the evidence files it already stored.

    A database rollback cannot remove files from disk, so the outermost service call keeps a
    list of what it stored and deletes those files when the transaction does not commit.
    """

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        if _stored_files.get() is not None:
            return service(*args, **kwargs)
        stored = []
        token = _stored_files.set(stored)
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except BaseException:
            for storage, name in stored:
                storage.delete(name)
            raise
        finally:
            _stored_files.reset(token)

    return wrapper


_stored_files = contextvars.ContextVar("stored_evidence_files", default=None)


def task_url(task, *, anchor=""):
    url = reverse("tasks:task_detail", kwargs={"year": task.plan.year, "number": task.number})
    return f"{url}#{anchor}" if anchor else url


def notify(*, recipients, message, task=None, url=""):
    """Write one in-app notification per distinct recipient."""
    unique = {user.pk: user for user in recipients if user is not None}
    Notification.objects.bulk_create(
        Notification(recipient=user, task=task, message=message[:300], url=url)
        for user in unique.values()
    )


def _department_heads(department):
    return [
        membership.user
        for membership in Membership.objects.filter(
            department=department, role=Membership.Role.HEAD
        ).select_related("user")
    ]


# Tasks


@transaction.atomic
def task_assign_departments(*, task, lead, cooperating, actor):
    """Set the lead and cooperating departments and move object permissions with them."""
    cooperating = [department for department in cooperating if department != lead]
    task.lead_department = lead
    _bump_version(task, actor)
    task.cooperating_departments.set(cooperating)
    permissions.sync_task_grants(task)
    return task


@transaction.atomic
def tasks_record_bulk_import(*, created, updated, cooperating, actor):
    """Finish tasks an import wrote with bulk_create / bulk_update, which send no signals.

    `created` and `updated` are task ids; `cooperating` maps each to the ids of its cooperating
    departments. Sets the cooperating departments, writes one history record per task (created
    "+", changed "~") with its cooperating-department snapshot, as saving each task would have,
    and moves the object permissions: a fixed number of statements per 5,000 tasks.
    """
    link = Task.cooperating_departments.through
    task_ids = [*created, *updated]
    if not task_ids:
        return
    present = set()
    stale = []
    for chunk in chunks(task_ids):
        for link_id, task_id, department_id in link.objects.filter(task_id__in=chunk).values_list(
            "pk", "task_id", "department_id"
        ):
            if department_id in cooperating[task_id]:
                present.add((task_id, department_id))
            else:
                stale.append(link_id)
    for chunk in chunks(stale):
        link.objects.filter(pk__in=chunk).delete()
    link.objects.bulk_create(
        [link(task_id=task_id, department_id=department_id)
         for task_id in task_ids for department_id in sorted(cooperating[task_id])
         if (task_id, department_id) not in present],
        batch_size=5000,
    )
    when = timezone.now()
    _record_task_history_in_bulk(created, history_type="+", actor=actor, when=when)
    _record_task_history_in_bulk(updated, history_type="~", actor=actor, when=when)
    permissions.sync_grants_for_tasks(task_ids)
    data_changed()  # bulk writes send no signals


def _record_task_history_in_bulk(task_ids, *, history_type, actor, when):
    """The history records `Task.save()` would have written, copied from the saved rows."""
    history = Task.history.model
    snapshot = history.cooperating_departments.model
    link = Task.cooperating_departments.through
    tracked = [field.name for field in history.tracked_fields]
    when = datetime_param(when)
    for chunk in chunks(task_ids):
        copied = ", ".join(column(Task, name) for name in tracked)
        insert_select(
            history,
            [*tracked, "history_date", "history_user", "history_type"],
            f"SELECT {copied}, %s, %s, %s FROM {table(Task)} WHERE {column(Task, 'id')} IN ({placeholders(chunk)})",
            [when, actor.pk if actor else None, history_type, *chunk],
        )
        insert_select(
            snapshot,
            ["id", "task", "department", "history"],
            f"SELECT l.{column(link, 'id')}, l.{column(link, 'task')}, l.{column(link, 'department')}, "
            f"h.{column(history, 'history_id')} FROM {table(link)} l JOIN {table(history)} h "
            f"ON h.{column(history, 'id')} = l.{column(link, 'task')} AND h.{column(history, 'history_date')} = %s "
            f"WHERE l.{column(link, 'task')} IN ({placeholders(chunk)})",
            [when, *chunk],
        )


@transaction.atomic
def task_set_schedule(
    *, task, deadline, deadline_text, actor, responsible_leader=None, responsible_person="",
    expected_version=None,
):
    task.deadline = deadline
    task.deadline_text = deadline_text
    task.responsible_leader = responsible_leader
    task.responsible_person = responsible_person
    return _bump_version(task, actor, expected_version)


@transaction.atomic
def task_update_responsible_person(*, task, responsible_person, actor, expected_version):
    task.responsible_person = responsible_person.strip()
    return _bump_version(task, actor, expected_version)


@transaction.atomic
def task_complete(*, task, completed_on, actor):
    task.state = Task.State.COMPLETED
    task.completed_on = completed_on
    task.percent_complete = 100
    return _bump_version(task, actor)


# Milestones


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
    _save_with_history(milestone, actor)
    return milestone


@transaction.atomic
def milestone_update(*, milestone, title, due_date, evidence_required, actor):
    _check_milestone_dates(milestone.task, due_date)
    milestone.title = title.strip()
    milestone.due_date = due_date
    milestone.evidence_required = evidence_required
    _save_with_history(milestone, actor)
    return milestone


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
    milestone.done_on = done_on
    _save_with_history(milestone, actor)
    return milestone


@transaction.atomic
def milestone_reopen(*, milestone, actor):
    milestone.done_on = None
    _save_with_history(milestone, actor)
    return milestone


# Evidence


@atomic_with_files
def evidence_attach(*, task, uploads, actor, report=None, milestone=None, request=None):
    """Store checked uploads (see tasks.evidence.check_uploads) under random names."""
    created = []
    for upload in uploads:
        evidence = Evidence(
            task=task, report=report, milestone=milestone, request=request,
            original_name=upload.original_name, size=upload.size, sha256=upload.sha256,
            content_type=upload.content_type, uploaded_by=actor,
        )
        evidence.file.save(upload.original_name, upload.file, save=False)
        _stored_files.get().append((evidence.file.storage, evidence.file.name))
        evidence.full_clean()
        evidence.save()
        created.append(evidence)
    return created


# Reports


def last_accepted_percent(*, task, department, before_month):
    report = (
        ProgressReport.objects.filter(
            task=task, department=department, state=ProgressReport.State.ACCEPTED,
            month__lt=before_month,
        )
        .order_by("-month")
        .first()
    )
    return report.percent if report else None


@atomic_with_files
def report_save(
    *, task, department, month, author, progress, percent, problems="", next_steps="",
    percent_drop_reason="", expected_version=None, uploads=(), submit=False,
):
    """Create or edit a department's report for a month, optionally submitting it at once."""
    month = month.replace(day=1)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, month=month, department=department)
        .first()
    )
    if report is not None and report.state not in (
        ProgressReport.State.DRAFT, ProgressReport.State.RETURNED
    ):
        raise ValidationError(_("This report has been submitted and can no longer be edited."))
    previous = last_accepted_percent(task=task, department=department, before_month=month)
    if previous is not None and percent < previous and not percent_drop_reason.strip():
        raise ValidationError(
            {"percent_drop_reason": _(
                "The last accepted report said %(previous)d%%; say why progress is now lower."
            ) % {"previous": previous}}
        )
    if report is None:
        report = ProgressReport(task=task, month=month, department=department)
    report.author = author
    report.progress = progress.strip()
    report.problems = problems.strip()
    report.next_steps = next_steps.strip()
    report.percent = percent
    report.percent_drop_reason = percent_drop_reason.strip()
    if report.pk is None:
        _save_with_history(report, author)
    else:
        _bump_version(report, author, expected_version)
    if uploads:
        evidence_attach(task=task, uploads=uploads, actor=author, report=report)
    if submit:
        if not permissions.can_submit_report(author, report):
            raise ValidationError(
                _("Only the head of %(department)s can submit this report; it has been saved as a draft.")
                % {"department": department.display_name}
            )
        report_submit(report=report, actor=author)
    return report


@transaction.atomic
def report_submit(*, report, actor):
    if report.state not in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED):
        raise ValidationError(_("Only a draft or a returned report can be submitted."))
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    return _bump_version(report, actor)


def _report_people(report):
    return [report.author, *_department_heads(report.department)]


def _record_review(report, *, state, actor, note, expected_version):
    report.state = state
    report.reviewer = actor
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    _bump_version(report, actor, expected_version)


def _month_words(month):
    return f"{month.year}年{month.month}月"


@transaction.atomic
def report_accept(*, report, actor, note="", expected_version=None):
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    _record_review(
        report, state=ProgressReport.State.ACCEPTED, actor=actor, note=note,
        expected_version=expected_version,
    )
    task = report.task
    if report.department_id == task.lead_department_id and report.percent != task.percent_complete:
        task.percent_complete = report.percent
        _bump_version(task, actor)
    notify(
        recipients=_report_people(report),
        message=_("Your %(month)s report on “%(task)s” was accepted.")
        % {"month": _month_words(report.month), "task": task.title},
        task=task,
        url=task_url(task, anchor=f"report-{report.pk}"),
    )
    return report


@transaction.atomic
def report_return(*, report, actor, note, expected_version=None):
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not note.strip():
        raise ValidationError({"review_note": _("Say what needs to change when returning a report.")})
    _record_review(
        report, state=ProgressReport.State.RETURNED, actor=actor, note=note,
        expected_version=expected_version,
    )
    task = report.task
    notify(
        recipients=_report_people(report),
        message=_("Your %(month)s report on “%(task)s” was returned: %(note)s")
        % {"month": _month_words(report.month), "task": task.title, "note": report.review_note},
        task=task,
        url=reverse("tasks:report_edit", kwargs={"year": task.plan.year, "number": task.number})
        + f"?month={report.month:%Y-%m}&department={report.department_id}",
    )
    return report


# Completion (办结) and extension (延期) requests


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
    _save_with_history(request, actor)
    if uploads:
        evidence_attach(task=task, uploads=uploads, actor=actor, request=request)
    if kind == TaskRequest.Kind.COMPLETION:
        task.state = Task.State.CLOSE_REQUESTED
        _bump_version(task, actor)
    supervisors = get_user_model().objects.filter(groups__name=SUPERVISOR, is_active=True)
    notify(
        recipients=supervisors,
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
    request.state = TaskRequest.State.APPROVED if approve else TaskRequest.State.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    _save_with_history(request, actor)
    task = request.task
    if request.kind == TaskRequest.Kind.COMPLETION:
        if approve:
            task_complete(task=task, completed_on=timezone.localdate(), actor=actor)
        else:
            task.state = Task.State.IN_PROGRESS
            _bump_version(task, actor)
    elif approve:
        task.deadline = request.new_deadline
        task.deadline_text = _("Extended to %(date)s") % {
            "date": f"{request.new_deadline.year}年{request.new_deadline.month}月{request.new_deadline.day}日"
        }
        _bump_version(task, actor)
    verdict = _("approved") if approve else _("rejected")
    notify(
        recipients=[request.requested_by, *_department_heads(task.lead_department)],
        message=_("Your %(kind)s request for “%(task)s” was %(verdict)s.")
        % {"kind": request.get_kind_display(), "task": task.title, "verdict": verdict}
        + (f" {request.decision_note}" if request.decision_note else ""),
        task=task,
        url=task_url(task),
    )
    return request


# Leader instructions (批示)


def _department_members(department):
    return [
        membership.user
        for membership in Membership.objects.filter(department=department).select_related("user")
    ]


@transaction.atomic
def instruction_write(*, task, text, actor, reply_by=None):
    if not text.strip():
        raise ValidationError({"text": _("Write the instruction.")})
    if reply_by is not None and reply_by < timezone.localdate():
        raise ValidationError({"reply_by": _("The reply date cannot be in the past.")})
    instruction = Instruction(task=task, author=actor, text=text.strip(), reply_by=reply_by)
    _save_with_history(instruction, actor)
    notify(
        recipients=_department_members(task.lead_department) if task.lead_department else [],
        message=_("%(leader)s wrote an instruction on “%(task)s”: %(text)s")
        % {"leader": actor.get_full_name() or actor.username, "task": task.title, "text": instruction.text},
        task=task,
        url=task_url(task, anchor=f"instruction-{instruction.pk}"),
    )
    return instruction


@transaction.atomic
def instruction_reply(*, instruction, text, actor):
    if not text.strip():
        raise ValidationError({"text": _("Write the reply.")})
    reply = InstructionReply(instruction=instruction, author=actor, text=text.strip())
    _save_with_history(reply, actor)
    task = instruction.task
    notify(
        recipients=[instruction.author],
        message=_("%(department)s replied to your instruction on “%(task)s”: %(text)s")
        % {"department": task.lead_department.display_name, "task": task.title, "text": reply.text},
        task=task,
        url=task_url(task, anchor=f"instruction-{instruction.pk}"),
    )
    return reply


@transaction.atomic
def notifications_mark_read(*, user, notification_ids=None):
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
