"""The return loop in the browser (staff draft → head submits → the supervision office returns →
the writer is told, fixes the text and replaces the file → resubmitted → accepted), and search."""

import re

import pytest
from playwright.sync_api import expect

from departments.models import Membership
from tasks.models import Evidence, ProgressReport

from .. import factories
from ..files import pdf_bytes
from .test_report_workflow import log_in, log_out, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    office = factories.department("基础教育科", short_name="基教科")
    factories.member(office, username="staff", first_name="李明")
    factories.member(office, username="head", first_name="周科长", role=Membership.Role.HEAD)
    factories.supervisor(username="supervisor", first_name="孙督查")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    section = factories.SectionFactory(plan=plan, number=2, title="统筹推进教育改革发展深度融合")
    return factories.assigned_task(lead=office, section=section, number=6, title="深化大学区管理改革",
                                   content="深入推进大学区管理改革，组建基础教育集团。")


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def test_a_returned_report_is_fixed_with_a_new_file_and_accepted(page, live_server, world):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/plans/2021/tasks/6/report/?month=2021-05")
    page.get_by_label("进展情况").fill("召开推进会，起草实施方案。")
    page.get_by_label("完成进度").fill("40")
    page.get_by_label("佐证材料").set_input_files([pdf("实施方案（初稿）.pdf")])
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存，尚未提交。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "head")
    page.get_by_role("link", name=re.compile("消息")).click()
    expect(page.locator("main")).to_contain_text("深化大学区管理改革")
    page.goto(f"{live_server.url}/plans/2021/tasks/6/report/?month=2021-05")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("报告已提交，等待督查室审核。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "supervisor")
    item = page.locator(".review-item").first
    expect(item).to_contain_text("实施方案（初稿）.pdf")
    item.get_by_label("审核意见").fill("请上传印发后的正式方案。")
    item.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回：深化大学区管理改革")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "staff")
    page.get_by_role("link", name=re.compile("消息")).click()
    page.get_by_role("button", name=re.compile("被退回")).click()
    expect(page.get_by_role("alert")).to_contain_text("请上传印发后的正式方案。")
    page.get_by_label("进展情况").fill("实施方案已印发。")
    page.get_by_label("移除").check()
    page.get_by_label("佐证材料").set_input_files([pdf("实施方案（印发稿）.pdf")])
    shot(page, "return-loop-replace")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存，尚未提交。")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "head")
    page.goto(f"{live_server.url}/plans/2021/tasks/6/report/?month=2021-05")
    page.get_by_role("button", name="提交审核").click()
    log_out(page)
    log_in(page, live_server, "supervisor")
    page.get_by_role("button", name="通过", exact=True).first.click()
    expect(page.get_by_text("已通过：深化大学区管理改革")).to_be_visible()

    page.goto(f"{live_server.url}/plans/2021/tasks/6/")
    reports = page.locator("#reports")
    expect(reports).to_contain_text("实施方案（印发稿）.pdf")
    expect(reports).not_to_contain_text("实施方案（初稿）.pdf")
    page.get_by_role("link", name="历史记录").click()
    expect(page.locator(".history")).to_contain_text("实施方案（初稿）.pdf")
    report = ProgressReport.objects.get()
    assert (report.state, report.author.username, report.submitted_by.username) == ("accepted", "staff", "head")
    assert Evidence.all_objects.filter(removed_at__isnull=False).count() == 1


def test_the_header_search_finds_a_task_by_a_chinese_phrase(page, live_server, world):
    log_in(page, live_server, "staff")
    box = page.get_by_role("searchbox", name="搜索").first
    box.fill("基础教育集团")
    box.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1 条结果")
    expect(page.locator("mark").first).to_have_text("基础教育集团")
    page.get_by_role("link", name=re.compile("深化大学区管理改革")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("深化大学区管理改革")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/search/?q=大学区")
    shot(page, "search-phone")
