"""Writes of monthly reports (月度进展): save, submit, accept, return."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.selectors import department_heads
from tasks import permissions
from tasks.formats import chinese_month
from tasks.models import Notification, ProgressReport

from .common import StaleEditError, atomic_with_files, model_save, model_update, notify, notify_units, task_url
from .evidence import evidence_attach, evidence_remove_from_report
from .tasks import task_update


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
    percent_drop_reason="", expected_version=None, uploads=(), remove_evidence=(), submit=False,
):
    """Create or edit a department's report for a month, optionally submitting it at once.

    `expected_version` is the version the form showed: 0 when it showed no report, in which case a
    report someone else created meanwhile is not overwritten (the second person is told to reload).
    """
    month = month.replace(day=1)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, month=month, department=department)
        .first()
    )
    if report is not None and report.state not in permissions.EDITABLE_REPORT_STATES:
        raise ValidationError(_("This report has been submitted and can no longer be edited."))
    previous = last_accepted_percent(task=task, department=department, before_month=month)
    if previous is not None and percent < previous and not percent_drop_reason.strip():
        raise ValidationError(
            {"percent_drop_reason": _(
                "The last accepted report said %(previous)d%%; say why progress is now lower."
            ) % {"previous": previous}}
        )
    text = {
        "progress": progress.strip(), "problems": problems.strip(),
        "next_steps": next_steps.strip(), "percent": percent, "percent_drop_reason": percent_drop_reason.strip(),
    }
    if report is not None and expected_version == 0:
        raise StaleEditError(
            _("Someone else saved this month's report in the meantime. Reload the page to see it.")
        )
    if report is None:
        report = model_save(ProgressReport(task=task, month=month, department=department, author=author, **text),
                            actor=author)
    else:
        # The report keeps its author (填报人); who edited it is in its history.
        model_update(instance=report, data=text, actor=author, expected_version=expected_version)
    if remove_evidence:
        evidence_remove_from_report(report=report, evidence_ids=remove_evidence, actor=author)
    if uploads:
        evidence_attach(task=task, uploads=uploads, actor=author, report=report)
    if submit:
        if not permissions.can_submit_report(author, report):
            raise ValidationError(
                _("Only the head of %(department)s can submit this report; it has been saved as a draft.")
                % {"department": department.display_name}
            )
        report_submit(report=report, actor=author)
    elif not permissions.can_submit_report(author, report):
        _tell_heads_a_draft_is_ready(report, author)
    return report


def report_form_url(report):
    task = report.task
    return (reverse("tasks:report_edit", kwargs={"year": task.plan.year, "number": task.number})
            + f"?month={report.month:%Y-%m}&department={report.department_id}")


def _tell_heads_a_draft_is_ready(report, writer):
    """Staff who may not submit save a draft: its office's heads are told once (until they read it)."""
    url = report_form_url(report)
    told = set(Notification.objects.filter(url=url, read_at=None).values_list("recipient_id", flat=True))
    notify(
        recipients=[head for head in department_heads(report.department) if head.pk != writer.pk and head.pk not in told],
        message=_("%(writer)s has a draft of the %(month)s report on “%(task)s” ready for you to submit.")
        % {"writer": writer.get_full_name() or writer.username, "month": chinese_month(report.month),
           "task": report.task.title},
        task=report.task, url=url,
    )


@transaction.atomic
def report_submit(*, report, actor):
    if report.state not in permissions.EDITABLE_REPORT_STATES:
        raise ValidationError(_("Only a draft or a returned report can be submitted."))
    return model_update(instance=report, actor=actor, data={
        "state": ProgressReport.State.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": actor,
    })


def _report_people(report):
    return [report.author, *department_heads(report.department)]


def _refuse_own_report(report, actor):
    if actor is not None and actor.pk == report.author_id:
        raise ValidationError(_("You wrote this report, so someone else must review it."))


def _record_review(report, *, state, actor, note, expected_version, quality=""):
    model_update(instance=report, actor=actor, expected_version=expected_version, data={
        "state": state, "reviewer": actor, "reviewed_at": timezone.now(), "review_note": note.strip(),
        "quality": quality,
    })


@transaction.atomic
def report_accept(*, report, actor, note="", expected_version=None, quality=""):
    """通过, with the reviewer's quality grade (优良中差) when given: the unit scoring counts it."""
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    if quality and quality not in ProgressReport.Quality.values:
        raise ValidationError({"quality": _("Choose a grade from the list.")})
    _refuse_own_report(report, actor)
    _record_review(
        report, state=ProgressReport.State.ACCEPTED, actor=actor, note=note,
        expected_version=expected_version, quality=quality,
    )
    task = report.task
    # The task may have moved on since it was loaded (another report of it accepted just before):
    # the percent follows the accepted report whatever version the task is at now.
    task.refresh_from_db(fields=["version", "percent_complete"])
    if report.department_id == task.lead_department_id and report.percent != task.percent_complete:
        task_update(task=task, data={"percent_complete": report.percent}, actor=actor)
    notify(
        recipients=_report_people(report),
        message=_("Your %(month)s report on “%(task)s” was accepted.")
        % {"month": chinese_month(report.month), "task": task.title},
        task=task,
        url=task_url(task, anchor=f"report-{report.pk}"),
    )
    return report


@transaction.atomic
def report_return(*, report, actor, note, expected_version=None):
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    _refuse_own_report(report, actor)
    if not note.strip():
        raise ValidationError({"review_note": _("Say what needs to change when returning a report.")})
    _record_review(
        report, state=ProgressReport.State.RETURNED, actor=actor, note=note,
        expected_version=expected_version,
    )
    task = report.task
    message = (_("Your %(month)s report on “%(task)s” was returned: %(note)s")
               % {"month": chinese_month(report.month), "task": task.title, "note": report.review_note})
    notify(recipients=_report_people(report), message=message, task=task, url=report_form_url(report))
    notify_units(departments=[report.department], message=f"{report.department.display_name}：{message}",
                 url=report_form_url(report))
    return report


def reports_accept_bulk(*, reports, actor):
    """通过 of many reports at once, each in its own transaction: {report id: the reason it was not
    accepted} for those refused (one's own, changed meanwhile), the others accepted."""
    refused = {}
    for report in reports:
        try:
            report_accept(report=report, actor=actor)
        except ValidationError as error:
            refused[report.pk] = error.messages
    return refused


def report_mark_read(*, report, actor):
    """圈阅: record that a leader read the report (once; reading it again changes nothing) and tell
    its writer and the unit's heads."""
    from tasks.models import ReportReading

    reading, created = ReportReading.objects.get_or_create(report=report, leader=actor)
    if created:
        notify(
            recipients=_report_people(report), task=report.task, url=task_url(report.task, anchor=f"report-{report.pk}"),
            message=_("%(leader)s has read (圈阅) your %(month)s report on “%(task)s”.") % {
                "leader": actor.get_full_name() or actor.username, "month": chinese_month(report.month),
                "task": report.task.title},
        )
    return reading
