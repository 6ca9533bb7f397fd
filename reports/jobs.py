"""Background jobs: they take ids, call services, and are safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from tasks.models import Plan

from siping_edu.stored_files import storage_errors

from . import services

# Database hiccups and a file store that refuses (full, unreachable) are worth retrying, with
# backoff; a bug is not. Either way the failure is recorded on the summary.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, *storage_errors())
# The jobs that build a document: redelivered if a worker dies mid-way, retried with backoff.
BUILD_JOB = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": TRANSIENT_ERRORS,
             "retry_backoff": True, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(**BUILD_JOB)
def generate_quarterly_summary(plan_id, quarter):
    plan = Plan.objects.get(pk=plan_id)
    services.summary_generate(plan=plan, quarter=quarter)


@shared_task(**BUILD_JOB)
def generate_score_bulletin(plan_id, month):
    plan = Plan.objects.get(pk=plan_id)
    services.bulletin_generate(plan=plan, month=month)


@shared_task(acks_late=True)
def generate_due_bulletins():
    """Beat job at 03:00 on the first of each month: last month's bulletin, and on 1 January the
    year's; ones already made are not requested again."""
    services.bulletins_request_due(today=timezone.localdate())


@shared_task(acks_late=True)
def generate_due_quarterly_summaries():
    """Beat job on the first day of a quarter: the quarter that just ended, for its plan.

    Only summaries not yet made (or failed) are requested, so a second beat, a restarted beat or
    a redelivered message does not make the same summary again.
    """
    year, quarter = services.previous_quarter(timezone.localdate())
    for plan in Plan.objects.filter(year=year).exclude(status=Plan.Status.DRAFT):
        services.summary_request(plan=plan, quarter=quarter, unless_made=True)


@shared_task(acks_late=True)
def send_daily_reminders():
    return services.reminders_send(today=timezone.localdate())


@shared_task(acks_late=True)
def resend_waiting_summaries():
    """Beat job, every five minutes: summaries and bulletins queued while the broker was unreachable."""
    return services.summaries_resend_waiting()
