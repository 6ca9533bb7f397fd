"""Background jobs of the work plan: they take ids, call services, and are safe to run twice."""

import smtplib

from celery import shared_task
from django.utils import timezone

from . import services
from .status_store import stored_statuses_refresh


# A mail server that is down or stalls (EMAIL_TIMEOUT) is tried again with growing waits; each
# person's digest is its own transaction, so those already sent are not sent twice.
@shared_task(acks_late=True, autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=60,
             retry_backoff_max=3600, max_retries=6)
def send_notification_digests():
    """Beat job, every evening: the daily e-mail digest for people who asked for it."""
    return services.notification_digests_send()


@shared_task(acks_late=True)
def refresh_stored_statuses():
    """Beat job, each day just after midnight: today's statuses stored before the first page asks."""
    stored_statuses_refresh(today=timezone.localdate())
