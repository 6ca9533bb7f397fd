"""Unit scoring (考核评分): each unit's points for a month or a year, line by line.

Each month is scored by the plan's rules in force that month (`ScoringRules`: the newest version
in force from that month or earlier; the defaults when the plan has none), so a change of rules
mid-year scores the months after it by the new rules and leaves the earlier ones as they were
scored. Nothing is stored: a score is worked out from the reports, milestones, tasks, notices and
adjustments whenever it is asked for, and every point is a line that names its task and event.

What earns or costs points, as of `on` (what had happened by then):
- each report a unit submitted for a month: on time (by the reporting day) or late; the quality
  grade its reviewer gave on accepting; each time it was returned;
- the lead unit's report for a month missing after the reporting day (the lead's report is the
  task's report; `tasks.status.is_report_missing`);
- a milestone done by its due date, and the task completed by its deadline: every unit that
  owns the task;
- a 督办 notice: the task's lead units;
- a leader's adjustment, with its reason.

A unit scores at its weight on the task: lead and joint leads at the lead weight, cooperating
units at the cooperating weight. Adjustments count as written.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.formats import month_end
from tasks.models import Milestone, ProgressReport, SupervisionNotice, Task
from tasks.status import is_counted, is_on_time, is_report_missing

from .models import ScoreAdjustment, ScoringRules

LEAD, COOPERATING = "lead", "cooperating"

EVENTS = {
    "on_time_report": _("Report on time"),
    "late_report": _("Report late"),
    "missing_report": _("Report missing"),
    "returned_report": _("Report returned"),
    "quality": _("Quality grade"),
    "milestone_on_time": _("Milestone met on time"),
    "completed_on_time": _("Completed by the deadline"),
    "supervision_notice": _("督办 notice"),
    "adjustment": _("Adjusted by a leader"),
}
QUALITY_POINTS = {
    ProgressReport.Quality.EXCELLENT: "quality_excellent",
    ProgressReport.Quality.GOOD: "quality_good",
    ProgressReport.Quality.FAIR: "quality_fair",
    ProgressReport.Quality.POOR: "quality_poor",
}


@dataclass(frozen=True)
class ScoreLine:
    month: datetime.date
    event: str
    points: Decimal
    task: object = None  # the task's plain values (number, label, title), or None for an adjustment
    detail: str = ""
    rules_version: int = 0

    @property
    def label(self):
        return EVENTS[self.event]


@dataclass
class UnitScore:
    department: object
    lines: list = field(default_factory=list)
    rank: int = 0
    cards: dict = field(default_factory=dict)  # month -> "yellow" / "red"

    @property
    def total(self):
        return sum((line.points for line in self.lines), Decimal(0))

    @property
    def deductions(self):
        return sum((line.points for line in self.lines if line.points < 0), Decimal(0))

    @property
    def deducted(self):
        """The points deducted, as a positive number (扣 4 分)."""
        return -self.deductions

    @property
    def red_cards(self):
        return sum(1 for card in self.cards.values() if card == "red")

    @property
    def yellow_cards(self):
        return sum(1 for card in self.cards.values() if card == "yellow")


def default_rules(plan):
    """The rules a plan is scored by until the supervision office sets its own (version 0)."""
    return ScoringRules(plan=plan, version=0, effective_from=datetime.date(plan.year, 1, 1))


def rules_by_month(plan, months):
    versions = list(ScoringRules.objects.filter(plan=plan).order_by("effective_from", "version"))
    chosen = {}
    for month in months:
        in_force = [rules for rules in versions if rules.effective_from <= month]
        chosen[month] = max(in_force, key=lambda r: (r.effective_from, r.version)) if in_force else default_rules(plan)
    return chosen


def plan_months(plan, *, on):
    """The plan's months up to `on`."""
    last = min(on, datetime.date(plan.year, 12, 31))
    return [datetime.date(plan.year, number, 1) for number in range(1, last.month + 1)] if last.year == plan.year else []


def unit_scores(plan, *, months, on):
    """Every unit's score over `months` (first days of months of the plan's year), as of `on`,
    ranked: the highest total first, equal totals sharing a rank."""
    months = sorted(months)
    rules = rules_by_month(plan, months)
    scores = _Scorer(plan, months, rules, on).scores()
    ranked = sorted(scores.values(), key=lambda s: (-s.total, s.department.order, s.department.name))
    previous, rank = None, 0
    for position, score in enumerate(ranked, start=1):
        if score.total != previous:
            rank, previous = position, score.total
        score.rank = rank
        score.lines.sort(key=lambda line: (line.month, line.task.number if line.task else 0, line.event))
        for month in months:
            deducted = -sum((line.points for line in score.lines if line.month == month and line.points < 0), Decimal(0))
            if deducted >= rules[month].red_card_deductions:
                score.cards[month] = "red"
            elif deducted >= rules[month].yellow_card_deductions:
                score.cards[month] = "yellow"
    return ranked


def month_cards(plan, month, *, on):
    """The units carded for `month` as of `on`, red cards first, then by points deducted."""
    scores = unit_scores(plan, months=[month], on=on)
    return sorted((score for score in scores if month in score.cards),
                  key=lambda score: (score.cards[month] != "red", score.deductions, score.department.name))


