"""Documents a job builds — quarterly summaries and scoring bulletins — queued, built, and
swapped into their record, all kinds alike (`models.GeneratedFiles`).

A request while one is queued or running enqueues nothing more. The job writes both files
completely to temporary files and stores them under new names; the record points at them only
once both exist, and the old files are deleted after the commit. Running it twice leaves one
record with the latest files. A message the broker never took leaves the record queued, and
`generated_resend_waiting` sends it again.
"""

import datetime
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from siping_edu.celery import send_job, send_job_on_commit

from ..models import QuarterlySummary, ScoreBulletin


def _job_for(model):
    from .. import jobs

    return {QuarterlySummary: jobs.generate_quarterly_summary, ScoreBulletin: jobs.generate_score_bulletin}[model]


def _job_args(record):
    return (record.plan_id, record.quarter) if isinstance(record, QuarterlySummary) else (record.plan_id, record.month)


@transaction.atomic
def generated_request(model, *, actor=None, unless_made=False, **lookup):
    """Queue the record's job; nothing more while it is queued or running, nor `unless_made`
    (a scheduled run) when it is already made."""
    record, created = model.objects.select_for_update().get_or_create(**lookup)
    if not created and (record.is_busy or (unless_made and record.state == model.State.DONE)):
        return record
    record.state = model.State.QUEUED
    record.error = ""
    record.requested_by = actor
    record.queued_at = timezone.now()
    record.save()
    send_job_on_commit(_job_for(model), *_job_args(record))
    return record


def generated_resend_waiting(*, now=None):
    """Send again the records queued more than SUMMARY_RESEND_AFTER_SECONDS ago and not started:
    their message was never sent (the broker was down) or was lost with a Redis that keeps
    nothing. One whose first message is still on its way is built twice at worst, which is safe."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.SUMMARY_RESEND_AFTER_SECONDS)
    sent = 0
    for model in (QuarterlySummary, ScoreBulletin):
        for record in model.objects.filter(state=model.State.QUEUED, queued_at__lt=cutoff):
            sent += send_job(_job_for(model), *_job_args(record))
    return sent


def generated_build(model, *, build, on_done, **lookup):
    """Build the record's figures and files and swap them in. `build()` returns the figures and
    two writers (`write(target, figures)`) for the .xlsx and the .docx (keys of the figures that
    start with "_" are for the files only and are not stored); `on_done(record)` runs
    inside the swapping transaction (its notices go out with the files or not at all)."""
    record = model.objects.select_related("plan").get_or_create(**lookup)[0]
    model.objects.filter(pk=record.pk).update(
        state=model.State.RUNNING, started_at=timezone.now(), error="", attempts=F("attempts") + 1)
    try:
        _sweep_abandoned_files(record)
        figures, write_xlsx, write_docx = build()
        stem = f"{record.file_prefix}{timezone.now():%Y%m%d%H%M%S%f}"
        storage = model._meta.get_field("xlsx").storage
        with tempfile.TemporaryFile() as xlsx_file, tempfile.TemporaryFile() as docx_file:
            write_xlsx(xlsx_file, figures)
            write_docx(docx_file, figures)
            xlsx_file.seek(0)
            docx_file.seek(0)
            new_xlsx = storage.save(f"{model.FOLDER}/{stem}.xlsx", File(xlsx_file))
            new_docx = storage.save(f"{model.FOLDER}/{stem}.docx", File(docx_file))
        with transaction.atomic():
            record = model.objects.select_for_update().get(pk=record.pk)
            old_files = [name for name in (record.xlsx.name, record.docx.name) if name]
            record.figures = {key: value for key, value in figures.items() if not key.startswith("_")}
            record.xlsx.name, record.docx.name = new_xlsx, new_docx
            record.state = model.State.DONE
            record.finished_at = timezone.now()
            record.save()
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
            on_done(record)
        return record
    except Exception as error:
        model.objects.filter(pk=record.pk).update(
            state=model.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now())
        raise


def _sweep_abandoned_files(record):
    """Delete files of this record that a killed run stored but never swapped in.

    Only files older than the job's hard time limit go: a run that wrote them cannot still be
    alive, while a run in progress (say a second worker's) keeps its files.
    """
    model = type(record)
    storage = model._meta.get_field("xlsx").storage
    try:
        _folders, names = storage.listdir(model.FOLDER)
    except FileNotFoundError:
        return
    referenced = {name for pair in model.objects.values_list("xlsx", "docx") for name in pair}
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    for name in names:
        path = f"{model.FOLDER}/{name}"
        if name.startswith(record.file_prefix) and path not in referenced and storage.get_modified_time(path) < cutoff:
            storage.delete(path)
