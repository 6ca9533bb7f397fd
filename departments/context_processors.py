from django.utils.functional import SimpleLazyObject

from .permissions import can_manage_people, can_manage_units, can_read_audit_log
from .roles import BUREAU_ROLES, roles_of
from .selectors import working_memberships


def current_membership(request):
    """The signed-in user's departments and roles for the page header, queried only if shown."""
    user = request.user

    def describe():
        memberships = working_memberships(user)
        return {
            "memberships": memberships,
            "roles": [BUREAU_ROLES[name] for name in sorted(roles_of(user))],
        }

    return {
        "current_identity": SimpleLazyObject(describe),
        "can_manage_units": SimpleLazyObject(lambda: can_manage_units(user)),
        "can_manage_people": SimpleLazyObject(lambda: can_manage_people(user)),
        "can_read_audit_log": SimpleLazyObject(lambda: can_read_audit_log(user)),
    }
