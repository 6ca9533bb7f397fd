"""Background jobs of the work plan: they take ids, call services, and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_notification_digests():
    """Beat job, every evening: the daily e-mail digest for people who asked for it."""
    return services.notification_digests_send()
