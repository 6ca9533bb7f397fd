"""Writes for people's accounts: creation, changes, roles and units, passwords, the second factor,
unlocks and idle accounts. Each is recorded in the audit log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..models import Membership
from ..permissions import can_change_roles_of
from ..roles import ROLE_BY_NAME
from .units import ensure_bureau_role_groups, membership_remove, membership_set

# Accounts


def _temporary_password():
    """A one-time password meeting the portal's policy: the person replaces it at the next login."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12)) + "#"
        if any(c.isupper() for c in password) and any(c.islower() for c in password) and any(c.isdigit() for c in password):
            return password


def _account(user):
    from ..models import Account

    return Account.objects.get_or_create(user=user)[0]


@transaction.atomic
def user_create(*, username, full_name, email="", phone="", memberships=(), role_names=(), password=None):
    """A new account with a one-time password it must change at the first login; returns
    (user, password) so the administrator can hand the password over once."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(name)s” is taken.") % {"name": username}})
    user = User(username=username, first_name=full_name.strip(), email=email.strip())
    user.full_clean(exclude=["password"])
    password = password or _temporary_password()
    user.set_password(password)
    user.save()
    account = _account(user)
    account.phone = phone.strip()
    account.must_change_password = True
    account.save()
    user_set_units(user=user, memberships=memberships)
    user_set_roles(user=user, role_names=role_names)
    audit.record("account_created", obj=user)
    return user, password


@transaction.atomic
def user_update(*, user, full_name, email, phone, is_active):
    if user.is_active != is_active:
        audit.record("account_activated" if is_active else "account_deactivated", obj=user)
    user.first_name = full_name.strip()
    user.email = email.strip()
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "email", "is_active"])
    account = _account(user)
    account.phone = phone.strip()
    account.save(update_fields=["phone"])
    return user


@transaction.atomic
def user_save_fields(*, user, fields):
    """Save the named fields of an account edited in the admin (its groups are the form's)."""
    concrete = [name for name in fields if name in {f.name for f in user._meta.concrete_fields}]
    user.full_clean(exclude=[f.name for f in user._meta.fields if f.name not in concrete])
    if concrete:
        user.save(update_fields=concrete)
        audit.record("account_changed_in_admin", obj=user, detail="、".join(concrete))
    return user


@transaction.atomic
def user_set_roles(*, user, role_names, actor=None):
    """Make the person's bureau-wide roles exactly `role_names` (of the role registry). Nobody
    changes their own roles (三员分立: the security administrator cannot grant itself more)."""
    unknown = set(role_names) - set(ROLE_BY_NAME)
    if unknown:
        raise ValidationError(_("Unknown role: %(names)s") % {"names": "、".join(sorted(unknown))})
    groups = {group.name: group for group in ensure_bureau_role_groups()}
    before = set(user.groups.filter(name__in=ROLE_BY_NAME).values_list("name", flat=True))
    if actor is not None and before != set(role_names) and not can_change_roles_of(actor, user):
        raise ValidationError(_("Nobody can change their own roles; ask another security administrator."))
    user.groups.remove(*[groups[name] for name in ROLE_BY_NAME if name not in role_names])
    user.groups.add(*[groups[name] for name in role_names])
    user.__dict__.pop("_bureau_roles", None)
    if before != set(role_names):
        audit.record("roles_changed", obj=user,
                     detail=f"{'、'.join(sorted(before)) or '—'} → {'、'.join(sorted(role_names)) or '—'}")


@transaction.atomic
def user_set_units(*, user, memberships):
    """Make the person's memberships exactly `memberships`: [(department, role)]."""
    wanted = {department.pk: (department, role) for department, role in memberships}
    before = {(m.department.name, m.role) for m in Membership.objects.filter(user=user).select_related("department")}
    after = {(department.name, role) for department, role in wanted.values()}
    if before != after:
        audit.record("units_changed", obj=user, detail="、".join(f"{name}·{role}" for name, role in sorted(after)) or "—")
    for membership in Membership.objects.filter(user=user).select_related("department"):
        if membership.department_id not in wanted:
            membership_remove(membership=membership)
    for department, role in wanted.values():
        membership_set(user=user, department=department, role=role)


@transaction.atomic
def user_reset_password(*, user):
    """A new one-time password; the person must choose their own at the next login, and every
    session of theirs ends (the password hash changed)."""
    password = _temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    account = _account(user)
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    audit.record("password_reset", obj=user)
    return password


def password_changed(*, user):
    """The person chose a password: the one-time password requirement ends."""
    from django.utils import timezone

    account = _account(user)
    account.must_change_password = False
    account.password_changed_at = timezone.now()
    account.save(update_fields=["must_change_password", "password_changed_at"])
    audit.record("password_changed", user=user, obj=user)


@transaction.atomic
def my_settings_save(*, user, email, phone, email_digest):
    """What a person sets for themselves: their address, phone and the daily digest."""
    user.email = email.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["email"])
    account = _account(user)
    account.phone, account.email_digest = phone.strip(), email_digest
    account.save(update_fields=["phone", "email_digest"])
    return account


def locked_accounts():
    """Usernames and addresses django-axes has locked out now (failures at the limit)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")


@transaction.atomic
def account_unlock(*, attempt):
    """Lift a lockout (the failed attempts of that username and address are forgotten)."""
    from axes.utils import reset

    audit.record("unlock", detail=f"{attempt.username} from {attempt.ip_address}")
    return reset(username=attempt.username, ip=attempt.ip_address)


def accounts_disable_idle(*, now=None):
    """Deactivate accounts nobody has used for ACCOUNT_IDLE_DAYS (never signed in: counted from
    their creation). Superusers, the break-glass accounts of the system, are left to the operator."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.utils import timezone

    if not settings.ACCOUNT_IDLE_DAYS:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ACCOUNT_IDLE_DAYS)
    idle = get_user_model().objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login=None, date_joined__lt=cutoff))
    count = 0
    for user in idle:
        with transaction.atomic():
            user.is_active = False
            user.save(update_fields=["is_active"])
            audit.record("account_idle_disabled", user=None, obj=user,
                         detail=f"last login {user.last_login or '—'}")
        count += 1
    return count


@transaction.atomic
def user_reset_second_factor(*, user):
    """A lost phone: the person's authenticator and recovery codes are removed; at the next login
    they enrol again (if their role requires it) and every session of theirs ends."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    account = _account(user)
    if account.session_key:
        from importlib import import_module

        from django.conf import settings

        import_module(settings.SESSION_ENGINE).SessionStore(session_key=account.session_key).delete()
    audit.record("otp_reset", obj=user)
