"""Writes for departments and memberships; each keeps the department's auth group in sync."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
    """Create the groups of the role registry; safe to call any number of times."""
    return [Group.objects.get_or_create(name=role.name)[0] for role in ROLES]


@transaction.atomic
def role_grant(*, users, role_name):
    """Give people a bureau-wide role of the registry (its auth group)."""
    if role_name not in ROLE_BY_NAME:
        raise ValueError(f"{role_name!r} is not a role of departments.roles.ROLES")
    group, _ = Group.objects.get_or_create(name=role_name)
    group.user_set.add(*users)
    for user in users:
        user.__dict__.pop("_bureau_roles", None)  # the per-request cache of roles_of
