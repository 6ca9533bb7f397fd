import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from departments import roles
from departments.models import Department, Membership
from tasks.models import Milestone, ProgressReport, Task

pytestmark = pytest.mark.django_db


def counts():
    return {
        "users": get_user_model().objects.count(),
        "departments": Department.objects.count(),
        "memberships": Membership.objects.count(),
        "milestones": Milestone.objects.count(),
        "reports": ProgressReport.objects.count(),
        "task_history": Task.history.count(),
    }


def test_demo_loads_the_plan_and_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Task.objects.filter(plan__year=2021).count() == 35
    assert not Task.objects.filter(lead_department=None).exists()
    assert set(ProgressReport.objects.values_list("state", flat=True)) == set(ProgressReport.State.values)
    assert Task.objects.filter(state=Task.State.COMPLETED).exists()
    assert Milestone.objects.filter(done_on=None, due_date__lt="2021-10-01").exists(), "some tasks run late"
    assert first["departments"] >= 13
    output = capsys.readouterr().out
    assert "jcjy_staff" in output
    for role in roles.ROLES:  # one demo login per role of the registry, printed and in its group
        assert get_user_model().objects.get(username=role.demo_username).groups.filter(name=role.name).exists()
        assert role.demo_username in output
