"""Who sees which dashboard and summary: leaders and the supervision office everything, heads
their own offices. Built on the roles of `departments.roles` and the memberships that count."""

from dataclasses import dataclass

from departments.models import Membership
from departments.roles import Capability, holds
from departments.selectors import working_memberships


@dataclass(frozen=True)
class DashboardScope:
    everything: bool
    departments: tuple = ()


def dashboard_scope_for(user):
    """None when the user may not open dashboards at all."""
    if holds(user, Capability.READ_ALL_TASKS):
        return DashboardScope(everything=True)
    headed = tuple(
        membership.department for membership in working_memberships(user)
        if membership.role == Membership.Role.HEAD
    )
    return DashboardScope(everything=False, departments=headed) if headed else None


def can_read_summaries(user):
    """Summaries cover every office: for leaders and the supervision office, not office heads."""
    return holds(user, Capability.READ_SUMMARIES)


def can_generate_summaries(user):
    return holds(user, Capability.GENERATE_SUMMARIES)


# Unit scoring: the ranking is the bureau's, shown to everyone who opens dashboards; a unit's lines
# to those whose dashboard scope holds the unit.

def can_see_scores(user):
    return dashboard_scope_for(user) is not None


def can_read_bulletins(user):
    """A bulletin is published to every unit: whoever reads the ranking reads the bulletins."""
    return can_see_scores(user)


def units_whose_scores_are_visible(user, departments):
    """The ids of `departments` whose score lines `user` may read (one scope lookup for all)."""
    scope = dashboard_scope_for(user)
    if scope is None:
        return set()
    return {department.pk for department in departments if scope.everything or department in scope.departments}


def can_see_unit_score(user, department):
    return department.pk in units_whose_scores_are_visible(user, [department])


def can_set_scoring_rules(user):
    return holds(user, Capability.SET_SCORING_RULES)


def can_adjust_scores(user):
    return holds(user, Capability.ADJUST_SCORES)
