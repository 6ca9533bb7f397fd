from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import ScoringRules


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Plan"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("As of"), coerce=int, required=False,
        choices=[(m, f"{m}月") for m in range(1, 13)],
    )
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    # The two kinds of unit a city bureau groups by (departments.models.Department.OFFICE_KINDS).
    KINDS = (("", _("All kinds")), ("office", _("Bureau offices")), ("subordinate", _("Subordinate units")))
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=KINDS, required=False)

    def __init__(self, *args, plans, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(plan.year, plan.title) for plan in plans]
        self.fields["department"].choices = [("", _("All departments"))] + [
            (department.pk, department.name) for department in departments
        ]


class ScoringRulesForm(forms.ModelForm):
    """A new version of the rules: the current values, changed where needed, and why."""

    effective_from = forms.TypedChoiceField(label=_("In force from"), coerce=int,
                                            choices=[(m, f"{m}月") for m in range(1, 13)])
    reason = forms.CharField(label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000)

    class Meta:
        model = ScoringRules
        fields = [*ScoringRules.VALUE_FIELDS, "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Weights and card thresholds are amounts, never negative.
        for name in ("lead_weight", "cooperating_weight", "yellow_card_deductions", "red_card_deductions"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = 0
            self.fields[name].validators.append(MinValueValidator(0))


class ScoreAdjustmentForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])
    points = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=1, min_value=-100, max_value=100)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
