import pytest

from departments.models import Membership
from departments.roles import is_leader, is_supervisor
from departments.services import (
    department_create,
    department_update,
    membership_remove,
    membership_set,
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
    assert is_leader(leader()) and not is_supervisor(leader())
    assert is_supervisor(supervisor()) and not is_leader(supervisor())
    assert not is_leader(UserFactory())
