from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tasks import Task


class PublicProgress(models.Model):
    """A task's progress text as the supervision office approved it for the public page (政务公开).
    Written from an accepted report, edited for the public (no names, nothing internal); never
    changed afterwards: a new text is a new row, and a withdrawn one keeps its row."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="public_progress")
    month = models.DateField(_("month"), help_text=_("The first day of the month the text reports on."))
    text = models.TextField(_("published text"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("published progress")
        verbose_name_plural = _("published progress")
        ordering = ["task", "-approved_at"]
        indexes = [models.Index(fields=["task", "withdrawn_at", "-approved_at"], name="public_progress_latest_idx")]

    def __str__(self):
        return f"{self.task} {self.month:%Y-%m}"
