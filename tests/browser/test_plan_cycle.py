"""A year's plan in the browser: a draft filled in the set-up grid, published (交办), acknowledged
(签收) by its lead unit, adjusted with a reason (调整), archived and carried over (结转)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tasks.models import Plan, Task, TaskAdjustment

from .. import factories
from .test_report_workflow import log_in, log_out, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    office = factories.department("基础教育科", short_name="基教科")
    other = factories.department("德育科")
    factories.member(office, username="staff", first_name="李明")
    factories.member(other, username="other", first_name="赵敏")
    factories.supervisor(username="supervisor", first_name="孙督查")
    factories.leader(username="leader", first_name="王建国")
    plan = factories.PlanFactory(year=2031, title="四平市2031年教育工作要点", status=Plan.Status.DRAFT)
    section = factories.SectionFactory(plan=plan, number=1, title="全面加强党的建设")
    for number, title in ((1, "深化大学区管理改革"), (2, "推进集团化办学")):
        factories.TaskFactory(plan=plan, section=section, number=number, title=title, deadline=None, deadline_text="")
    return plan


def test_a_draft_is_set_up_published_acknowledged_adjusted_and_carried_over(page, live_server, world):
    log_in(page, live_server, "supervisor")
    page.get_by_role("link", name="要点管理").click()
    page.get_by_role("link", name="设置", exact=True).click()
    expect(page.get_by_role("heading", name="交办前需补充")).to_be_visible()

    # Both rows: one lead unit, one leader, one deadline, by bulk actions.
    page.get_by_label("选择第1项").check()
    page.get_by_label("选择第2项").check()
    page.get_by_label("批量操作").select_option(label="设置牵头单位")
    page.get_by_label("牵头单位", exact=True).select_option(label="基础教育科")
    page.get_by_role("button", name="应用到所选任务").click()
    expect(page.get_by_text("已修改2项任务。")).to_be_visible()
    page.get_by_label("选择第1项").check()
    page.get_by_label("选择第2项").check()
    page.get_by_label("批量操作").select_option(label="设置完成时限")
    page.get_by_label("完成时限（原文）").fill("持续推进")
    page.get_by_role("button", name="应用到所选任务").click()
    expect(page.get_by_text("交办前需补充")).to_have_count(0)
    shot(page, "plan-setup")

    page.get_by_role("link", name="交办").first.click()
    page.get_by_role("button", name="交办并通知各单位").click()
    expect(page.get_by_text("已交办", exact=False).first).to_be_visible()
    log_out(page)

    log_in(page, live_server, "staff")
    page.get_by_role("link", name="我的任务").click()
    expect(page.get_by_text("有 2 项交办给贵单位的任务待签收。")).to_be_visible()
    page.get_by_role("button", name="全部签收").click()
    expect(page.get_by_text("已签收2项任务。")).to_be_visible()
    assert not Task.objects.filter(acknowledged_at=None).exists()
    log_out(page)

    log_in(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/plans/2031/tasks/1/assignment/")
    page.get_by_label("牵头单位", exact=True).select_option(label="德育科")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请填写调整理由，相关单位会收到通知。").first).to_be_visible()
    page.get_by_label("调整理由").fill("科室职能调整")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("第1项已保存。")).to_be_visible()
    assert TaskAdjustment.objects.get().reason == "科室职能调整"
    page.goto(f"{live_server.url}/plans/2031/tasks/1/")
    expect(page.get_by_role("heading", name="调整记录")).to_be_visible()
    expect(page.get_by_text("未签收").first).to_be_visible()

    page.get_by_role("link", name="要点管理").click()
    page.get_by_role("button", name="归档").click()
    page.get_by_role("link", name="结转").click()
    page.get_by_role("button", name="结转所选任务").click()
    expect(page.get_by_text("已将2项任务结转至2032年工作要点草稿。")).to_be_visible()
    shot(page, "plan-carried-over")
    assert Task.objects.filter(plan__year=2032, carried_from__plan__year=2031).count() == 2


@pytest.fixture
def running(transactional_db, settings):
    """A published plan of this year: one task with a milestone at the year end, not yet reported."""
    settings.STAFF_MAY_SUBMIT_REPORTS = True
    today = timezone.localdate()
    office = factories.department("基础教育科", short_name="基教科")
    factories.member(office, username="staff", first_name="李明")
    factories.supervisor(username="supervisor", first_name="孙督查")
    factories.leader(username="leader", first_name="王建国")
    plan = factories.PlanFactory(year=today.year, title=f"四平市{today.year}年教育工作要点", published_at=timezone.now())
    section = factories.SectionFactory(plan=plan, number=1, title="全面加强党的建设")
    task = factories.assigned_task(lead=office, section=section, number=1, title="深化大学区管理改革",
                                   deadline=datetime.date(today.year, 12, 31), deadline_text="全年")
    factories.MilestoneFactory(task=task, title="出台实施方案", due_date=datetime.date(today.year, 12, 31))
    return task


def lights(page, live_server, path, scope=""):
    page.goto(f"{live_server.url}{path}")
    row = page.locator(scope) if scope else page
    light = row.locator(".light").first  # text_content: the dashboard's list is inside a closed <details>
    return light.text_content().strip(), light.get_attribute("title")


def test_a_report_accepted_moves_the_status_the_same_on_every_page(page, live_server, running):
    year = running.plan.year
    task_page = f"/plans/{year}/tasks/1/"
    log_in(page, live_server, "staff")
    before = lights(page, live_server, task_page, ".task__state")
    page.get_by_role("button", name="签收").click()
    page.get_by_role("link", name="填报进展").click()
    page.get_by_label("进展情况").fill("出台大学区管理改革实施方案，召开推进会。")
    page.get_by_label("完成进度").fill("95")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("报告已提交，等待督查室审核。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "supervisor")
    page.get_by_role("link", name="审核").click()
    page.get_by_role("button", name="通过", exact=True).first.click()
    expect(page.get_by_text("已通过：深化大学区管理改革")).to_be_visible()

    on_task = lights(page, live_server, task_page, ".task__state")
    expect(page.locator(".progress__label")).to_have_text("95%")
    on_section = lights(page, live_server, "/dashboard/sections/1/", ".status-table tbody tr")
    expect(page.locator(".status-table tbody tr").first).to_contain_text("95%")
    on_dashboard = lights(page, live_server, "/dashboard/", ".status-table tbody tr")
    expect(page.locator("#not-reported")).not_to_contain_text("基础教育科")
    log_out(page)
    log_in(page, live_server, "staff")
    on_my_tasks = lights(page, live_server, "/my/", ".task-row")
    assert on_task == on_section == on_dashboard == on_my_tasks, (on_task, on_section, on_dashboard, on_my_tasks)
    assert on_task != before, "the accepted report changed the status or its reason"
