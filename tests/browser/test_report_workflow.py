"""Staff report with a PDF, the supervision office returns it, staff resubmits, it is accepted."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tasks.models import Evidence, ProgressReport

from .. import factories
from ..files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def world(transactional_db, settings):
    settings.STAFF_MAY_SUBMIT_REPORTS = True
    office = factories.department("基础教育科", short_name="基教科")
    factories.member(office, username="staff", first_name="李明")
    factories.supervisor(username="supervisor", first_name="孙督查")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    section = factories.SectionFactory(plan=plan, number=2, title="统筹推进教育改革发展深度融合")
    return factories.assigned_task(
        lead=office, section=section, number=6, title="深化大学区管理改革", content="深入推进大学区管理改革。"
    )


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_title(re.compile("登录"))


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"workflow-{name}.png", full_page=True)


def test_report_returned_resubmitted_and_accepted(page, live_server, world):
    log_in(page, live_server, "staff")
    page.get_by_role("link", name="我的任务").click()
    expect(page.get_by_role("status")).to_contain_text("1 项任务待您填报")
    page.get_by_role("link", name="填报", exact=True).click()
    page.get_by_label("进展情况").fill("召开大学区管理改革推进会，起草实施方案。")
    page.get_by_label("存在问题").fill("部分县区尚未建立联席机制。")
    page.get_by_label("完成进度").fill("40")
    page.get_by_label("佐证材料").set_input_files(
        [{"name": "实施方案（征求意见稿）.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    shot(page, "1-form")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存，尚未提交。")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("草稿")
    expect(page.get_by_role("link", name="实施方案（征求意见稿）.pdf")).to_be_visible()

    page.get_by_role("link", name="填报进展").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("报告已提交，等待督查室审核。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "supervisor")
    page.get_by_role("link", name="审核").click()
    expect(page.locator(".review-item").first).to_contain_text("深化大学区管理改革")
    page.get_by_role("button", name="退回").first.click()
    expect(page.get_by_text("退回报告时请填写修改意见。")).to_be_visible()
    page.get_by_label("审核意见").first.fill("请补充推进会的参会范围和量化成效。")
    page.get_by_role("button", name="退回").first.click()
    expect(page.get_by_text("已退回：深化大学区管理改革")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "staff")
    page.get_by_role("link", name=re.compile("消息")).click()
    page.get_by_role("button", name=re.compile("被退回")).click()
    expect(page.get_by_role("alert")).to_contain_text("请补充推进会的参会范围和量化成效。")
    page.get_by_label("进展情况").fill("召开大学区管理改革推进会，6个县（市）区参会，起草实施方案并征求意见。")
    shot(page, "2-returned")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("报告已提交，等待督查室审核。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "supervisor")
    page.get_by_role("link", name="审核").click()
    page.get_by_role("button", name="通过", exact=True).first.click()
    expect(page.get_by_text("已通过：深化大学区管理改革")).to_be_visible()
    expect(page.get_by_text("暂无待审核报告。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/plans/2021/tasks/6/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("已通过")
    expect(timeline).to_contain_text("6个县（市）区参会")
    expect(page.locator(".progress__label")).to_have_text("40%")
    shot(page, "3-task")
    page.get_by_role("link", name="历史记录").click()
    history = page.locator(".history")
    expect(history).to_contain_text("已退回")
    expect(history).to_contain_text("已通过")
    expect(history).to_contain_text("孙督查")
    shot(page, "4-history")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/my/")
    shot(page, "5-my-tasks-phone")

    report = ProgressReport.objects.get()
    assert report.state == ProgressReport.State.ACCEPTED
    assert Evidence.objects.get().report == report
