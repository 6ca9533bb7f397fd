"""Leaders' instructions (批示), their replies, and in-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tasks import Task


class Notification(models.Model):
    """An in-app message to one user, e.g. a report returned or a request decided."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications",
    )
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.message


class Instruction(models.Model):
    """A bureau leader's written instruction on a task (批示), answered by the lead department."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="instructions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # 已阅: the first member of the lead office to open the task after the instruction was written.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:40]


class InstructionReply(models.Model):
    """The lead department's answer to an instruction (回复)."""

    instruction = models.ForeignKey(
        Instruction, verbose_name=_("instruction"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="instruction_replies",
    )
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(_("replied at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply to instruction")
        verbose_name_plural = _("replies to instructions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:40]


class SupervisionNotice(models.Model):
    """督办通知: a numbered notice from the supervision office to a task's lead unit, asking it to
    act by a date (besides the scheduled reminders); kept, and downloadable as a Word document."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="supervision_notices")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    requirements = models.TextField(_("requirements"))
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="one_notice_number_a_year")]

    def __str__(self):
        return self.number

    @property
    def number(self):
        """The notice's 文号, e.g. 督办〔2026〕3号."""
        return f"督办〔{self.year}〕{self.serial}号"
