"""Quarterly summaries (季度进展总结): queued, built by a job, swapped into their record."""

import datetime
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Capability, users_holding
from siping_edu.celery import send_job, send_job_on_commit
from tasks.services import notify

from .. import exporters, selectors
from ..models import QuarterlySummary


def previous_quarter(today):
    """(year, quarter) of the quarter that ended before `today`'s quarter began."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


@transaction.atomic
def summary_request(*, plan, quarter, actor=None, unless_made=False):
    """Queue a summary; a request while one is queued or running enqueues nothing more, nor one
    `unless_made` (the scheduled run) for a summary already made."""
    from ..jobs import generate_quarterly_summary

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
    from ..jobs import generate_quarterly_summary

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
