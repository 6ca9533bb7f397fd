"""Who may change what the portal knows about units (on top of the role registry)."""

from .roles import Capability, holds


def can_manage_units(user):
    return holds(user, Capability.MANAGE_UNITS)


def can_manage_people(user):
    return holds(user, Capability.MANAGE_PEOPLE)


def can_read_audit_log(user):
    """The audit administrator only: not the system administrator, not a superuser (三员分立)."""
    return holds(user, Capability.READ_AUDIT_LOG)
