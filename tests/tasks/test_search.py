"""The search box: Chinese substrings, every word, only what the user may see, safe excerpts."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tasks import services
from tasks.models import Plan
from tasks.templatetags.plan_formats import highlight

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(task, lead_staff, lead_head, leader_user, unrelated_staff):
    services.task_update(task=task, actor=None, data={"title": "深化大学区管理改革",
                                                      "content": "推进城乡学校共同体建设，组建基础教育集团。"})
    submitted = services.report_save(task=task, department=task.lead_department, month=datetime.date(2021, 5, 1),
                                     author=lead_staff, progress="召开集团化办学推进会。", percent=30)
    services.report_submit(report=submitted, actor=lead_head)
    services.report_save(task=task, department=task.lead_department, month=datetime.date(2021, 6, 1),
                         author=lead_staff, progress="集团化办学草稿，尚未提交。", percent=35)
    services.instruction_write(task=task, actor=leader_user, text="集团化办学要抓紧，年底前见成效。")
    draft_plan = factories.PlanFactory(year=2030, status=Plan.Status.DRAFT)
    factories.TaskFactory(plan=draft_plan, section=factories.SectionFactory(plan=draft_plan), title="集团化办学试点扩面")
    return task


def results(client, user, query):
    client.force_login(user)
    return client.get(reverse("tasks:search"), {"q": query}).context["results"]


def test_a_chinese_substring_finds_tasks_reports_and_instructions(client, found, lead_staff):
    got = results(client, lead_staff, "集团")
    assert [t.title for t in got.tasks] == ["深化大学区管理改革"]
    assert {r.progress for r in got.reports} == {"召开集团化办学推进会。", "集团化办学草稿，尚未提交。"}, "own draft"
    assert [i.text for i in got.instructions] == ["集团化办学要抓紧，年底前见成效。"]
    assert results(client, lead_staff, "集团 推进会").report_count == 1, "every word must match"


def test_search_stays_within_what_the_user_may_see(client, found, unrelated_staff, supervisor_user):
    got = results(client, unrelated_staff, "集团化办学")
    assert "集团化办学草稿，尚未提交。" not in {r.progress for r in got.reports}, "another office's draft"
    assert "集团化办学试点扩面" not in {t.title for t in got.tasks}, "a draft plan"
    assert "集团化办学试点扩面" in {t.title for t in results(client, supervisor_user, "集团化办学").tasks}


def test_a_one_character_query_is_refused_politely(client, found, lead_staff):
    client.force_login(lead_staff)
    page = client.get(reverse("tasks:search"), {"q": "改"})
    assert page.status_code == 200 and page.context["too_short"] and page.context["results"].total == 0


def test_excerpts_mark_the_words_and_escape_the_rest():
    marked = highlight("<script>alert(1)</script>集团化办学", ["集团"])
    assert "<script>" not in marked and "&lt;script&gt;" in marked and "<mark>集团</mark>" in marked


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only; SQLite scans")
def test_the_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"tasks_task_title_trgm", "tasks_progressreport_progress_trgm", "tasks_instruction_text_trgm"} <= names


def test_counts_stop_at_the_limit_and_say_so(client, found, lead_staff, monkeypatch):
    import tasks.search

    monkeypatch.setattr(tasks.search, "COUNTED", 1)
    got = results(client, lead_staff, "集团")
    assert (got.report_count, got.capped) == (1, True) and len(got.reports) == 2, "the shown ones are not capped"
