"""督办通知: numbered per year, told to the lead unit, in the history, downloadable as Word."""

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.history import task_history
from tasks.models import Notification

pytestmark = pytest.mark.django_db


def test_notices_are_numbered_told_kept_and_downloaded(client, task, lead_staff, supervisor_user, unrelated_staff):
    first = services.supervision_notice_issue(task=task, actor=supervisor_user, requirements="倒排工期，月底前印发方案。")
    second = services.supervision_notice_issue(task=task, actor=supervisor_user, requirements="补报佐证材料。",
                                               reply_by=timezone.localdate())
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"督办〔{year}〕1号", f"督办〔{year}〕2号")
    assert Notification.objects.filter(recipient=lead_staff, message__contains=first.number).exists()
    assert not Notification.objects.filter(recipient=unrelated_staff).exists()
    assert any(entry.subject == second.number for entry in task_history(task, lead_staff))

    client.force_login(lead_staff)
    response = client.get(reverse("tasks:notice_download", args=[first.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs)
    assert first.number in text and "倒排工期，月底前印发方案。" in text and task.title in text


def test_only_the_supervision_office_sends_them_and_a_refusal_keeps_the_text(client, task, lead_head, supervisor_user):
    url = reverse("tasks:notice_create", kwargs={"year": task.plan.year, "number": task.number})
    client.force_login(lead_head)
    assert client.post(url, {"requirements": "自己督办自己"}).status_code == 403
    client.force_login(supervisor_user)
    response = client.post(url, {"requirements": "请本周内报送整改方案。", "reply_by": "2000-01-01"})
    assert response.status_code == 400 and "请本周内报送整改方案。" in response.content.decode()
    assert client.post(url, {"requirements": "请本周内报送整改方案。"}).status_code == 302
