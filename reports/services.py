"""Writes of the reports app: generated files, summary records and reminders."""

import datetime
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments import audit
from departments.contact import contact_email
from siping_edu.celery import send_job, send_job_on_commit
from departments.roles import Capability, users_holding
from departments.selectors import department_members
from tasks.formats import chinese_date, month_end
from tasks.models import Milestone, Plan, Task
from tasks.services import notify, notify_units, task_url
from tasks.status import (
    AWAITING_ACKNOWLEDGEMENT,
    is_milestone_due_within,
    is_milestone_overdue,
    is_report_missing,
    is_task_overdue,
    load_status_inputs,
    reporting_deadline,
)

from . import exporters, selectors
from .models import QuarterlySummary, ReminderLog, ScoreAdjustment, ScoringRules


def monthly_ledger_file(*, plan, month, on=None, departments=None, section_number=None, unit=""):
    """Build the month's ledger into a temporary file (rewound) and return it with a file name."""
    on = on or month_end(month)
    rows = selectors.monthly_ledger(
        plan=plan, month=month, on=on, section_number=section_number, departments=departments
    )
    handle = tempfile.TemporaryFile()
    exporters.write_monthly_ledger(
        handle,
        rows=rows,
        title=exporters.ledger_title(plan, month),
        unit=unit or plan.issuing_body,
        as_of_text=chinese_date(on),
    )
    handle.seek(0)
    name = f"{plan.title}落实情况月报-{month:%Y-%m}.xlsx"
    return handle, name


# Quarterly summaries


