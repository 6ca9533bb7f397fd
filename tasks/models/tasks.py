"""Tasks, their object permissions and their milestones (时间节点)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from departments.models import Department

from .plans import Plan, Section

Percent = [MaxValueValidator(100)]


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Task.State.COMPLETED)

    def overdue(self, *, on):
        return self.open().filter(deadline__lt=on)


class TaskManager(models.Manager.from_queryset(TaskQuerySet)):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


def new_status_stamp():
    return uuid.uuid4().hex


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
    group = models.CharField(
        _("group"), max_length=300, blank=True, help_text=_("The heading the task stands under within its section.")
    )
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    # 共同牵头: further lead units with the lead's rights; the first-listed lead is lead_department,
    # whose report counts as the task's monthly report.
    co_lead_departments = models.ManyToManyField(
        Department,
        verbose_name=_("joint lead departments"),
        blank=True,
        related_name="co_led_tasks",
    )
    cooperating_departments = models.ManyToManyField(
        Department,
        verbose_name=_("cooperating departments"),
        blank=True,
        related_name="cooperating_tasks",
    )
    # Owners kept as the document wrote them: collective ones (各县（市、区）) and names that
    # match no unit of the portal.
    owner_text = models.CharField(_("other owners as written"), max_length=300, blank=True)
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
    # 签收: the lead unit's acknowledgement of the assigned task; cleared when the lead unit changes.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # 结转: the unfinished task of an earlier plan this one continues.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    # Incremented by every service write; a stale form carries the old number and is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Replaced by every write to what the status engine reads about the task (tasks/status.py):
    # a StoredStatus computed under another stamp is stale.
    status_stamp = models.CharField(max_length=32, default=new_status_stamp, editable=False)

    history = HistoricalRecords(m2m_fields=[co_lead_departments, cooperating_departments],
                                excluded_fields=["status_stamp"])
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

    @property
    def lead_departments(self):
        """The lead first, then the joint leads (prefetch co_lead_departments when listing)."""
        leads = [self.lead_department] if self.lead_department_id else []
        return leads + [d for d in self.co_lead_departments.all() if d.pk != self.lead_department_id]

    @property
    def lead_names(self):
        return "、".join(d.name for d in self.lead_departments)

    @property
    def lead_display_names(self):
        return "、".join(d.display_name for d in self.lead_departments)


class TaskAdjustment(models.Model):
    """调整: a change of units, deadline or leader after the plan was published, with its reason."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="adjustments")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    # [{"field": verbose name, "before": text, "after": text}, …] as shown to people.
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.task} · {self.reason[:30]}"


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
