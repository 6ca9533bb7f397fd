"""Housekeeping jobs of the operations app: the beat's heartbeat and the sweep of stored files
that no record refers to."""

import logging

from celery import shared_task

from siping_edu.observability import record_beat_heartbeat
from siping_edu.stored_files import sweep_unreferenced

logger = logging.getLogger(__name__)


@shared_task
def beat_heartbeat():
    """Runs every minute: /metrics shows when it last ran, so a stopped beat (no summaries, no
    reminders) raises an alert instead of being noticed a quarter later. `origin` names the beat
    process that sent it (the cluster check uses it to see that only one beat sends)."""
    record_beat_heartbeat()
    logger.info("beat heartbeat sent by %s", beat_heartbeat.request.origin)
    return beat_heartbeat.request.origin


@shared_task
def sweep_stored_files():
    """Nightly: stored files no record refers to (a request killed between storing a file and
    committing its record, an import never confirmed), older than STORED_FILE_GRACE_HOURS."""
    return len(sweep_unreferenced(referenced_file_names()))


def referenced_file_names():
    from reports.models import QuarterlySummary, ScoreBulletin
    from tasks.models import Evidence

    names = set(Evidence.all_objects.values_list("file", flat=True))
    for model in (QuarterlySummary, ScoreBulletin):
        for pair in model.objects.values_list("xlsx", "docx"):
            names.update(name for name in pair if name)
    return names