def previous_quarter(today):
    """(year, quarter) of the quarter that ended before `today`'s quarter began."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


@transaction.atomic
def summary_request(*, plan, quarter, actor=None, unless_made=False):
    """Queue a summary; a request while one is queued or running enqueues nothing more, nor one
    `unless_made` (the scheduled run) for a summary already made."""
    from .jobs import generate_quarterly_summary

    summary, _created = QuarterlySummary.objects.select_for_update().get_or_create(plan=plan, quarter=quarter)
    if not _created and (summary.is_busy or (unless_made and summary.state == QuarterlySummary.State.DONE)):
        return summary
    summary.state = QuarterlySummary.State.QUEUED
    summary.error = ""
    summary.requested_by = actor
    summary.queued_at = timezone.now()
    summary.save()
    # With Redis unreachable the record stays queued and `summaries_resend_waiting` sends it later.
    send_job_on_commit(generate_quarterly_summary, plan.pk, quarter)
    return summary


def summaries_resend_waiting(*, now=None):
    """Send again the summaries queued more than SUMMARY_RESEND_AFTER_SECONDS ago and not started: their message
    was never sent (the broker was down) or was lost with a Redis that keeps nothing. A summary
    whose first message is still on its way is built twice at worst, which is safe."""
    from .jobs import generate_quarterly_summary

    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.SUMMARY_RESEND_AFTER_SECONDS)
    waiting = QuarterlySummary.objects.filter(state=QuarterlySummary.State.QUEUED, queued_at__lt=cutoff)
    return sum(send_job(generate_quarterly_summary, plan_id, quarter)
               for plan_id, quarter in waiting.values_list("plan_id", "quarter"))



def summary_generate(*, plan, quarter, today=None):
    """Build the figures and both files, then swap them into the record in one transaction.

    Files are written completely to temporary files first and stored under new names; the record
    points at them only once both exist, and the old files are deleted after the commit. Running
    it twice leaves one record with the latest files.
    """
    summary = QuarterlySummary.objects.get_or_create(plan=plan, quarter=quarter)[0]
    QuarterlySummary.objects.filter(pk=summary.pk).update(
        state=QuarterlySummary.State.RUNNING, started_at=timezone.now(), error="",
        attempts=summary.attempts + 1,
    )
    try:
        _sweep_abandoned_files(plan, quarter)
        figures = selectors.quarterly_figures(plan=plan, quarter=quarter, today=today or timezone.localdate())
        stem = f"{plan.year}-Q{quarter}-{timezone.now():%Y%m%d%H%M%S%f}"
        with tempfile.TemporaryFile() as xlsx_file, tempfile.TemporaryFile() as docx_file:
            exporters.write_quarterly_xlsx(xlsx_file, figures)
            exporters.write_quarterly_docx(docx_file, figures)
            xlsx_file.seek(0)
            docx_file.seek(0)
            storage = QuarterlySummary._meta.get_field("xlsx").storage
            new_xlsx = storage.save(f"summaries/{stem}.xlsx", File(xlsx_file))
            new_docx = storage.save(f"summaries/{stem}.docx", File(docx_file))
        with transaction.atomic():
            summary = QuarterlySummary.objects.select_for_update().get(pk=summary.pk)
            old_files = [name for name in (summary.xlsx.name, summary.docx.name) if name]
            summary.figures = figures
            summary.xlsx.name, summary.docx.name = new_xlsx, new_docx
            summary.state = QuarterlySummary.State.DONE
            summary.finished_at = timezone.now()
            summary.save()
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
            notify(
                recipients=users_holding(Capability.READ_SUMMARIES),
                message=_("The %(plan)s summary for quarter %(quarter)d is ready.")
                % {"plan": plan.title, "quarter": quarter},
                url=f"{reverse('reports:summaries')}?year={plan.year}",
            )
        return summary
    except Exception as error:
        QuarterlySummary.objects.filter(pk=summary.pk).update(
            state=QuarterlySummary.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise


def _sweep_abandoned_files(plan, quarter):
    """Delete files of this summary that a killed run stored but never swapped in.

    Only files older than the job's hard time limit go: a run that wrote them cannot still be
    alive, while a run in progress (say a second worker's) keeps its files.
    """
    storage = QuarterlySummary._meta.get_field("xlsx").storage
    try:
        _folders, names = storage.listdir("summaries")
    except FileNotFoundError:
        return
    referenced = {name for pair in QuarterlySummary.objects.values_list("xlsx", "docx") for name in pair}
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    for name in names:
        path = f"summaries/{name}"
        if name.startswith(f"{plan.year}-Q{quarter}-") and path not in referenced and storage.get_modified_time(path) < cutoff:
            storage.delete(path)


def summaries_for_plan(plan):
    return QuarterlySummary.objects.filter(plan=plan).order_by("quarter")


# Reminders (催办)


def _remember(kind, key, recipient, day):
    """True the first time this reminder goes to this person today; False on any repeat."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=kind, key=key, recipient=recipient, day=day)
        return True
    except IntegrityError:
        return False


def reminders_send(*, today):
    """The day's reminders: not acknowledged (签收), due soon, overdue (escalated after a week),
    reports missing."""
    supervisors = list(users_holding(Capability.RECEIVE_ESCALATIONS))
    outgoing = []  # (recipient, kind, key, message, task)

    open_tasks = Task.objects.filter(plan__status=Plan.Status.ACTIVE).exclude(state=Task.State.COMPLETED)
    soon = today + datetime.timedelta(days=settings.REMINDER_DUE_DAYS)
    for milestone in Milestone.objects.filter(
        task__in=open_tasks, done_on=None, due_date__lte=soon
    ).select_related("task__plan", "task__lead_department", "task__responsible_leader").prefetch_related(
        "task__co_lead_departments"
    ):
        task = milestone.task
        days = (milestone.due_date - today).days
        if is_milestone_due_within(milestone, today, settings.REMINDER_DUE_DAYS):
            message = _("Milestone ‘%(title)s’ of “%(task)s” is due in %(days)d days.") % {
                "title": milestone.title, "task": task.title, "days": days}
            outgoing += [(user, "milestone_due", f"m{milestone.pk}", message, task)
                         for user in department_members(*task.lead_departments)]
        elif is_milestone_overdue(milestone, today):
            message = _("Milestone ‘%(title)s’ of “%(task)s” is %(days)d days overdue.") % {
                "title": milestone.title, "task": task.title, "days": -days}
            outgoing += _overdue_recipients(task, -days, supervisors, "milestone_overdue", f"m{milestone.pk}", message)
    for task in open_tasks.filter(deadline__lt=today).select_related(
        "plan", "lead_department", "responsible_leader"
    ).prefetch_related("co_lead_departments"):
        if not is_task_overdue(task, today):
            continue
        days = (today - task.deadline).days
        message = _("“%(task)s” is %(days)d days past its deadline.") % {"task": task.title, "days": days}
        outgoing += _overdue_recipients(task, days, supervisors, "task_overdue", f"t{task.pk}", message)

    waiting = (open_tasks.filter(AWAITING_ACKNOWLEDGEMENT).select_related("plan", "lead_department")
               .prefetch_related("co_lead_departments"))
    for task in waiting:
        message = _("“%(task)s” was assigned to your unit and has not been acknowledged (签收).") % {"task": task.title}
        outgoing += [(user, "not_acknowledged", f"t{task.pk}", message, task)
                     for user in department_members(task.lead_department)]

    month = today.replace(day=1)
    if today > reporting_deadline(month).date():
        candidates = list(open_tasks.filter(plan__year=today.year, lead_department__isnull=False)
                          .select_related("plan", "lead_department").prefetch_related("co_lead_departments"))
        inputs = load_status_inputs(candidates, on=today)
        for task in candidates:
            if is_report_missing(task, month, inputs.lead_reports[task.pk], on=today):
                message = _("This month's report on “%(task)s” has not been submitted.") % {"task": task.title}
                outgoing += [(user, "report_missing", f"t{task.pk}-{month:%Y%m}", message, task)
                             for user in department_members(*task.lead_departments)]

    sent = 0
    mails = []
    by_unit = {}  # one robot message a day per unit, listing its reminders
    members = {}
    for user, kind, key, message, task in outgoing:
        if _remember(kind, key, user, today):
            notify(recipients=[user], message=message, task=task, url=task_url(task))
            address = contact_email(user)
            if address:
                mails.append((_("Work plan reminder"), message, settings.DEFAULT_FROM_EMAIL, [address]))
            unit = task.lead_department
            if unit is not None and unit.pk not in members:
                members[unit.pk] = set(department_members(unit))
            if unit is not None and user in members[unit.pk]:
                lines = by_unit.setdefault(unit, [])
                if message not in lines:
                    lines.append(message)
            sent += 1
    for unit, lines in by_unit.items():
        notify_units(departments=[unit], message=_("Reminders for %(unit)s (%(date)s):") % {
            "unit": unit.display_name, "date": chinese_date(today)} + "\n" + "\n".join(f"· {line}" for line in lines))
    if mails:
        send_mass_mail(mails, fail_silently=False)
    return sent


def _overdue_recipients(task, days_overdue, supervisors, kind, key, message):
    recipients = department_members(*task.lead_departments) + ([task.responsible_leader] if task.responsible_leader else [])
    if days_overdue > settings.REMINDER_ESCALATION_DAYS:
        recipients += supervisors
    return [(user, kind, key, message, task) for user in recipients]


# Unit scoring (reports/scoring.py reads what these write).

@transaction.atomic
def scoring_rules_set(*, plan, values, effective_from, reason, actor):
    """A new version of the plan's scoring rules, in force from `effective_from`'s month. Earlier
    versions stay as they were: the months they scored keep their scores."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rules change.")})
    effective_from = effective_from.replace(day=1)
    if effective_from.year != plan.year:
        raise ValidationError({"effective_from": _("Choose a month of the plan's year.")})
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one new version at a time
    last = ScoringRules.objects.filter(plan=plan).order_by("-version").values_list("version", flat=True).first()
    rules = ScoringRules(plan=plan, version=(last or 0) + 1, effective_from=effective_from, reason=reason.strip(),
                         created_by=actor, **{name: values[name] for name in ScoringRules.VALUE_FIELDS})
    rules.full_clean()
    rules.save()
    audit.record("scoring_rules", user=actor, detail=f"plan {plan.year} v{rules.version} from {effective_from:%Y-%m}")
    return rules


@transaction.atomic
def score_adjust(*, plan, department, month, points, reason, actor):
    """A leader's change to a unit's score for a month, kept with its reason."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the score changes.")
    if not points:
        errors["points"] = _("An adjustment of zero points changes nothing.")
    if month.year != plan.year:
        errors["month"] = _("Choose a month of the plan's year.")
    if errors:
        raise ValidationError(errors)
    adjustment = ScoreAdjustment(plan=plan, department=department, month=month.replace(day=1), points=points,
                                 reason=reason.strip(), author=actor)
    adjustment.full_clean()
    adjustment.save()
    audit.record("score_adjust", user=actor, detail=f"{department.name} {month:%Y-%m} {points:+}")
    return adjustment
