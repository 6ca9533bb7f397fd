import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from departments import roles
from departments.models import Department, Membership
from django.utils import timezone

from tasks.models import Milestone, Plan, ProgressReport, Task

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
    assert Plan.objects.get(year=2021).status == Plan.Status.ARCHIVED, "2021 kept with its history, read-only"
    running = Plan.objects.get(year=timezone.localdate().year)
    assert running.status == Plan.Status.ACTIVE and running.published_at is not None
    assert running.tasks.filter(carried_from__plan__year=2021).count() == 35
    assert not running.tasks.filter(deadline_text__contains="2021").exists(), "deadlines moved to this year"
    assert running.tasks.filter(acknowledged_at=None).exclude(state=Task.State.COMPLETED).exists(), "some 未签收"
    this_month = timezone.localdate().replace(day=1)
    assert ProgressReport.objects.filter(task__plan=running, month=this_month).exists(), "reports up to now"
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
