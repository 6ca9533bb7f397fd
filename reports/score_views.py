"""Unit scoring pages: the ranking (考核排名), a unit's lines, and the rules (考核评分细则)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from departments.models import Department
from tasks.status import cached_until_data_changes

from . import services
from .forms import ScoreAdjustmentForm, ScoringRulesForm
from .permissions import (
    can_adjust_scores,
    can_see_unit_score,
    can_set_scoring_rules,
    units_whose_scores_are_visible,
)
from .scoring import default_rules, month_cards, plan_months, rules_by_month, unit_scores
from .views import DashboardMixin


class ScoresMixin(DashboardMixin):
    """The plan and as-of date of the dashboard's filters; `period=year` scores every month so far."""

    def period(self):
        plan, on, _departments, department, form = self.filters()
        whole_year = self.request.GET.get("period") == "year"
        months = plan_months(plan, on=on) if whole_year else [on.replace(day=1)]
        return plan, on, months, whole_year, form

    def scores_context(self, plan, on, months, whole_year, form):
        query = self.filter_query() + ("&period=year" if whole_year else "")
        return {**self.page_context(plan, on, form, None), "months": months, "whole_year": whole_year,
                "score_query": query}


class ScoresView(ScoresMixin, TemplateView):
    template_name = "reports/scores.html"

    def get_context_data(self, **kwargs):
        plan, on, months, whole_year, form = self.period()
        scores = unit_scores(plan, months=months, on=on)
        visible = units_whose_scores_are_visible(self.request.user, [score.department for score in scores])
        return super().get_context_data(
            **self.scores_context(plan, on, months, whole_year, form), scores=scores, visible=visible,
            rules=rules_by_month(plan, months)[months[-1]] if months else default_rules(plan),
            can_set_rules=can_set_scoring_rules(self.request.user), **kwargs)


class ScoreCardsView(ScoresMixin, TemplateView):
    """The dashboard's panel of red and yellow cards for its month, loaded by htmx after the page:
    scoring reads every task of the plan, which the dashboard itself never has to wait for.
    Cached like the dashboard, per data revision (rules and adjustments replace it too)."""

    template_name = "reports/_score_cards.html"

    def get_context_data(self, **kwargs):
        def build():
            plan, on, _departments, _department, form = self.filters()
            month = on.replace(day=1)
            cards = month_cards(plan, month, on=on)
            visible = units_whose_scores_are_visible(self.request.user, [score.department for score in cards])
            context = {**self.page_context(plan, on, form, None), "month": month, "visible": visible,
                       "cards": [(score, score.cards[month]) for score in cards]}
            return render_to_string("reports/_score_cards.html#cards", context, request=self.request)

        # The links to a unit's lines depend on the viewer's scope, like the dashboard's rows.
        scope = "all" if self.scope.everything else ",".join(sorted(str(d.pk) for d in self.scope.departments))
        content = cached_until_data_changes("score-cards", [scope, self.filter_query()], build)
        return super().get_context_data(content=mark_safe(content), **kwargs)


class UnitScoreView(ScoresMixin, TemplateView):
    """One unit's score line by line; a leader may adjust it with a written reason."""

    template_name = "reports/unit_score.html"

    def department(self):
        department = Department.objects.filter(pk=self.kwargs["pk"]).first()
        if department is None or not can_see_unit_score(self.request.user, department):
            raise Http404
        return department

    def get_context_data(self, adjustment_form=None, **kwargs):
        department = self.department()
        plan, on, months, whole_year, form = self.period()
        score = next((s for s in unit_scores(plan, months=months, on=on) if s.department == department), None)
        if score is None:
            raise Http404
        return super().get_context_data(
            **self.scores_context(plan, on, months, whole_year, form), score=score, unit=department,
            can_adjust=can_adjust_scores(self.request.user),
            adjustment_form=adjustment_form or ScoreAdjustmentForm(initial={"month": on.month}), **kwargs)

    def post(self, request, *args, **kwargs):
        if not can_adjust_scores(request.user):
            raise PermissionDenied
        department = self.department()
        plan, on, _months, _whole_year, _form = self.period()
        form = ScoreAdjustmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.score_adjust(plan=plan, department=department, month=datetime.date(plan.year, data["month"], 1),
                                      points=data["points"], reason=data["reason"], actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The score of %(unit)s was adjusted.") % {"unit": department.name})
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(adjustment_form=form), status=400)


class ScoringRulesView(ScoresMixin, TemplateView):
    """The rules in force and every earlier version; the supervision office sets a new version."""

    template_name = "reports/scoring_rules.html"

    def get_context_data(self, rules_form=None, **kwargs):
        plan, on, months, whole_year, form = self.period()
        versions = list(plan.scoring_rules.select_related("created_by").order_by("-version"))
        current = versions[0] if versions else default_rules(plan)
        initial = {name: getattr(current, name) for name in current.VALUE_FIELDS}
        return super().get_context_data(
            **self.scores_context(plan, on, months, whole_year, form), versions=versions, current=current,
            can_set_rules=can_set_scoring_rules(self.request.user),
            rules_form=rules_form or ScoringRulesForm(initial={**initial, "effective_from": on.month}), **kwargs)

    def post(self, request, *args, **kwargs):
        if not can_set_scoring_rules(request.user):
            raise PermissionDenied
        plan = self.period()[0]
        form = ScoringRulesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.scoring_rules_set(plan=plan, values=data, reason=data["reason"], actor=request.user,
                                           effective_from=datetime.date(plan.year, data["effective_from"], 1))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The new scoring rules are in force."))
                return redirect(reverse("reports:scoring_rules") + f"?{self.filter_query()}")
        return self.render_to_response(self.get_context_data(rules_form=form), status=400)
