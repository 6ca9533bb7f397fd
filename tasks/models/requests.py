"""Completion (办结) and extension (延期) requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tasks import Task


class TaskRequest(models.Model):
    """A lead department's request to close a task (办结) or to move its deadline (延期)."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Completion")
        EXTENSION = "extension", _("Extension")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    previous_deadline = models.DateField(_("previous deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="task_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_task_requests",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("completion or extension request")
        verbose_name_plural = _("completion and extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind"],
                condition=models.Q(state="pending"),
                name="one_pending_request_per_task_and_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="extension") | models.Q(new_deadline__isnull=False),
                name="extension_request_has_new_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.get_kind_display()}"
