"""Quarterly summaries: figures, files, idempotence, failures, and a real Celery worker."""

import datetime
import io
import os
import time

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from reports import exporters, services
from reports.models import QuarterlySummary
from tasks import services as task_services

from .. import factories

pytestmark = pytest.mark.django_db
# The tests that store files run on the local disk and on an S3 bucket (tests/conftest.py).
on_both_storages = pytest.mark.usefixtures("file_storage")
AFTER_Q2 = datetime.date(2021, 7, 1)


def at(month, day):
    return timezone.make_aware(datetime.datetime(2021, month, day, 10))


@pytest.fixture
def plan(supervisor_user):
    office = factories.department("基础教育科")
    author = factories.member(office, role="head")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    section = factories.SectionFactory(plan=plan, number=1, title="党建")
    late = factories.assigned_task(lead=office, section=section, number=1, title="超期任务",
                                   deadline=datetime.date(2021, 5, 31))
    steady = factories.assigned_task(lead=office, section=section, number=2, title="正常任务")
    task_services.milestone_create(task=steady, title="出台方案", due_date=datetime.date(2021, 5, 15), actor=author)
    milestone = task_services.milestone_create(task=late, title="召开会议", due_date=datetime.date(2021, 4, 30), actor=author)
    task_services.milestone_mark_done(milestone=milestone, done_on=datetime.date(2021, 4, 20), actor=author)
    # steady: reports in April (on time), May (late, 27th), June (on time); late: none.
    for month, day, percent, problems in ((4, 20, 30, ""), (5, 27, 40, "经费待落实"), (6, 10, 50, "")):
        report = task_services.report_save(
            task=steady, department=office, month=datetime.date(2021, month, 1), author=author,
            progress=f"{month}月完成阶段任务", problems=problems, percent=percent,
        )
        task_services.report_submit(report=report, actor=author)
        task_services.report_accept(report=report, actor=supervisor_user)
        from tasks.models import ProgressReport

        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at(month, day))
    return plan


def test_figures_equal_the_hand_computed_ones(plan):
    from reports.selectors import quarterly_figures

    figures = quarterly_figures(plan=plan, quarter=2, today=AFTER_Q2)
    overall = figures["overall"]
    assert figures["as_of"] == "2021-06-30"
    # Both are late on 30 June: one past its deadline, the other with 出台方案 never done.
    assert (overall["tasks"], overall["late"], overall["done"]) == (2, 2, 0)
    # Milestones due in Q2: 召开会议 (done on time) and 出台方案 (never done).
    assert (overall["milestones_due"], overall["milestones_on_time"]) == (2, 1)
    # Six task-months due; steady reported on time in April and June only.
    assert (overall["reports_due"], overall["reports_on_time"], overall["on_time_rate"]) == (6, 2, 33)
    assert [t["title"] for t in figures["late_tasks"]] == ["正常任务", "超期任务"]  # oldest trouble first
    steady = figures["sections"][0]["tasks_detail"][1]
    assert [p["month"] for p in steady["progress"]] == [4, 5, 6]
    assert steady["open_problems"] == "经费待落实"


def test_leaders_are_told_when_the_summary_is_ready(plan, leader_user):
    from tasks.models import Notification

    services.summary_generate(plan=plan, quarter=2, today=AFTER_Q2)
    message = Notification.objects.get(recipient=leader_user).message
    assert message == "四平市2021年教育工作要点第2季度落实情况总结已生成。"


