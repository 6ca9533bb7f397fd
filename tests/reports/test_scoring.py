"""Unit scoring (reports/scoring.py) on a hand-computed example: each rule, both roles, a rule
change mid-year, the cards, an adjustment, and "as of" a date."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import ScoreAdjustment, ScoringRules
from reports.scoring import unit_scores
from tasks.models import Milestone, ProgressReport, SupervisionNotice, Task

from .. import factories

pytestmark = pytest.mark.django_db
D = datetime.date
JAN, FEB, MAR, JUN = D(2021, 1, 1), D(2021, 2, 1), D(2021, 3, 1), D(2021, 6, 1)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world():
    return scoring_world()


def scoring_world():
    """Unit 甲 leads the task, unit 乙 cooperates. Default rules: on time +2, late -1, missing -2,
    returned -1, 优 +3, 良 +2, milestone +3, completed +10, 督办 -2; lead ×1, cooperating ×0.5;
    yellow card at 4 points deducted in a month, red at 8."""
    plan = factories.PlanFactory(year=2021)
    lead, cooperating = factories.department("甲科室"), factories.department("乙科室")
    author, reviewer = factories.UserFactory(), factories.supervisor()
    task = factories.assigned_task(lead=lead, cooperating=[cooperating], plan=plan,
                                   section=factories.SectionFactory(plan=plan, number=1),
                                   deadline=D(2021, 6, 30))

    def report(department, month, submitted, state=ProgressReport.State.ACCEPTED, quality=""):
        return ProgressReport.objects.create(
            task=task, department=department, month=month, author=author, progress="推进。", percent=30,
            state=state, submitted_at=at(submitted), quality=quality, reviewer=reviewer)

    # 甲: January on time (5th) graded 优; February missing; March late (2 April) graded 良.
    report(lead, JAN, D(2021, 1, 5), quality=ProgressReport.Quality.EXCELLENT)
    report(lead, MAR, D(2021, 4, 2), quality=ProgressReport.Quality.GOOD)
    # 乙: January on time graded 良; March returned on the 20th, resubmitted on time, accepted ungraded.
    report(cooperating, JAN, D(2021, 1, 8), quality=ProgressReport.Quality.GOOD)
    returned = report(cooperating, MAR, D(2021, 3, 10), state=ProgressReport.State.RETURNED)
    returned.reviewed_at = at(D(2021, 3, 20))
    returned.save()
    returned.state, returned.submitted_at, returned.reviewed_at = ProgressReport.State.ACCEPTED, at(D(2021, 3, 22)), at(D(2021, 3, 23))
    returned.save()
    # A milestone met early (both units), a 督办 notice in February (the lead), completion in June.
    Milestone.objects.create(task=task, title="出台方案", due_date=D(2021, 3, 15), done_on=D(2021, 3, 10))
    notice = SupervisionNotice.objects.create(task=task, year=2021, serial=1, requirements="加快推进", issued_by=reviewer)
    SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=at(D(2021, 2, 10)))
    Task.objects.filter(pk=task.pk).update(state=Task.State.COMPLETED, completed_on=D(2021, 6, 20))
    return {"plan": plan, "lead": lead, "cooperating": cooperating, "task": task, "reviewer": reviewer}


def by_unit(scores):
    return {score.department.name: score for score in scores}


def month_totals(score):
    totals = {}
    for line in score.lines:
        totals[line.month] = totals.get(line.month, Decimal(0)) + line.points
    return totals


def test_the_first_quarter_as_of_april_line_by_line(world):
    scores = by_unit(unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30)))
    lead, cooperating = scores["甲科室"], scores["乙科室"]

    assert [(line.month, line.event, line.points) for line in lead.lines] == [
        (JAN, "on_time_report", Decimal("2.0")), (JAN, "quality", Decimal("3.0")),
        (FEB, "missing_report", Decimal("-2.0")), (FEB, "supervision_notice", Decimal("-2.0")),
        (MAR, "late_report", Decimal("-1.0")), (MAR, "milestone_on_time", Decimal("3.0")), (MAR, "quality", Decimal("2.0")),
    ]
    assert lead.total == Decimal("5.0")  # 5 − 4 + 4
    # 乙 at half weight: January (2 + 2) × 0.5; March returned −0.5, on time +1, milestone +1.5.
    assert month_totals(cooperating) == {JAN: Decimal("2.0"), MAR: Decimal("2.0")}
    assert cooperating.total == Decimal("4.0")
    assert next(line for line in cooperating.lines if line.event == "returned_report").detail == "2021-03-20"
    assert [score.department.name for score in unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30))] \
        == ["甲科室", "乙科室"]


def test_as_of_the_end_of_march_the_late_report_is_still_missing(world):
    lead = by_unit(unit_scores(world["plan"], months=[MAR], on=D(2021, 3, 31)))["甲科室"]
    assert {(line.event, line.points) for line in lead.lines} == {
        ("missing_report", Decimal("-2.0")), ("milestone_on_time", Decimal("3.0"))}


def test_completion_by_the_deadline_scores_for_both_roles(world):
    scores = by_unit(unit_scores(world["plan"], months=[JUN], on=D(2021, 7, 31)))
    assert [(line.event, line.points) for line in scores["甲科室"].lines if line.event == "completed_on_time"] == [
        ("completed_on_time", Decimal("10.0"))]
    assert [(line.event, line.points) for line in scores["乙科室"].lines if line.event == "completed_on_time"] == [
        ("completed_on_time", Decimal("5.0"))]


def test_a_rule_change_mid_year_scores_the_later_months_only(world):
    ScoringRules.objects.create(plan=world["plan"], version=1, effective_from=MAR, on_time_report=4,
                                cooperating_weight=Decimal("0.5"), reason="加大按时报送分值")
    cooperating = by_unit(unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30)))["乙科室"]
    on_time = [(line.month, line.points, line.rules_version) for line in cooperating.lines if line.event == "on_time_report"]
    assert on_time == [(JAN, Decimal("1.0"), 0), (MAR, Decimal("2.0"), 1)], "January keeps the rules it was scored by"


def test_a_unit_past_the_thresholds_gets_a_card_for_the_month(world):
    lead = by_unit(unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30)))["甲科室"]
    assert lead.cards == {FEB: "yellow"}, "4 points deducted in February"
    ScoringRules.objects.create(plan=world["plan"], version=1, effective_from=JAN, yellow_card_deductions=1,
                                red_card_deductions=4)
    lead = by_unit(unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30)))["甲科室"]
    assert lead.cards == {FEB: "red", MAR: "yellow"} and (lead.red_cards, lead.yellow_cards) == (1, 1)


def test_an_adjustment_is_a_line_with_its_reason(world):
    leader = factories.leader(first_name="王局长")
    ScoreAdjustment.objects.create(plan=world["plan"], department=world["cooperating"], month=FEB,
                                   points=Decimal("3"), reason="承办全市现场会", author=leader)
    scores = unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30))
    cooperating = by_unit(scores)["乙科室"]
    assert [(line.event, line.points) for line in cooperating.lines if line.month == FEB] == [("adjustment", Decimal("3"))]
    assert "承办全市现场会" in next(line for line in cooperating.lines if line.event == "adjustment").detail
    assert (cooperating.total, cooperating.rank, by_unit(scores)["甲科室"].rank) == (Decimal("7.0"), 1, 2)


def test_equal_totals_share_a_rank(world):
    leader = factories.leader()
    ScoreAdjustment.objects.create(plan=world["plan"], department=world["cooperating"], month=JAN, points=1,
                                   reason="平衡", author=leader)
    scores = unit_scores(world["plan"], months=[JAN, FEB, MAR], on=D(2021, 4, 30))
    assert [(score.total, score.rank) for score in scores] == [(Decimal("5.0"), 1), (Decimal("5.0"), 1)]
