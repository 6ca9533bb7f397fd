"""Bureau-wide roles, held as auth groups (their names are what administrators see)."""

from django.utils.translation import gettext_lazy as _

LEADER = "局领导"
SUPERVISOR = "督查室"
ADMINISTRATOR = "系统管理员"

BUREAU_ROLES = {
    LEADER: _("Bureau leader"),
    SUPERVISOR: _("Supervision office"),
    ADMINISTRATOR: _("Administrator"),
}


def roles_of(user):
    """The bureau-wide role names of a user, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_bureau_roles"):
        user._bureau_roles = frozenset(
            user.groups.filter(name__in=BUREAU_ROLES).values_list("name", flat=True)
        )
    return user._bureau_roles


def is_leader(user):
    return LEADER in roles_of(user)


def is_supervisor(user):
    return SUPERVISOR in roles_of(user) or user.is_superuser


def is_administrator(user):
    return ADMINISTRATOR in roles_of(user) or user.is_superuser
