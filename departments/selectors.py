from .models import Membership


def memberships_of(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, department__is_active=True).select_related(
        "department"
    )
