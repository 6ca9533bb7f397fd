"""Writes for departments and memberships; each keeps the department's auth group in sync."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, Membership

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
def membership_remove(*, membership):
    membership.user.groups.remove(membership.department.group)
    membership.delete()


def ensure_bureau_role_groups():
    """Create the bureau-wide role groups; safe to call any number of times."""
    from .roles import BUREAU_ROLES

    return [Group.objects.get_or_create(name=name)[0] for name in BUREAU_ROLES]
