import pytest
from django.urls import reverse

from tasks.models import Plan

from ..factories import PlanFactory, TaskFactory, UserFactory, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_task(task):
    return task


def page_urls(task):
    return [
        reverse("tasks:current_plan"),
        reverse("tasks:plan_detail", kwargs={"year": task.plan.year}),
        reverse("tasks:task_detail", kwargs={"year": task.plan.year, "number": task.number}),
    ]


def test_anonymous_visitors_are_sent_to_login(client, task):
    for url in page_urls(task):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_pages_answer_for_a_member_in_chinese(client, task, unrelated_staff):
    client.force_login(unrelated_staff)
    home = client.get(reverse("tasks:current_plan"))
    assert home.status_code == 302 and home["Location"] == page_urls(task)[1]
    plan_page = client.get(page_urls(task)[1])
    assert plan_page.status_code == 200
    assert task.title in plan_page.content.decode()
    assert "牵头单位" in plan_page.content.decode()
    task_page = client.get(page_urls(task)[2])
    assert task_page.status_code == 200
    body = task_page.content.decode()
    assert task.content in body and "基础教育科" in body and "督导室" in body


def test_draft_plans_are_hidden_from_members_but_not_from_the_supervision_office(client, unrelated_staff):
    draft_task = TaskFactory(section__plan=PlanFactory(status=Plan.Status.DRAFT))
    urls = page_urls(draft_task)[1:]
    client.force_login(unrelated_staff)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(supervisor())
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_missing_task_is_404(client, task):
    client.force_login(UserFactory())
    response = client.get(reverse("tasks:task_detail", kwargs={"year": task.plan.year, "number": 999}))
    assert response.status_code == 404


