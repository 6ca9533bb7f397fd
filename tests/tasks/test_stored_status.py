"""Stored statuses (tasks/status.py, StoredStatus): made once per task and day, made again only
for the task a write touched, and never served once what they were made from has changed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tasks import services
from tasks.models import StoredStatus, Task
from tasks.status import Light
from tasks.status_store import (
    TASK_FIELDS,
    _store,
    rules_fingerprint,
    status_of,
    statuses_for,
    stored_statuses_refresh,
)
from tests import factories

ON = datetime.date(2021, 6, 28)  # after the reporting day: a missing June report is a warning


@pytest.fixture
def two_tasks(lead_department):
    first = factories.assigned_task(lead=lead_department)
    second = factories.assigned_task(lead=lead_department, section=first.section)
    return first, second


def may_milestone(task, actor):
    """A milestone due before ON: the 序时进度 becomes 100 %."""
    return services.milestone_create(task=task, title="出台方案", due_date=datetime.date(2021, 5, 31), actor=actor)


def row_ids(*tasks):
    return dict(StoredStatus.objects.filter(task__in=tasks, on=ON).values_list("task_id", "pk"))


def test_a_write_makes_only_its_own_task_status_stale(two_tasks, leader_user):
    first, second = two_tasks
    before = statuses_for([first, second], on=ON)
    stored = row_ids(first, second)

    services.milestone_create(task=first, title="出台方案", due_date=datetime.date(2021, 7, 3), actor=leader_user)
    after = statuses_for([first, second], on=ON)

    assert "节点‘出台方案’还有 5 天到期" in after[first.pk].reason and after[first.pk] != before[first.pk]
    assert after[second.pk] == before[second.pk]
    assert row_ids(second) == {second.pk: stored[second.pk]}, "the untouched task's row is read, not made again"


def test_a_row_made_from_data_read_before_a_write_is_never_served(task, leader_user):
    """A page reads the task (and its stamp), then a milestone is added, then the page stores
    what it worked out: that row carries the old stamp and is stale."""
    read_before_the_write = list(Task.objects.filter(pk=task.pk).values_list(*TASK_FIELDS, named=True))
    may_milestone(task, leader_user)
    _store(read_before_the_write, on=ON, rules=rules_fingerprint())
    assert StoredStatus.objects.get(task=task, on=ON).stamp == read_before_the_write[0].status_stamp

    assert status_of(task, on=ON).expected_percent == 100


def test_every_write_the_engine_reads_replaces_the_stamp(task, lead_department, lead_staff, lead_head, leader_user):
    stamps = [Task.objects.get(pk=task.pk).status_stamp]

    def changed():
        stamps.append(Task.objects.get(pk=task.pk).status_stamp)
        return stamps[-1] != stamps[-2]

    milestone = services.milestone_create(task=task, title="出台方案", due_date=datetime.date(2021, 5, 31),
                                          actor=leader_user)
    assert changed(), "a milestone added"
    services.milestone_mark_done(milestone=milestone, done_on=datetime.date(2021, 5, 30), actor=leader_user)
    assert changed(), "a milestone done"
    report = services.report_save(task=task, department=lead_department, month=ON, author=lead_staff,
                                  progress="推进中。", percent=30)
    assert changed(), "a draft report"
    services.report_submit(report=report, actor=lead_head)
    assert changed(), "a report submitted"
    services.task_complete(task=Task.objects.get(pk=task.pk), completed_on=datetime.date(2021, 6, 20),
                           actor=leader_user)
    assert changed(), "the task completed"
    assert status_of(task, on=ON).light == Light.DONE


def test_changed_rules_make_every_stored_status_stale(task, settings):
    assert "本月未报送" in status_of(task, on=ON).reason
    settings.REPORTING_DAY = 30  # the June report is not yet missing on the 28th
    assert "本月未报送" not in status_of(task, on=ON).reason


def test_reasons_are_stored_as_codes_and_worded_in_the_readers_language(task):
    status_of(task, on=ON)
    assert StoredStatus.objects.get(task=task, on=ON).reasons[-1] == ["report_missing", {}]
    with translation.override("zh-hans"):
        assert status_of(task, on=ON).reason.endswith("本月未报送")
    with translation.override("en"):
        assert status_of(task, on=ON).reason.endswith("This month's report not submitted")


def test_reading_current_statuses_costs_the_same_queries_for_2_or_40_tasks(lead_department):
    tasks = [factories.assigned_task(lead=lead_department) for _ in range(40)]
    statuses_for(tasks, on=ON)

    def queries(some):
        with CaptureQueriesContext(connection) as captured:
            statuses_for(some, on=ON)
        return len(captured)

    assert queries(tasks[:2]) == queries(tasks) == 2


def test_the_morning_refresh_stores_today_and_drops_stale_and_past_days(task, leader_user):
    plan = task.plan
    plan.status = plan.Status.ACTIVE
    plan.save()
    status_of(task, on=datetime.date(2021, 5, 31))  # a month-end: kept for the ledger
    status_of(task, on=datetime.date(2021, 6, 2))  # a past day: dropped
    stored_statuses_refresh(today=ON)
    assert set(StoredStatus.objects.values_list("on", flat=True)) == {datetime.date(2021, 5, 31), ON}

    may_milestone(task, leader_user)  # makes both rows stale
    stored_statuses_refresh(today=ON)
    assert set(StoredStatus.objects.values_list("on", flat=True)) == {ON}
    assert StoredStatus.objects.get(on=ON).expected_percent == 100
