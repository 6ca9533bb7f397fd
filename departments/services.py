"""Writes for departments and memberships; each keeps the department's auth group in sync."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import Department, DepartmentAlias, Membership
from .roles import ROLE_BY_NAME, ROLES

GROUP_PREFIX = "部门:"


def _group_name(department_name):
    return f"{GROUP_PREFIX}{department_name}"


@transaction.atomic
def department_create(
    *, name, short_name="", kind=Department.Kind.BUREAU_OFFICE, parent=None, order=0
):
    group, _ = Group.objects.get_or_create(name=_group_name(name))
    department = Department(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        order=order,
        group=group,
    )
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def department_get_or_create(*, name, **fields):
    existing = Department.objects.filter(name=name.strip()).first()
    if existing:
        return existing, False
    return department_create(name=name, **fields), True


@transaction.atomic
def department_update(*, department, **fields):
    for field, value in fields.items():
        setattr(department, field, value)
    department.full_clean(exclude=["group"])
    department.save()
    if department.group.name != _group_name(department.name):
        department.group.name = _group_name(department.name)
        department.group.save(update_fields=["name"])
    return department


@transaction.atomic
def department_set_aliases(*, department, names):
    """Replace a department's aliases (the other names documents use for it) with `names`.

    An alias must not be the name of a department, nor another department's alias: a name in a
    document must point to one unit only."""
    names = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    problems = []
    for name in names:
        if len(name) > 100:
            problems.append(_("“%(name)s” is longer than 100 characters.") % {"name": name[:20]})
        elif Department.objects.filter(name=name).exists():
            problems.append(_("“%(name)s” is the name of a unit, so it cannot be an alias.") % {"name": name})
        else:
            other = DepartmentAlias.objects.filter(name=name).exclude(department=department).select_related(
                "department").first()
            if other:
                problems.append(_("“%(name)s” is already an alias of %(other)s.")
                                % {"name": name, "other": other.department.name})
    if problems:
        raise ValidationError(problems)
    department.aliases.exclude(name__in=names).delete()
    existing = set(department.aliases.values_list("name", flat=True))
    DepartmentAlias.objects.bulk_create(
        [DepartmentAlias(department=department, name=name) for name in names if name not in existing]
    )
    return names


@transaction.atomic
def membership_set(*, user, department, role=Membership.Role.STAFF):
    membership, _ = Membership.objects.update_or_create(
        user=user, department=department, defaults={"role": role}
    )
    user.groups.add(department.group)
    return membership


@transaction.atomic
def memberships_add_bulk(*, memberships):
    """membership_set for thousands of new (user, department, role) rows in a few statements."""
    Membership.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)
    # As membership_set does one by one: members act through their office's permission group.
    User = Membership._meta.get_field("user").related_model
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=m.user_id, group_id=m.department.group_id) for m in memberships],
        batch_size=1000, ignore_conflicts=True,
    )


@transaction.atomic
def membership_remove(*, membership):
    membership.user.groups.remove(membership.department.group)
    membership.delete()


def ensure_bureau_role_groups():
    """Create the groups of the role registry, with the admin permissions of the models each
    role maintains there; safe to call any number of times."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    groups = []
    for role in ROLES:
        group = Group.objects.get_or_create(name=role.name)[0]
        if role.admin_models:
            wanted = Q(pk__in=[])
            for name in role.admin_models:
                app_label, _dot, model = name.partition(".")
                wanted |= Q(content_type__app_label=app_label, **({"content_type__model": model} if model else {}))
            group.permissions.add(*Permission.objects.filter(wanted))
        groups.append(group)
    return groups


@transaction.atomic
def role_grant(*, users, role_name):
    """Give people a bureau-wide role of the registry (its auth group)."""
    if role_name not in ROLE_BY_NAME:
        raise ValueError(f"{role_name!r} is not a role of departments.roles.ROLES")
    group, _ = Group.objects.get_or_create(name=role_name)
    group.user_set.add(*users)
    for user in users:
        user.__dict__.pop("_bureau_roles", None)  # the per-request cache of roles_of


