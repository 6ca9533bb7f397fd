"""Who may change what the portal knows about units (on top of the role registry)."""

from .roles import Capability, holds


def can_manage_units(user):
    return holds(user, Capability.MANAGE_UNITS)


def can_manage_people(user):
    return holds(user, Capability.MANAGE_PEOPLE)
