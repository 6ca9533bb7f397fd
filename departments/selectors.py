"""Who is in a department: the one place that answers "members of", "heads of", "memberships of"."""

from django.contrib.auth import get_user_model

from .models import Membership


def working_memberships(user):
    """The memberships that count: an active user's, in active departments (cached per request).

    Every rule that depends on a user's departments (reporting, heads' dashboards, the header)
    reads this, so a deactivated department or account loses its rights everywhere at once.
    """
    if not (user.is_authenticated and user.is_active):
        return []
    if not hasattr(user, "_working_memberships"):
        user._working_memberships = list(
            Membership.objects.filter(user=user, department__is_active=True).select_related(
                "department__group"
            )
        )
    return user._working_memberships


def department_members(*departments, role=None):
    """The active people of the departments (of one role, e.g. heads), for notices and reminders."""
    departments = [department for department in departments if department is not None]
    if not departments:
        return []
    # One filter() call, so that department and role are asked of the same membership.
    conditions = {"memberships__department__in": departments}
    if role is not None:
        conditions["memberships__role"] = role
    return list(get_user_model().objects.filter(is_active=True, **conditions).order_by("username").distinct())


def department_heads(*departments):
    return department_members(*departments, role=Membership.Role.HEAD)


def audit_events(*, username="", event="", result="", since=None, until=None):
    """The audit log, newest first, filtered as the audit administrator asks."""
    import datetime

    from django.utils import timezone

    from .models import AuditEvent

    events = AuditEvent.objects.all()
    if username:
        events = events.filter(username__icontains=username)
    if event:
        events = events.filter(event=event)
    if result:
        events = events.filter(result=result)
    if since:
        events = events.filter(created_at__gte=timezone.make_aware(datetime.datetime.combine(since, datetime.time.min)))
    if until:
        events = events.filter(created_at__lt=timezone.make_aware(
            datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min)))
    return events.order_by("-id")
