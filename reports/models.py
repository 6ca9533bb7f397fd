from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tasks.models import Plan


class GeneratedFiles(models.Model):
    """A document a job builds (figures as data, plus .xlsx and .docx): its state and files.
    `reports.services.generated` queues, builds and swaps the files of every kind alike."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    BUSY_STATES = (State.QUEUED, State.RUNNING)

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
        abstract = True

    @property
    def is_busy(self):
        """Queued or running: another request would only queue the same work again."""
        return self.state in self.BUSY_STATES


class QuarterlySummary(GeneratedFiles):
    """A plan's quarterly progress summary (季度进展总结)."""

    FOLDER = "summaries"

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quarterly_summaries"
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, f"第{q}季度") for q in range(1, 5)])

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
    def file_prefix(self):
        return f"{self.plan.year}-Q{self.quarter}-"


class ScoreBulletin(GeneratedFiles):
    """A plan's scoring bulletin (考核通报) for a month, or for the year (month 0): the ranking,
    commended and named units and each unit's remarks, as a .docx in the bureau's layout and an
    .xlsx of the scores."""

    FOLDER = "bulletins"
    WHOLE_YEAR = 0

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="score_bulletins")
    month = models.PositiveSmallIntegerField(_("month"), help_text=_("1–12, or 0 for the whole year."))

    class Meta:
        verbose_name = _("scoring bulletin")
        verbose_name_plural = _("scoring bulletins")
        ordering = ["-plan__year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_bulletin_per_plan_month"),
            models.CheckConstraint(condition=models.Q(month__gte=0, month__lte=12), name="bulletin_month_0_to_12"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.period_label}"

    @property
    def period_label(self):
        return f"{self.plan.year}年度" if self.month == self.WHOLE_YEAR else f"{self.plan.year}年{self.month}月"

    @property
    def file_prefix(self):
        return f"{self.plan.year}-M{self.month:02d}-"


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


def _points(label, default, help_text=""):
    return models.DecimalField(label, max_digits=6, decimal_places=1, default=default, help_text=help_text)


class ScoringRules(models.Model):
    """One version of a plan's scoring rules (考核评分细则). Never edited: a change is a new
    version, with its reason, in force from its month on; each month is scored by the version in
    force then (reports/scoring.py), so every score can be traced to the rules that made it."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="scoring_rules")
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"), help_text=_("The first day of the first month scored by these rules."))
    on_time_report = _points(_("report on time"), 2)
    late_report = _points(_("report late"), -1)
    missing_report = _points(_("report missing"), -2)
    returned_report = _points(_("report returned"), -1)
    quality_excellent = _points(_("quality excellent (优)"), 3)
    quality_good = _points(_("quality good (良)"), 2)
    quality_fair = _points(_("quality fair (中)"), 1)
    quality_poor = _points(_("quality poor (差)"), 0)
    milestone_on_time = _points(_("milestone met on time"), 3)
    completed_on_time = _points(_("task completed by its deadline"), 10)
    supervision_notice = _points(_("督办 notice received"), -2)
    lead_weight = models.DecimalField(_("weight of a lead unit"), max_digits=4, decimal_places=2, default=1)
    cooperating_weight = models.DecimalField(_("weight of a cooperating unit"), max_digits=4, decimal_places=2,
                                             default=Decimal("0.5"))
    yellow_card_deductions = _points(_("yellow card at deductions of"), 4,
                                     _("A unit whose deductions in a month reach this many points gets a yellow card."))
    red_card_deductions = _points(_("red card at deductions of"), 8,
                                  _("A unit whose deductions in a month reach this many points gets a red card."))
    reason = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    # The values a version sets (the rest say which version it is and why).
    VALUE_FIELDS = [
        "on_time_report", "late_report", "missing_report", "returned_report", "quality_excellent", "quality_good",
        "quality_fair", "quality_poor", "milestone_on_time", "completed_on_time", "supervision_notice",
        "lead_weight", "cooperating_weight", "yellow_card_deductions", "red_card_deductions",
    ]

    class Meta:
        verbose_name = _("scoring rules")
        verbose_name_plural = _("scoring rules")
        ordering = ["plan", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="one_scoring_rules_version_per_plan"),
            models.CheckConstraint(condition=models.Q(red_card_deductions__gte=models.F("yellow_card_deductions")),
                                   name="red_card_at_or_after_yellow"),
        ]

    def __str__(self):
        return f"{self.plan} · v{self.version}"


class ScoreAdjustment(models.Model):
    """A leader's change to a unit's score for a month, with the written reason (kept: never edited)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="score_adjustments")
    department = models.ForeignKey("departments.Department", verbose_name=_("unit"), on_delete=models.PROTECT,
                                   related_name="score_adjustments")
    month = models.DateField(_("month"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adjusted by"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("adjusted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        ordering = ["plan", "month", "created_at"]

    def __str__(self):
        return f"{self.department} {self.month:%Y-%m} {self.points:+}"
