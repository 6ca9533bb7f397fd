"""In-app notifications: marking them read (they are written by `common.notify`)."""

import datetime

from django.db import transaction
from django.utils import timezone

from tasks.models import Notification


@transaction.atomic
def notifications_mark_read(*, user, notification_ids=None):
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def notification_digests_send(*, now=None):
    """The daily e-mail digest: to each person who asked for it and has an address, one mail
    listing their unread notices since the last digest (none when there are none). Safe to run
    twice: a notice goes into one digest only."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection
    from django.utils.translation import gettext as _

    from departments.models import Account

    now = now or timezone.now()
    sent = 0
    accounts = Account.objects.filter(email_digest=True, user__is_active=True).exclude(email="").select_related("user")
    with get_connection() as connection:
        for account in accounts:
            with transaction.atomic():
                account = Account.objects.select_for_update().select_related("user").get(pk=account.pk)
                since = account.digest_sent_at or now - datetime.timedelta(days=1)
                notices = list(Notification.objects.filter(recipient=account.user, read_at=None,
                                                           created_at__gt=since, created_at__lte=now)
                               .order_by("created_at")[:200])
                if notices:
                    link = settings.PORTAL_URL.rstrip("/")
                    lines = [f"· {notice.created_at.astimezone(timezone.get_current_timezone()):%m-%d %H:%M} "
                             f"{notice.message}" + (f"\n  {link}{notice.url}" if link and notice.url else "")
                             for notice in notices]
                    EmailMessage(
                        subject=_("Work plan: %(count)d unread notices") % {"count": len(notices)},
                        body="\n".join([_("Unread notices since your last digest:"), "", *lines]),
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[account.email], connection=connection,
                    ).send()
                    sent += 1
                account.digest_sent_at = now
                account.save(update_fields=["digest_sent_at"])
    return sent
