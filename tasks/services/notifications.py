"""In-app notifications: marking them read (they are written by `common.notify`)."""

from django.db import transaction
from django.utils import timezone

from tasks.models import Notification


@transaction.atomic
def notifications_mark_read(*, user, notification_ids=None):
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
