"""A leader reads the dashboard, opens a red task and writes an instruction; the office replies."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tasks import services

from .. import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def log_in(page, live_server, username, next_url="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_leader_instructs_on_a_red_task_and_the_office_replies(page, live_server, transactional_db):
    office = factories.department("督导室")
    factories.member(office, username="staff", first_name="周敏")
    factories.leader(username="leader", first_name="王建国")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    section = factories.SectionFactory(plan=plan, number=2, title="统筹推进教育改革发展深度融合")
    late = factories.assigned_task(lead=office, section=section, number=10, title="完善教育督导体制机制")
    services.milestone_create(task=late, title="召开督学培训工作会议", due_date=datetime.date(2021, 5, 31), actor=None)
    fine = factories.assigned_task(lead=office, section=section, number=11, title="按期推进的任务")
    services.task_complete(task=fine, completed_on=datetime.date(2021, 3, 1), actor=None)

    log_in(page, live_server, "leader")
    page.get_by_role("link", name="领导看板").click()
    red_cell = page.locator("a.cell--late")
    expect(red_cell).to_have_count(1)
    expect(red_cell).to_have_attribute(
        "title", re.compile("^10. 完善教育督导体制机制 — 滞后：节点‘召开督学培训工作会议’逾期 214 天；")
    )
    expect(page.locator("a.cell--done")).to_have_count(1)
    expect(page.locator("#red-title")).to_contain_text("滞后（1）")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "dashboard-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "dashboard-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    red_cell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("完善教育督导体制机制")
    page.get_by_role("textbox", name="批示", exact=True).fill("请督导室本周内拿出整改方案，月底前召开培训会议。")
    page.get_by_role("button", name="发送批示").click()
    expect(page.get_by_text("批示已送达督导室。")).to_be_visible()
    expect(page.locator(".instruction")).to_contain_text("待回复")
    page.get_by_role("link", name="领导看板").click()
    expect(page.get_by_role("heading", name="待回复的领导批示")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, live_server, "staff")
    page.get_by_role("link", name="消息").click()
    page.get_by_role("button", name="王建国对“完善教育督导体制机制”作出批示：请督导室本周内拿出整改方案，月底前召开培训会议。").click()
    page.get_by_label("回复").fill("已制定整改方案，定于6月25日召开督学培训工作会议。")
    page.get_by_role("button", name="发送回复").click()
    expect(page.get_by_text("回复已发送。")).to_be_visible()
    instruction = page.locator(".instruction")
    expect(instruction).to_contain_text("已制定整改方案")
    expect(instruction).not_to_contain_text("待回复")
    page.screenshot(path=SHOTS / "instruction-replied.png", full_page=True)