class _Scorer:
    def __init__(self, plan, months, rules, on):
        self.plan, self.months, self.rules, self.on = plan, set(months), rules, on
        self.first, self.last = min(months, default=None), month_end(max(months)) if months else None
        self.lines = defaultdict(list)
        self.tasks = {task.pk: task for task in Task.objects.filter(plan=plan).values_list(
            "pk", "number", "label", "title", "lead_department_id", "deadline", "state", "completed_on", named=True)}
        self.owners = defaultdict(dict)  # task id -> {department id: role}
        for relation, role in ((Task.cooperating_departments, COOPERATING), (Task.co_lead_departments, LEAD)):
            for task_id, department_id in relation.through.objects.filter(task__plan=plan).values_list(
                "task_id", "department_id"
            ):
                self.owners[task_id][department_id] = role
        for task in self.tasks.values():
            if task.lead_department_id:
                self.owners[task.pk][task.lead_department_id] = LEAD

    def scores(self):
        if self.months:
            self._reports()
            self._returns()
            self._milestones()
            self._completions()
            self._notices()
            self._adjustments()
        departments = Department.objects.filter(pk__in={d for owners in self.owners.values() for d in owners}
                                                | set(self.lines))
        return {department.pk: UnitScore(department, self.lines[department.pk]) for department in departments}

    def _add(self, department_id, month, event, points, task=None, detail="", weight=Decimal(1)):
        self.lines[department_id].append(ScoreLine(
            month, event, (Decimal(points) * Decimal(weight)).quantize(Decimal("0.1")), task, detail,
            self.rules[month].version))

    def _weight(self, month, role):
        rules = self.rules[month]
        return rules.lead_weight if role == LEAD else rules.cooperating_weight

    def _owner_lines(self, task_id, month, event, points_name, detail="", roles=(LEAD, COOPERATING)):
        for department_id, role in self.owners[task_id].items():
            if role in roles:
                self._add(department_id, month, event, getattr(self.rules[month], points_name), self.tasks[task_id],
                          detail, self._weight(month, role))

    def _reports(self):
        lead_reports = defaultdict(list)
        for report in ProgressReport.objects.filter(task__plan=self.plan, month__in=self.months).exclude(
            state=ProgressReport.State.DRAFT
        ).values_list("task_id", "department_id", "month", "state", "submitted_at", "quality", "percent", named=True):
            task = self.tasks[report.task_id]
            if report.department_id == task.lead_department_id:
                lead_reports[task.pk].append(report)
            role = self.owners[task.pk].get(report.department_id)
            if role is None or not is_counted(report, on=self.on):
                continue
            rules, weight = self.rules[report.month], self._weight(report.month, role)
            if is_on_time(report):
                self._add(report.department_id, report.month, "on_time_report", rules.on_time_report, task, weight=weight)
            else:
                self._add(report.department_id, report.month, "late_report", rules.late_report, task,
                          timezone.localtime(report.submitted_at).date().isoformat(), weight)
            if report.state == ProgressReport.State.ACCEPTED and report.quality:
                self._add(report.department_id, report.month, "quality", getattr(rules, QUALITY_POINTS[report.quality]),
                          task, ProgressReport.Quality(report.quality).label, weight)
        for task in self.tasks.values():
            if task.lead_department_id is None:
                continue
            for month in self.months:
                if is_report_missing(task, month, lead_reports[task.pk], on=self.on):
                    self._add(task.lead_department_id, month, "missing_report", self.rules[month].missing_report, task,
                              weight=self._weight(month, LEAD))

    def _returns(self):
        """Each return of a report (退回), dated by its review: one per (report, reviewed_at)."""
        seen = set()
        for report_id, task_id, department_id, reviewed_at in ProgressReport.history.filter(
            task__plan=self.plan, state=ProgressReport.State.RETURNED, reviewed_at__isnull=False,
        ).values_list("id", "task_id", "department_id", "reviewed_at"):
            day = timezone.localtime(reviewed_at).date()
            month = day.replace(day=1)
            role = self.owners[task_id].get(department_id)
            if (report_id, reviewed_at) in seen or month not in self.months or day > self.on or role is None:
                continue
            seen.add((report_id, reviewed_at))
            self._add(department_id, month, "returned_report", self.rules[month].returned_report, self.tasks[task_id],
                      day.isoformat(), self._weight(month, role))

    def _milestones(self):
        for task_id, title, due_date, done_on in Milestone.objects.filter(
            task__plan=self.plan, due_date__range=(self.first, min(self.last, self.on)), done_on__lte=F("due_date"),
        ).values_list("task_id", "title", "due_date", "done_on"):
            self._owner_lines(task_id, due_date.replace(day=1), "milestone_on_time", "milestone_on_time", title)

    def _completions(self):
        for task in self.tasks.values():
            done = task.completed_on
            if (task.state == Task.State.COMPLETED and done and task.deadline and done <= task.deadline
                    and done <= self.on and done.replace(day=1) in self.months):
                self._owner_lines(task.pk, done.replace(day=1), "completed_on_time", "completed_on_time",
                                  done.isoformat())

    def _notices(self):
        for task_id, year, serial, issued_at in SupervisionNotice.objects.filter(task__plan=self.plan).values_list(
            "task_id", "year", "serial", "issued_at"
        ):
            day = timezone.localtime(issued_at).date()
            if day <= self.on and day.replace(day=1) in self.months:
                self._owner_lines(task_id, day.replace(day=1), "supervision_notice", "supervision_notice",
                                  f"督办〔{year}〕{serial}号", roles=(LEAD,))

    def _adjustments(self):
        for adjustment in ScoreAdjustment.objects.filter(plan=self.plan, month__in=self.months).select_related(
            "author"
        ):
            self.lines[adjustment.department_id].append(ScoreLine(
                adjustment.month, "adjustment", adjustment.points, None,
                f"{adjustment.reason}（{adjustment.author.get_full_name() or adjustment.author.username}）",
                self.rules[adjustment.month].version))
