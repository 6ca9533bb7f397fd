from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tasks.models import Plan


class QuarterlySummary(models.Model):
    """A plan's quarterly progress summary (季度进展总结): figures as data, plus .xlsx and .docx."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    BUSY_STATES = (State.QUEUED, State.RUNNING)

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quarterly_summaries"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"第{q}季度") for q in range(1, 5)])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    xlsx = models.FileField(_("Excel file"), upload_to="summaries/", blank=True, max_length=200)
    docx = models.FileField(_("Word file"), upload_to="summaries/", blank=True, max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("quarterly summary")
        verbose_name_plural = _("quarterly summaries")
        ordering = ["-plan__year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_summary_per_plan_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.plan} · 第{self.quarter}季度"

    @property
    def is_busy(self):
        """Queued or running: another request would only queue the same work again."""
        return self.state in self.BUSY_STATES


class ReminderLog(models.Model):
    """One reminder sent to one person about one item on one day; the unique key stops repeats."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("item"), max_length=80)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient", "day"], name="one_reminder_per_item_day")
        ]
