"""Background jobs of the units: they take ids, call services, and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def deliver_channel_message(delivery_id):
    services.channel_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True)
def retry_channel_messages():
    """Beat job, every minute: the robot messages whose next attempt is due (retries, and those
    queued while no worker ran)."""
    for delivery_id in services.channel_deliveries_due():
        services.channel_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True)
def disable_idle_accounts():
    """Beat job, nightly: accounts unused for ACCOUNT_IDLE_DAYS are deactivated."""
    return services.accounts_disable_idle()
