import datetime

import pytest
from django.db import IntegrityError, transaction

from tasks.models import ProgressReport, Section, Task

from ..factories import ProgressReportFactory, SectionFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_task_numbers_are_unique_within_a_plan_only():
    task = TaskFactory(number=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(number=7, section=task.section)
    other_plan_task = TaskFactory(number=7)
    assert other_plan_task.plan != task.plan


def test_section_numbers_are_unique_within_a_plan():
    section = SectionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(plan=section.plan, number=1, title="重复")


def test_one_report_per_task_month_and_department(lead_department):
    task = TaskFactory(lead_department=lead_department)
    ProgressReportFactory(task=task, month=datetime.date(2021, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(task=task, month=datetime.date(2021, 5, 1))
    ProgressReportFactory(task=task, month=datetime.date(2021, 6, 1))
    assert ProgressReport.objects.filter(task=task).count() == 2


def test_percent_cannot_exceed_100(lead_department):
    task = TaskFactory(lead_department=lead_department)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(task=task, percent=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(percent_complete=150)


def test_a_completed_task_has_a_completion_date():
    task = TaskFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(state=Task.State.COMPLETED)
    Task.objects.filter(pk=task.pk).update(
        state=Task.State.COMPLETED, completed_on=datetime.date(2021, 6, 1)
    )


def test_overdue_excludes_completed_and_future_tasks():
    late = TaskFactory(deadline=datetime.date(2021, 3, 31))
    TaskFactory(deadline=datetime.date(2021, 12, 31))
    TaskFactory(
        deadline=datetime.date(2021, 3, 31), state=Task.State.COMPLETED,
        completed_on=datetime.date(2021, 3, 30),
    )
    TaskFactory(deadline=None, deadline_text="持续推进")
    assert list(Task.objects.overdue(on=datetime.date(2021, 4, 1))) == [late]


def test_natural_keys_identify_plan_section_and_task():
    task = TaskFactory()
    assert Task.objects.get_by_natural_key(*task.natural_key()) == task
    assert Section.objects.get_by_natural_key(*task.section.natural_key()) == task.section


def test_section_label_is_a_chinese_numeral():
    assert SectionFactory(number=3).label == "三、"
    assert SectionFactory(number=12).label == "十二、"


def test_evidence_is_stored_under_a_random_name():
    from tasks.models import evidence_upload_path

    first = evidence_upload_path(None, "../../通知.PDF")
    second = evidence_upload_path(None, "../../通知.PDF")
    assert first != second
    assert first.startswith("evidence/") and first.endswith(".pdf") and ".." not in first
    assert "通知" not in first
    assert UserFactory()  # the factory used by evidence tests builds a user
