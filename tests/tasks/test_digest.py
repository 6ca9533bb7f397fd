"""The daily e-mail digest of unread notices, for people who asked for it."""

import pytest
from django.core import mail
from django.urls import reverse

from departments.models import Account
from tasks import services
from tasks.jobs import send_notification_digests

pytestmark = pytest.mark.django_db


def test_the_digest_goes_to_who_asked_once_per_notice(client, task, lead_staff, lead_head):
    client.force_login(lead_staff)
    response = client.post(reverse("departments:my_settings"),
                           {"email": "", "phone": "", "email_digest": "on"})
    assert response.status_code == 400, "a digest needs an address"
    response = client.post(reverse("departments:my_settings"),
                           {"email": "li@example.cn", "phone": "13900000000", "email_digest": "on"})
    assert response.status_code == 302 and Account.objects.get(user=lead_staff).email_digest
    lead_head.email = "head@example.cn"  # has an address but did not ask
    lead_head.save()

    services.notify(recipients=[lead_staff, lead_head], message="您的5月进展报告已被退回：请补充数据。", task=task)
    assert send_notification_digests() == 1
    [sent] = mail.outbox
    assert sent.to == ["li@example.cn"] and "请补充数据" in sent.body
    assert send_notification_digests() == 0, "run twice: nothing new, nothing sent"

    services.notify(recipients=[lead_staff], message="新的催办提醒。", task=task)
    services.notifications_mark_read(user=lead_staff)
    assert send_notification_digests() == 0, "read notices are not mailed"
    assert len(mail.outbox) == 1
