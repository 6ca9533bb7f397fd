"""Group robots (企业微信 / 钉钉): a unit's webhooks and the outbox of messages posted to them."""

from django.db import transaction

CHANNEL_MAX_ATTEMPTS = 5


@transaction.atomic
def channel_set(*, department, kind, webhook_url, secret=None, is_active=True):
    """Add or change a unit's robot of one kind; a blank `secret` keeps the one stored."""
    from ..models import UnitChannel

    channel = UnitChannel.objects.filter(department=department, kind=kind).first() or UnitChannel(
        department=department, kind=kind)
    channel.webhook_url = webhook_url.strip()
    if secret:
        channel.secret = secret.strip()
    channel.is_active = is_active
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_post(*, departments, text):
    """Queue `text` for every active robot of the units; each is sent after the transaction
    commits, by a job, and retried later if the service does not take it."""
    from siping_edu.celery import send_job_on_commit

    from ..jobs import deliver_channel_message
    from ..models import ChannelDelivery, UnitChannel

    deliveries = ChannelDelivery.objects.bulk_create(
        ChannelDelivery(channel=channel, text=text)
        for channel in UnitChannel.objects.filter(department__in=[d for d in departments if d], is_active=True)
    )
    for delivery in deliveries:
        # Not sent (Redis unreachable): the row waits for retry_channel_messages, every minute.
        send_job_on_commit(deliver_channel_message, delivery.pk)
    return deliveries


def channel_delivery_attempt(*, delivery_id):
    """Send one waiting message if it is due; record the outcome. Safe to run twice: a message
    sent, given up or not yet due is left alone, and a row being sent elsewhere is skipped."""
    import datetime

    from django.utils import timezone

    from .. import channels
    from ..models import ChannelDelivery

    with transaction.atomic():
        delivery = (ChannelDelivery.objects.select_for_update(skip_locked=True).select_related("channel")
                    .filter(pk=delivery_id, state=ChannelDelivery.State.PENDING, next_attempt_at__lte=timezone.now())
                    .first())
        if delivery is None:
            return None
        outcome = channels.post(delivery.channel, delivery.text)
        delivery.attempts += 1
        if outcome.delivered:
            delivery.state, delivery.sent_at, delivery.last_error = ChannelDelivery.State.SENT, timezone.now(), ""
        else:
            delivery.last_error = outcome.error[:300]
            if outcome.retriable and delivery.attempts < CHANNEL_MAX_ATTEMPTS:
                # 1, 2, 4, 8 minutes: a robot rate limit or an outage of the service passes.
                delivery.next_attempt_at = timezone.now() + datetime.timedelta(minutes=2 ** (delivery.attempts - 1))
            else:
                delivery.state = ChannelDelivery.State.FAILED
        delivery.save()
        return delivery


def channel_deliveries_due():
    from django.utils import timezone

    from ..models import ChannelDelivery

    return list(ChannelDelivery.objects.filter(state=ChannelDelivery.State.PENDING,
                                               next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)[:500])