@on_both_storages
def test_generate_twice_keeps_one_record_and_replaces_the_files(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.summary_generate(plan=plan, quarter=2, today=AFTER_Q2)
    storage = first.xlsx.storage
    old_files = [first.xlsx.name, first.docx.name]
    with django_capture_on_commit_callbacks(execute=True):
        second = services.summary_generate(plan=plan, quarter=2, today=AFTER_Q2)
    assert QuarterlySummary.objects.count() == 1
    assert second.state == QuarterlySummary.State.DONE and second.attempts == 2
    assert not any(storage.exists(name) for name in old_files)
    workbook = openpyxl.load_workbook(second.xlsx.open("rb"))
    assert workbook.sheetnames == ["总体", "分板块", "分单位", "滞后任务", "任务进展"]
    assert workbook["滞后任务"]["B3"].value == "超期任务"
    document = docx.Document(second.docx.open("rb"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "四平市2021年教育工作要点第2季度落实情况总结" in text
    assert "4月完成阶段任务" in text and "存在问题：经费待落实" in text
    assert document.tables[0].rows[2].cells[1].text == "超期任务"


@on_both_storages
def test_a_failure_is_recorded_and_the_previous_files_survive(plan, monkeypatch):
    good = services.summary_generate(plan=plan, quarter=2, today=AFTER_Q2)

    def broken(target, figures):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(exporters, "write_quarterly_docx", broken)
    with pytest.raises(RuntimeError):
        services.summary_generate(plan=plan, quarter=2, today=AFTER_Q2)
    summary = QuarterlySummary.objects.get()
    assert summary.state == QuarterlySummary.State.FAILED and "磁盘已满" in summary.error
    assert summary.xlsx.name == good.xlsx.name and summary.xlsx.storage.exists(summary.xlsx.name)


def test_previous_quarter():
    assert services.previous_quarter(datetime.date(2021, 7, 1)) == (2021, 2)
    assert services.previous_quarter(datetime.date(2022, 1, 1)) == (2021, 4)


@on_both_storages
def test_generate_now_is_for_the_supervision_office(client, plan, supervisor_user, leader_user,
                                                    django_capture_on_commit_callbacks, settings):
    url = reverse("reports:summary_generate", args=[2021, 2])
    client.force_login(leader_user)
    assert client.post(url).status_code == 403
    page = client.get(reverse("reports:summaries"), {"year": 2021}).content.decode()
    assert "立即生成" not in page
    client.force_login(supervisor_user)
    with django_capture_on_commit_callbacks(execute=not settings.REDIS_URL):
        assert client.post(url).status_code == 302
    summary = QuarterlySummary.objects.get()
    if not settings.REDIS_URL:  # in-process Celery ran the job on commit
        assert summary.state == QuarterlySummary.State.DONE
        page = client.get(reverse("reports:summaries"), {"year": 2021}).content.decode()
        assert "已完成" in page and reverse("reports:summary_file", args=[summary.pk, "docx"]) in page
        download = client.get(reverse("reports:summary_file", args=[summary.pk, "xlsx"]))
        assert openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["总体"]["A2"].value
    else:
        assert summary.state == QuarterlySummary.State.QUEUED


def test_command_runs_it_synchronously(plan):
    from django.core.management import call_command

    call_command("generate_quarterly_summary", "--plan-year", "2021", "--quarter", "2", stdout=io.StringIO())
    assert QuarterlySummary.objects.get().state == QuarterlySummary.State.DONE


def test_beat_schedules_exist_and_are_editable():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # Run the data migration's own code on an empty table (a transactional test elsewhere may
    # have flushed the rows it made when the test database was built), twice: nothing doubles.
    migration = importlib.import_module("reports.migrations.0002_beat_schedules")
    PeriodicTask.objects.all().delete()
    migration.create_schedules(apps, None)
    migration.create_schedules(apps, None)
    assert PeriodicTask.objects.count() == len(migration.SCHEDULES)
    tasks = {task.task: task for task in PeriodicTask.objects.all()}
    quarterly = tasks["reports.jobs.generate_due_quarterly_summaries"].crontab
    assert (quarterly.minute, quarterly.hour, quarterly.day_of_month, quarterly.month_of_year) == ("0", "2", "1", "1,4,7,10")
    assert str(quarterly.timezone) == "Asia/Shanghai"
    daily = tasks["reports.jobs.send_daily_reminders"].crontab
    assert (daily.minute, daily.hour) == ("30", "8")


@on_both_storages
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis broker; CI sets REDIS_URL")
def test_a_real_worker_builds_the_summary_through_redis(plan, supervisor_user):
    from celery.contrib.testing.worker import start_worker

    from siping_edu.celery import app

    from reports.jobs import generate_quarterly_summary

    # Jobs store no result (CELERY_TASK_IGNORE_RESULT): the summary's own state says when it is done.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        generate_quarterly_summary.delay(plan.pk, 2)
        deadline = time.monotonic() + 120
        while not QuarterlySummary.objects.filter(state__in=["done", "failed"]).exists():
            assert time.monotonic() < deadline, "the worker did not build the summary"
            time.sleep(0.1)
    summary = QuarterlySummary.objects.get()
    assert summary.state == QuarterlySummary.State.DONE, summary.error
    assert summary.docx.storage.exists(summary.docx.name)


def test_files_a_killed_run_left_behind_are_swept_once_older_than_the_time_limit(plan, settings):
    storage = QuarterlySummary._meta.get_field("xlsx").storage
    old = storage.save("summaries/2021-Q2-20210701020000000000.xlsx", io.BytesIO(b"half written"))
    recent = storage.save("summaries/2021-Q2-20210701020500000000.docx", io.BytesIO(b"a run in progress"))
    other_quarter = storage.save("summaries/2021-Q1-20210401020000000000.xlsx", io.BytesIO(b"not ours"))
    long_ago = (timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)).timestamp()
    for name in (old, other_quarter):
        os.utime(storage.path(name), (long_ago, long_ago))
    summary = services.summary_generate(plan=plan, quarter=2, today=datetime.date(2021, 7, 2))
    assert not storage.exists(old), "abandoned by a run that cannot still be alive"
    assert storage.exists(recent), "possibly another worker's run in progress"
    assert storage.exists(other_quarter) and storage.exists(summary.xlsx.name) and storage.exists(summary.docx.name)
