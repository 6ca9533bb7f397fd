"""Writes of unit scoring: rules versions and leaders' adjustments (reports/scoring.py reads them)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments import audit
from tasks.models import Plan
from tasks.status import data_changed

from ..models import ScoreAdjustment, ScoringRules


@transaction.atomic
def scoring_rules_set(*, plan, values, effective_from, reason, actor):
    """A new version of the plan's scoring rules, in force from `effective_from`'s month. Earlier
    versions stay as they were: the months they scored keep their scores."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rules change.")})
    effective_from = effective_from.replace(day=1)
    if effective_from.year != plan.year:
        raise ValidationError({"effective_from": _("Choose a month of the plan's year.")})
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one new version at a time
    last = ScoringRules.objects.filter(plan=plan).order_by("-version").values_list("version", flat=True).first()
    rules = ScoringRules(plan=plan, version=(last or 0) + 1, effective_from=effective_from, reason=reason.strip(),
                         created_by=actor, **{name: values[name] for name in ScoringRules.VALUE_FIELDS})
    rules.full_clean()
    rules.save()
    data_changed()  # pages built from the old rules (the cards) are not served again
    audit.record("scoring_rules", user=actor, detail=f"plan {plan.year} v{rules.version} from {effective_from:%Y-%m}")
    return rules


@transaction.atomic
def score_adjust(*, plan, department, month, points, reason, actor):
    """A leader's change to a unit's score for a month, kept with its reason."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the score changes.")
    if not points:
        errors["points"] = _("An adjustment of zero points changes nothing.")
    if month.year != plan.year:
        errors["month"] = _("Choose a month of the plan's year.")
    if errors:
        raise ValidationError(errors)
    adjustment = ScoreAdjustment(plan=plan, department=department, month=month.replace(day=1), points=points,
                                 reason=reason.strip(), author=actor)
    adjustment.full_clean()
    adjustment.save()
    data_changed()
    audit.record("score_adjust", user=actor, detail=f"{department.name} {month:%Y-%m} {points:+}")
    return adjustment
