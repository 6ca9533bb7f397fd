"""The meeting-room display (大屏) at 1920×1080: fits the screen, is large, and turns its pages."""

import datetime

import pytest
from playwright.sync_api import expect

from tasks import services

from .. import factories
from .test_leader_dashboard import SHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_display_fits_1920_by_1080_and_pages_through_the_sections(page, live_server, transactional_db):
    office = factories.department("督导室")
    factories.leader(username="leader", first_name="王建国")
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点")
    sections = [factories.SectionFactory(plan=plan, number=n, title=f"第{n}板块重点工作") for n in range(1, 9)]
    for number, section in enumerate(sections, start=1):
        task = factories.assigned_task(lead=office, section=section, number=number, title=f"重点任务{number}")
        if number % 3 == 0:  # done: off the late list, which the year's end fills with the rest
            services.task_complete(task=task, completed_on=datetime.date(2021, 6, 30), actor=None)

    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/dashboard/display/?year=2021")

    expect(page.locator("body")).to_have_attribute("data-refresh", "300")  # reloads itself every 5 minutes
    pages = page.locator("[data-page]")
    expect(pages).to_have_count(3)  # the overview, then 8 sections six to a page
    expect(pages.nth(0)).to_be_visible()
    expect(pages.nth(1)).to_be_hidden()
    expect(page.locator("[data-page-indicator]")).to_have_text("1 / 3")
    expect(page.locator(".display-list li")).to_have_count(6)  # judged on 31 December: all but 3 and 6 late
    expect(page.locator(".display-kpi--done dd")).to_have_text("2")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "display-1920x1080-overview.png")

    sizes = page.evaluate("""() => ({
        width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
        figure: parseFloat(getComputedStyle(document.querySelector('.display-kpis dd')).fontSize),
        text: parseFloat(getComputedStyle(document.querySelector('.display-list li')).fontSize)})""")
    assert sizes["width"] <= 1920 and sizes["height"] <= 1080, sizes
    assert sizes["figure"] >= 48 and sizes["text"] >= 24, "readable from across a room"

    page.evaluate("window.sipingDisplay.next()")
    expect(pages.nth(1)).to_be_visible()
    expect(pages.nth(0)).to_be_hidden()
    expect(pages.nth(1).locator("tbody tr")).to_have_count(6)
    expect(page.locator("[data-page-indicator]")).to_have_text("2 / 3")
    page.screenshot(path=SHOTS / "display-1920x1080-sections.png")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080

    page.evaluate("window.sipingDisplay.next(); window.sipingDisplay.next()")
    expect(pages.nth(0)).to_be_visible()  # and round again