def test_home_without_a_plan_explains_itself(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200 and "暂无工作要点" in response.content.decode()


def test_each_role_lands_where_its_work_is(client, task, lead_staff, lead_head, supervisor_user, leader_user):
    """After logging in: leaders on the dashboard, the supervision office on the review queue,
    office staff and heads on their tasks."""

    admin = UserFactory(is_superuser=True, is_staff=True)
    expected = {
        leader_user: reverse("reports:dashboard"), supervisor_user: reverse("tasks:review_queue"),
        lead_staff: reverse("tasks:my_tasks"), lead_head: reverse("tasks:my_tasks"),
        admin: reverse("tasks:review_queue"),
    }
    for user, landing in expected.items():
        client.force_login(user)
        assert client.get(reverse("home"))["Location"] == landing, user
    login = client.post(reverse("login"), {"username": "leader", "password": "pass-for-tests"}, follow=False)
    assert login["Location"] == reverse("home")


def test_language_switch_shows_english_and_back(client, task):
    client.force_login(UserFactory())
    url = page_urls(task)[1]
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Lead department" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "牵头单位" in client.get(url).content.decode()


def test_chinese_is_the_default_whatever_the_browser_asks(client, task):
    client.force_login(UserFactory())
    response = client.get(page_urls(task)[1], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "牵头单位" in response.content.decode()


def test_plan_page_query_count_does_not_grow_with_tasks(client, task, django_assert_max_num_queries):
    for _ in range(30):
        TaskFactory(section=task.section)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(12):
        assert client.get(page_urls(task)[1]).status_code == 200


def test_admin_lists_every_model(admin_client):
    for name in ["tasks/plan", "tasks/section", "tasks/task", "tasks/milestone",
                 "tasks/progressreport", "tasks/evidence", "departments/department",
                 "departments/membership", "tasks/instruction", "tasks/taskrequest",
                 "tasks/notification", "reports/quarterlysummary", "reports/reminderlog"]:
        assert admin_client.get(f"/admin/{name}/").status_code == 200, name
    assert admin_client.get("/admin/tasks/task/?q=督导").status_code == 200


def test_refusals_and_missing_pages_answer_in_chinese_in_the_portal_layout(client, task, unrelated_staff):
    client.force_login(unrelated_staff)
    refused = client.get(reverse("tasks:review_queue"))
    assert refused.status_code == 403 and "您无权打开此页面" in refused.content.decode()
    assert 'class="site-nav"' in refused.content.decode()
    missing = client.get("/plans/2021/tasks/999/")
    assert missing.status_code == 404 and "此页面不存在" in missing.content.decode()


def test_the_error_page_needs_nothing_but_itself(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "系统暂时出错" in response.content.decode()


def test_the_favicon_is_served_not_a_404(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg"), "the icon is one of the portal's own static files"


def test_a_refused_instruction_comes_back_with_its_text(client, task, leader_user):
    client.force_login(leader_user)
    url = reverse("tasks:instruction_create", kwargs={"year": task.plan.year, "number": task.number})
    response = client.post(url, {"text": "请于月底前报送整改方案，并说明原因。", "reply_by": "2000-01-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请于月底前报送整改方案，并说明原因。" in page and "2000-01-01" in page
    assert "答复日期不能早于今天" in page or "不能早于" in page
    assert not task.instructions.exists()


def test_a_leader_sees_when_the_lead_office_has_read_an_instruction(
        client, task, leader_user, lead_staff, cooperating_staff):
    from tasks import services as task_services

    instruction = task_services.instruction_write(task=task, text="请加快进度", actor=leader_user)
    task_page = reverse("tasks:task_detail", kwargs={"year": task.plan.year, "number": task.number})
    for not_the_lead_office in (leader_user, cooperating_staff):
        client.force_login(not_the_lead_office)
        assert client.get(task_page).status_code == 200
    instruction.refresh_from_db()
    assert instruction.read_at is None

    client.force_login(lead_staff)
    client.get(task_page)
    client.force_login(leader_user)
    page = client.get(task_page).content.decode()
    instruction.refresh_from_db()
    assert instruction.read_by == lead_staff and instruction.read_at is not None
    assert f"{lead_staff.get_full_name() or lead_staff.username} 已阅" in page


def test_a_refused_milestone_comes_back_as_typed(client, task, lead_staff):
    client.force_login(lead_staff)
    url = reverse("tasks:milestone_create", kwargs={"year": task.plan.year, "number": task.number})
    response = client.post(url, {"title": "召开全市推进会议", "due_date": "2030-01-01", "evidence_required": "on"},
                           HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'value="召开全市推进会议"' in page and 'value="2030-01-01"' in page and "checked" in page
    assert "不能晚于" in page or "deadline" in page
    assert not task.milestones.exists()


def test_messages_are_grouped_paged_and_filtered(client, lead_staff):
    from tasks.models import Notification
    from tasks.services import notifications_mark_read, notify

    for day in range(3):
        notify(recipients=[lead_staff], message="本月进展尚未报送。", url="/my/")
    for number in range(40):
        notify(recipients=[lead_staff], message=f"第{number}号任务的报告已审核通过。", url=f"/t/{number}/")
    notifications_mark_read(user=lead_staff, notification_ids=list(
        Notification.objects.filter(message__contains="审核通过").values_list("pk", flat=True)[:40]))
    client.force_login(lead_staff)
    first = client.get(reverse("tasks:notifications"))
    groups = first.context["groups"]
    assert len(groups) == 30 and first.context["page"].paginator.count == 41, "3 repeated notices are one line"
    older = client.get(reverse("tasks:notifications"), {"page": 2}).context["groups"]
    repeated = older[-1]  # the oldest line: the three repeated notices came first
    assert repeated.latest.message == "本月进展尚未报送。"
    assert repeated.count == 3 and repeated.unread
    unread = client.get(reverse("tasks:notifications"), {"show": "unread"}).context["groups"]
    assert [g.latest.message for g in unread] == ["本月进展尚未报送。"]
    client.post(reverse("tasks:notifications_read"), {"id": repeated.ids, "next": "/my/"})
    assert not Notification.objects.filter(recipient=lead_staff, read_at=None).exists(), "opening the line reads all three"


def test_a_leader_sees_the_tasks_they_oversee_worst_first(client, lead_department, leader_user, unrelated_staff):
    from tasks import services as task_services

    plan = PlanFactory(year=2021)
    late = factories_task(plan, 1, "已滞后的任务", lead_department, leader_user, deadline="2021-03-31")
    calm = factories_task(plan, 2, "按期推进的任务", lead_department, leader_user, deadline="2021-12-31")
    factories_task(plan, 3, "别人分管的任务", lead_department, None, deadline="2021-12-31")
    task_services.instruction_write(task=calm, text="请加快进度", actor=leader_user)
    client.force_login(leader_user)
    page = client.get(reverse("tasks:leader_tasks"), {"year": 2021})
    assert [task.title for task, _status, _waiting in page.context["rows"]] == [late.title, calm.title]
    assert [waiting for _task, _status, waiting in page.context["rows"]] == [False, True]
    assert "我分管的" in page.content.decode() and "批示待答复" in page.content.decode()
    client.force_login(unrelated_staff)
    assert client.get(reverse("tasks:leader_tasks"), {"year": 2021}).context["rows"] == []


def factories_task(plan, number, title, lead, leader, *, deadline):
    import datetime

    from .. import factories

    section = plan.sections.first() or factories.SectionFactory(plan=plan, number=1)
    task = factories.assigned_task(lead=lead, plan=plan, section=section, number=number, title=title,
                                   deadline=datetime.date.fromisoformat(deadline))
    task.responsible_leader = leader
    task.save()
    return task


def test_a_stale_report_form_gives_one_consistent_hint_and_names_who_saved(client, task, lead_staff, lead_head):
    import datetime

    from tasks import services as task_services

    report = task_services.report_save(task=task, department=task.lead_department, month=datetime.date(task.plan.year, 5, 1),
                                       author=lead_staff, progress="初稿", percent=20)
    old_version = report.version
    task_services.report_save(task=task, department=task.lead_department, month=datetime.date(task.plan.year, 5, 1),
                              author=lead_head, progress="科长改过", percent=25, expected_version=old_version)
    client.force_login(lead_staff)
    response = client.post(reverse("tasks:report_edit", kwargs={"year": task.plan.year, "number": task.number}),
                           {"month": f"{task.plan.year}-05", "progress": "我的新稿", "percent": 30, "version": old_version, "save": "1"})
    page = response.content.decode()
    assert response.status_code == 400 and "我的新稿" in page and "科长改过" in page
    assert lead_head.get_full_name() in page, "the panel names who saved last, not the writer"
    assert "重新加载" not in page and "刷新页面" not in page, "no hint to reload, which would lose the text"
