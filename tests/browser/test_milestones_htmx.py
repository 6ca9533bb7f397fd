"""Milestones are added, ticked done and undone in place (htmx), without reloading the page."""

import pytest
from playwright.sync_api import expect

from tasks.models import Milestone

from .. import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_tick_and_undo_a_milestone_without_a_reload(page, live_server, transactional_db, tmp_path):
    office = factories.department("督导室")
    factories.member(office, username="staff")
    plan = factories.PlanFactory(year=2021)
    task = factories.assigned_task(lead=office, section=factories.SectionFactory(plan=plan), number=10,
                                   title="完善教育督导体制机制")
    page.goto(f"{live_server.url}/accounts/login/?next=/plans/2021/tasks/10/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("完善教育督导体制机制")
    page.evaluate("window.__noReload = true")

    panel = page.locator("#milestones")
    add = page.locator(".add-milestone")
    add.get_by_label("节点").fill("召开第二届督学换届暨新任督学培训工作会议")
    add.get_by_label("计划完成").fill("2021-05-31")
    add.get_by_role("button", name="添加").click()
    row = panel.locator("tbody tr").filter(has_text="召开第二届督学换届")
    expect(row).to_contain_text("2021-05-31")
    expect(row).to_contain_text("已逾期")

    row.get_by_role("button", name="标记完成").click()
    expect(row).to_contain_text("撤销")
    assert Milestone.objects.get(task=task).done_on is not None

    add.get_by_label("节点").fill("太晚的节点")
    add.get_by_label("计划完成").evaluate("el => el.removeAttribute('max')")
    add.get_by_label("计划完成").fill("2022-03-01")
    add.get_by_role("button", name="添加").click()
    expect(panel.get_by_role("alert")).to_contain_text("时间节点不能晚于任务完成时限")
    page.screenshot(path=tmp_path / "milestones.png", full_page=True)

    row.get_by_role("button", name="撤销").click()
    expect(row).to_contain_text("标记完成")
    assert Milestone.objects.get(task=task).done_on is None
    assert Milestone.objects.count() == 1
    assert page.evaluate("window.__noReload") is True
