"""Who sees which dashboard: leaders and the supervision office everything, heads their office."""

from dataclasses import dataclass

from departments.models import Membership
from tasks.permissions import can_read_everything


@dataclass(frozen=True)
class DashboardScope:
    everything: bool
    departments: tuple = ()


def dashboard_scope_for(user):
    """None when the user may not open dashboards at all."""
    if not user.is_authenticated:
        return None
    if can_read_everything(user):
        return DashboardScope(everything=True)
    headed = tuple(
        membership.department
        for membership in Membership.objects.filter(
            user=user, role=Membership.Role.HEAD, department__is_active=True
        ).select_related("department")
    )
    return DashboardScope(everything=False, departments=headed) if headed else None