@transaction.atomic
def department_deactivate(*, department):
    """A unit that no longer exists: its members lose its rights at once (working_memberships),
    its tasks and history stay. Publishing lists deactivated units that still hold tasks."""
    return department_update(department=department, is_active=False)


def department_absorb(*, source, target):
    """Move memberships and aliases of `source` to `target`, keep `source`'s name as an alias of
    `target`, and delete `source`. Called by the work plan's merge, which moves the tasks first."""
    if source.pk == target.pk:
        raise ValidationError(_("A unit cannot be merged into itself."))
    for membership in Membership.objects.filter(department=source).select_related("user"):
        existing = Membership.objects.filter(user=membership.user, department=target).first()
        role = Membership.Role.HEAD if Membership.Role.HEAD in (membership.role, getattr(existing, "role", "")) else membership.role
        membership_remove(membership=membership)
        membership_set(user=membership.user, department=target, role=role)
    names = [alias.name for alias in source.aliases.all()]
    source.aliases.all().delete()
    group = source.group
    source_name = source.name
    source.delete()
    group.delete()
    department_set_aliases(department=target,
                           names=[*target.aliases.values_list("name", flat=True), *names, source_name])


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
    from .models import Account

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
    if actor is not None and actor.pk == user.pk and before != set(role_names):
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


# Group robots (企业微信 / 钉钉)

CHANNEL_MAX_ATTEMPTS = 5


@transaction.atomic
def channel_set(*, department, kind, webhook_url, secret=None, is_active=True):
    """Add or change a unit's robot of one kind; a blank `secret` keeps the one stored."""
    from .models import UnitChannel

    channel = UnitChannel.objects.filter(department=department, kind=kind).first() or UnitChannel(
        department=department, kind=kind)
    channel.webhook_url = webhook_url.strip()
    if secret:
        channel.secret = secret.strip()
    channel.is_active = is_active
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_post(*, departments, text):
    """Queue `text` for every active robot of the units; each is sent after the transaction
    commits, by a job, and retried later if the service does not take it."""
    from .jobs import deliver_channel_message
    from .models import ChannelDelivery, UnitChannel

    deliveries = ChannelDelivery.objects.bulk_create(
        ChannelDelivery(channel=channel, text=text)
        for channel in UnitChannel.objects.filter(department__in=[d for d in departments if d], is_active=True)
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_channel_message.delay(pk))
    return deliveries


def channel_delivery_attempt(*, delivery_id):
    """Send one waiting message if it is due; record the outcome. Safe to run twice: a message
    sent, given up or not yet due is left alone, and a row being sent elsewhere is skipped."""
    import datetime

    from django.utils import timezone

    from . import channels
    from .models import ChannelDelivery

    with transaction.atomic():
        delivery = (ChannelDelivery.objects.select_for_update(skip_locked=True).select_related("channel")
                    .filter(pk=delivery_id, state=ChannelDelivery.State.PENDING, next_attempt_at__lte=timezone.now())
                    .first())
        if delivery is None:
            return None
        outcome = channels.post(delivery.channel, delivery.text)
        delivery.attempts += 1
        if outcome.delivered:
            delivery.state, delivery.sent_at, delivery.last_error = ChannelDelivery.State.SENT, timezone.now(), ""
        else:
            delivery.last_error = outcome.error[:300]
            if outcome.retriable and delivery.attempts < CHANNEL_MAX_ATTEMPTS:
                # 1, 2, 4, 8 minutes: a robot rate limit or an outage of the service passes.
                delivery.next_attempt_at = timezone.now() + datetime.timedelta(minutes=2 ** (delivery.attempts - 1))
            else:
                delivery.state = ChannelDelivery.State.FAILED
        delivery.save()
        return delivery


def channel_deliveries_due():
    from django.utils import timezone

    from .models import ChannelDelivery

    return list(ChannelDelivery.objects.filter(state=ChannelDelivery.State.PENDING,
                                               next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)[:500])


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
