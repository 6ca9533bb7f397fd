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
