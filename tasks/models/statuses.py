"""Each task's status as the status engine worked it out, stored so that pages and exports
built from thousands of tasks add up rows in SQL instead of re-running the engine (#17)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tasks import Task, new_status_stamp  # noqa: F401 (exported with the model)


# A trend value of a task completed by that month's end: counted as 100 % and as done.
DONE_MARK = 101
TREND_MONTHS = range(1, 13)


class StoredStatus(models.Model):
    """The status of `task` as of `on`, valid while `stamp` equals the task's `status_stamp` and
    `rules` the current rules' fingerprint (tasks/status.py). Never edited: a stale row is
    replaced by a fresh one the next time it is read."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="stored_statuses")
    on = models.DateField()
    # Copies of the task's place, so that a plan's figures are added up without a join: any change
    # to them is a save of the task, which makes this row stale. No database constraint: the task
    # (CASCADE above) cannot outlive them, and a province's rows are written by the thousand.
    plan = models.ForeignKey("tasks.Plan", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    section = models.ForeignKey("tasks.Section", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    lead_department = models.ForeignKey("departments.Department", on_delete=models.DO_NOTHING, null=True,
                                        db_constraint=False, related_name="+")
    number = models.PositiveIntegerField()
    stamp = models.CharField(max_length=32)
    rules = models.CharField(max_length=16)
    light = models.CharField(max_length=12)
    # [[reason code, {parameters}], …]: words are made when shown, in the reader's language.
    reasons = models.JSONField(default=list)
    expected_percent = models.SmallIntegerField(null=True)
    actual_percent = models.SmallIntegerField(null=True)
    since = models.DateField(null=True)
    # What a tally adds up: 100 for a done task, else the latest counted report's percent, or 0.
    progress = models.SmallIntegerField(default=0)
    # The lead office's report for the month of `on`.
    report_state = models.CharField(max_length=20, blank=True)
    report_due = models.BooleanField(default=False)
    report_counted = models.BooleanField(default=False)
    report_on_time = models.BooleanField(default=False)
    # progress at the end of each month up to `on` (DONE_MARK when completed by then): the trend.
    month_1 = models.SmallIntegerField(null=True)
    month_2 = models.SmallIntegerField(null=True)
    month_3 = models.SmallIntegerField(null=True)
    month_4 = models.SmallIntegerField(null=True)
    month_5 = models.SmallIntegerField(null=True)
    month_6 = models.SmallIntegerField(null=True)
    month_7 = models.SmallIntegerField(null=True)
    month_8 = models.SmallIntegerField(null=True)
    month_9 = models.SmallIntegerField(null=True)
    month_10 = models.SmallIntegerField(null=True)
    month_11 = models.SmallIntegerField(null=True)
    month_12 = models.SmallIntegerField(null=True)

    class Meta:
        verbose_name = _("stored status")
        verbose_name_plural = _("stored statuses")
        constraints = [models.UniqueConstraint(fields=["task", "on"], name="stored_status_task_on")]
        indexes = [models.Index(fields=["plan", "on", "light"], name="stored_status_plan_on_light")]

    def __str__(self):
        return f"{self.task_id} @ {self.on}: {self.light}"
