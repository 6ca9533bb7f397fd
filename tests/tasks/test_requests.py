import datetime

import pytest
from django.core.exceptions import ValidationError

from tasks import services
from tasks.evidence import check_uploads
from tasks.models import Notification, Task, TaskRequest

from ..files import pdf

pytestmark = pytest.mark.django_db


def test_completion_request_needs_evidence_then_closes_the_task(task, lead_head, supervisor_user):
    with pytest.raises(ValidationError, match="佐证|evidence"):
        services.task_request_create(task=task, kind=TaskRequest.Kind.COMPLETION, reason="已完成", actor=lead_head)
    assert not TaskRequest.objects.exists()
    request = services.task_request_create(
        task=task, kind=TaskRequest.Kind.COMPLETION, reason="方案已印发", actor=lead_head,
        uploads=check_uploads([pdf("印发通知.pdf")]),
    )
    task.refresh_from_db()
    assert task.state == Task.State.CLOSE_REQUESTED
    assert Notification.objects.filter(recipient=supervisor_user, task=task).exists()
    with pytest.raises(ValidationError):
        services.task_request_create(
            task=task, kind=TaskRequest.Kind.COMPLETION, reason="再次", actor=lead_head,
            uploads=check_uploads([pdf()]),
        )
    services.task_request_decide(request=request, approve=True, note="", actor=supervisor_user)
    task.refresh_from_db()
    assert task.state == Task.State.COMPLETED and task.completed_on is not None
    assert task.percent_complete == 100
    assert Notification.objects.filter(recipient=lead_head, message__contains="同意").exists()


def test_rejected_completion_returns_the_task_to_work_with_a_reason(task, lead_head, supervisor_user):
    request = services.task_request_create(
        task=task, kind=TaskRequest.Kind.COMPLETION, reason="完成", actor=lead_head,
        uploads=check_uploads([pdf()]),
    )
    with pytest.raises(ValidationError):
        services.task_request_decide(request=request, approve=False, note=" ", actor=supervisor_user)
    services.task_request_decide(request=request, approve=False, note="佐证不足", actor=supervisor_user)
    task.refresh_from_db()
    assert task.state == Task.State.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.task_request_decide(request=request, approve=True, note="", actor=supervisor_user)


def test_extension_moves_the_deadline_and_history_keeps_the_original(task, lead_staff, supervisor_user):
    original = task.deadline
    with pytest.raises(ValidationError):
        services.task_request_create(
            task=task, kind=TaskRequest.Kind.EXTENSION, reason="延期", actor=lead_staff,
            new_deadline=original - datetime.timedelta(days=1),
        )
    request = services.task_request_create(
        task=task, kind=TaskRequest.Kind.EXTENSION, reason="受疫情影响", actor=lead_staff,
        new_deadline=datetime.date(2022, 6, 30),
    )
    assert request.previous_deadline == original
    services.task_request_decide(request=request, approve=True, note="同意延期", actor=supervisor_user)
    task.refresh_from_db()
    assert task.deadline == datetime.date(2022, 6, 30)
    assert task.deadline_text == "延期至2022年6月30日"
    assert original in set(task.history.values_list("deadline", flat=True))


def test_notifications_on_return_and_accept_reach_author_and_heads(task, lead_staff, lead_head, supervisor_user):
    report = services.report_save(
        task=task, department=task.lead_department, month=datetime.date(2021, 5, 1),
        author=lead_staff, progress="进展", percent=10,
    )
    services.report_submit(report=report, actor=lead_head)
    services.report_return(report=report, actor=supervisor_user, note="请补充")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"lead_staff", "lead_head"}
    assert "被退回：请补充" in Notification.objects.filter(recipient=lead_staff).get().message
    assert services.notifications_mark_read(user=lead_staff) == 1
    # The head also heard that the draft was ready to submit.
    assert Notification.objects.filter(recipient=lead_head, read_at=None).count() == 2
