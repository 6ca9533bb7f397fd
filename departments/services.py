"""Writes for departments and memberships; each keeps the department's auth group in sync."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, Membership
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
