import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership
from departments.roles import ROLES, Capability, capabilities_of, holds, users_holding
from departments.services import (
    department_create,
    department_update,
    ensure_bureau_role_groups,
    membership_remove,
    membership_set,
    role_grant,
)

from ..factories import UserFactory, leader, supervisor

pytestmark = pytest.mark.django_db


def test_each_department_has_its_own_group_kept_in_sync_on_rename():
    department = department_create(name="基础教育科", short_name="基教科")
    assert department.group.name == "部门:基础教育科"
    department_update(department=department, name="基础教育一科")
    department.group.refresh_from_db()
    assert department.group.name == "部门:基础教育一科"


def test_membership_puts_the_user_in_the_department_group_and_takes_them_out():
    department = department_create(name="督导室")
    user = UserFactory()
    membership = membership_set(user=user, department=department, role=Membership.Role.HEAD)
    assert list(user.groups.all()) == [department.group]
    membership_set(user=user, department=department, role=Membership.Role.STAFF)
    assert Membership.objects.get(user=user).role == Membership.Role.STAFF
    membership_remove(membership=membership)
    assert not user.groups.exists()


def test_bureau_roles_come_from_groups():
    a_leader, a_supervisor, nobody = leader(), supervisor(), UserFactory()
    assert holds(a_leader, Capability.WRITE_INSTRUCTIONS) and not holds(a_leader, Capability.REVIEW_REPORTS)
    assert holds(a_supervisor, Capability.REVIEW_REPORTS) and not holds(a_supervisor, Capability.WRITE_INSTRUCTIONS)
    assert not any(holds(nobody, capability) for capability in vars(Capability).values() if isinstance(capability, str))


def test_superusers_act_as_the_supervision_office_and_inactive_accounts_hold_nothing():
    admin = UserFactory(is_superuser=True)
    assert holds(admin, Capability.REVIEW_REPORTS) and not holds(admin, Capability.WRITE_INSTRUCTIONS)
    retired = supervisor(is_active=False)
    assert not holds(retired, Capability.REVIEW_REPORTS)
    everyone = [admin, retired, leader(), supervisor(), UserFactory()]
    for capability in (Capability.REVIEW_REPORTS, Capability.WRITE_INSTRUCTIONS):
        assert set(users_holding(capability)) == {user for user in everyone if holds(user, capability)}


@pytest.mark.parametrize("role", ROLES, ids=[role.demo_username for role in ROLES])
def test_each_role_of_the_registry_is_a_group_granting_its_capabilities(role):
    assert role.name in {group.name for group in ensure_bureau_role_groups()}
    user = UserFactory()
    role_grant(users=[user], role_name=role.name)
    fresh = get_user_model().objects.get(pk=user.pk)
    assert capabilities_of(fresh) == role.capabilities
    for capability in role.capabilities:
        assert fresh in users_holding(capability)
    with pytest.raises(ValueError):
        role_grant(users=[user], role_name="不存在的角色")
