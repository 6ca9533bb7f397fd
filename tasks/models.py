import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from departments.models import Department

from .numerals import to_chinese

Percent = [MaxValueValidator(100)]


class PlanManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class Plan(models.Model):
    """A year's work plan (工作要点) as published by the bureau."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    history = HistoricalRecords()
    objects = PlanManager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)


class SectionManager(models.Manager):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


class Section(models.Model):
    """A numbered part of a plan (一、二、…)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    objects = SectionManager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="unique_section_number_per_plan"
            )
        ]

    def __str__(self):
        return f"{self.label}{self.title}"

    def natural_key(self):
        return (self.plan.year, self.number)

    natural_key.dependencies = ["tasks.plan"]

    @property
    def label(self):
        return f"{to_chinese(self.number)}、"


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Task.State.COMPLETED)

    def overdue(self, *, on):
        return self.open().filter(deadline__lt=on)


class TaskManager(models.Manager.from_queryset(TaskQuerySet)):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


class Task(models.Model):
    """One numbered task of a plan, owned by a lead department."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSE_REQUESTED = "close_requested", _("Completion requested")
        COMPLETED = "completed", _("Completed")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(
        _("printed label"),
        max_length=20,
        blank=True,
        help_text=_("The number as printed, when the plan restarts numbering per section."),
    )
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    cooperating_departments = models.ManyToManyField(
        Department,
        verbose_name=_("cooperating departments"),
        blank=True,
        related_name="cooperating_tasks",
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(
        _("deadline as written"), max_length=50, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=Percent
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Incremented by every service write; a stale form carries the old number and is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(m2m_fields=[cooperating_departments])
    objects = TaskManager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        permissions = [
            ("report_task", _("Can report progress on task")),
            ("review_task", _("Can review reports of task")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="unique_task_number_per_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="task_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="completed") | models.Q(completed_on__isnull=False),
                name="completed_task_has_completion_date",
            ),
        ]

    def __str__(self):
        return f"{self.display_number}. {self.title}"

    def natural_key(self):
        return (self.plan.year, self.number)

    natural_key.dependencies = ["tasks.plan", "tasks.section"]

    @property
    def display_number(self):
        return self.label or str(self.number)


class TaskUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)


class TaskGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)


class Milestone(models.Model):
    """A dated step of a task (时间节点)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due_date", "id"]

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    """One department's monthly report on one task (月度进展)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the reported month."))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_reports",
    )
    progress = models.TextField(_("progress"))
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), validators=Percent)
    percent_drop_reason = models.TextField(_("reason for lower percent"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-month", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "month", "department"],
                name="one_report_per_task_month_department",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="report_percent_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.month:%Y-%m} · {self.department}"


def evidence_upload_path(instance, filename):
    # The stored name is random; the user's file name is kept only as data.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A supporting file (佐证材料) for a task, a report or a milestone."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
    )
    request = models.ForeignKey(
        "TaskRequest",
        verbose_name=_("request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="uploaded_evidence",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


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
