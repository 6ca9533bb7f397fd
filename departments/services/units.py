"""Writes for units (departments), their aliases and memberships; each keeps the unit's auth group
in sync, and the groups of the role registry."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Department, DepartmentAlias, Membership
from ..roles import ROLE_BY_NAME, ROLES

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
