"""Who may change what the portal knows about units (on top of the role registry)."""

from .roles import Capability, holds


def can_manage_units(user):
    return holds(user, Capability.MANAGE_UNITS)


def can_manage_people(user):
    return holds(user, Capability.MANAGE_PEOPLE)


def can_read_audit_log(user):
    """The audit administrator only: not the system administrator, not a superuser (三员分立)."""
    return holds(user, Capability.READ_AUDIT_LOG)


def must_use_second_factor(user):
    """A second factor at login: for the roles in TWO_FACTOR_REQUIRED_ROLES, and for superusers."""
    from django.conf import settings

    from .roles import roles_of

    return (user.is_superuser and settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS) or bool(
        roles_of(user) & set(settings.TWO_FACTOR_REQUIRED_ROLES))


def can_manage_account(actor, person):
    """The security administrator manages accounts; a superuser's only a superuser (it is the
    system's break-glass account, kept in the admin)."""
    return can_manage_people(actor) and (actor.is_superuser or not person.is_superuser)


def can_reset_credentials(actor, person):
    """Password and second-factor resets are for someone else: one's own password is changed."""
    return can_manage_account(actor, person) and actor.pk != person.pk


def can_change_roles_of(actor, person):
    """Nobody changes their own roles (三员分立: the security administrator cannot grant itself more)."""
    return actor.pk != person.pk


def token_permits(token, method):
    """A request made with a read-only API token may only read; one without a token (a signed-in
    person's session) is judged by the person's permissions alone."""
    from .models import IntegrationToken

    return token is None or method in ("GET", "HEAD", "OPTIONS") or token.scope == IntegrationToken.Scope.READ_WRITE
