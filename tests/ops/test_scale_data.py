"""The province-sized data generator behind `make bench`: complete, mixed and reproducible."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from guardian.shortcuts import get_perms

from departments.models import Department
from tasks.models import Evidence, Milestone, ProgressReport, Task
from ops.scale_data import scale_plan_generate
from tasks.status import default_as_of
from tasks.status_store import statuses_for

pytestmark = pytest.mark.django_db


def test_a_small_province_plan_has_everything_the_benchmark_reads(settings, tmp_path):
    summary = scale_plan_generate(tasks=120, year=2025, seed=7, departments=12, users=80, sections=6)
    plan = summary.plan
    assert (summary.tasks, Task.objects.filter(plan=plan).count(), plan.sections.count()) == (120, 120, 6)
    assert Department.objects.filter(name__startswith="规模测试单位").count() == 12
    assert Milestone.objects.filter(task__plan=plan).count() == 240
    assert summary.reports == ProgressReport.objects.filter(task__plan=plan).count() > 120 * 6
    assert summary.evidence == Evidence.objects.count() > 0
    task = Task.objects.filter(plan=plan).select_related("lead_department").first()
    assert {"change_task", "report_task"} <= set(get_perms(task.lead_department.group, task))
    assert task.history.count() == 1, "written through the import's bulk service, with history"
    on = default_as_of(2025, datetime.date(2026, 11, 29))
    lights = {status.light for status in statuses_for(Task.objects.filter(plan=plan), on=on).values()}
    assert {"done", "late"} <= lights, "a realistic mix of states"


def test_the_same_seed_gives_the_same_plan():
    first = scale_plan_generate(tasks=30, year=2025, seed=3, departments=6, users=40, sections=3, evidence=False)
    def shape(plan):
        return [(title, deadline and (deadline.month, deadline.day), lead)
                for title, deadline, lead in Task.objects.filter(plan=plan).order_by("number")
                .values_list("title", "deadline", "lead_department__name")]

    titles = shape(first.plan)
    again = scale_plan_generate(tasks=30, year=2024, seed=3, departments=6, users=40, sections=3, evidence=False)
    assert shape(again.plan) == titles


def test_the_command_refuses_an_existing_year():
    scale_plan_generate(tasks=5, year=2025, departments=3, users=30, sections=1, evidence=False)
    with pytest.raises(CommandError, match="2025"):
        call_command("generate_scale_data", "--tasks", "5", "--year", "2025", stdout=io.StringIO())
