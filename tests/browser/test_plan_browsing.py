"""A newcomer logs in, browses the 2021 plan and opens task 10, in the system Chromium."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(transactional_db):
    call_command("loaddata", "plan_siping_2021", verbosity=0)
    return UserFactory(username="newcomer", first_name="新同事")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_title(re.compile("登录"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_log_in_browse_the_plan_and_open_task_10(page, live_server, member, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("newcomer")
    page.get_by_label("密码").fill("wrong password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()

    log_in(page, live_server, "newcomer")
    expect(page.get_by_role("heading", level=1)).to_have_text("四平市2021年教育工作要点")
    expect(page.locator("section.plan-section")).to_have_count(7)
    expect(page.locator("tr.task-row")).to_have_count(35)
    expect(page.get_by_role("heading", name="七、进一步夯实教育高质量发展基础")).to_be_visible()
    page.screenshot(path=tmp_path / "plan.png", full_page=True)

    page.get_by_role("link", name="完善教育督导体制机制").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("完善教育督导体制机制")
    expect(page.locator(".task__content")).to_contain_text("召开第二届督学换届暨新任督学培训工作会议")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=tmp_path / "task-phone.png")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_title(re.compile("登录"))
