"""Dashboard figures on a hand-built scenario, access by role, and flat query counts."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, Membership
from reports.selectors import build_dashboard
from tasks import services
from tasks.models import Milestone, ProgressReport, Task
from tasks.status import Light, data_changed

from .. import factories

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 6, 28)  # after the reporting day (25th)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(2021, 6, day, hour))


@pytest.fixture
def scenario(supervisor_user):
    office_a = factories.department("甲科室", order=1)
    office_b = factories.department("乙科室", order=2)
    author = factories.member(office_a)
    author_b = factories.member(office_b)
    plan = factories.PlanFactory(year=2021)
    one = factories.SectionFactory(plan=plan, number=1, title="党建")
    two = factories.SectionFactory(plan=plan, number=2, title="改革")
    done = factories.assigned_task(lead=office_a, section=one, number=1, title="已完成任务")
    services.task_complete(task=done, completed_on=datetime.date(2021, 5, 1), actor=supervisor_user)
    late = factories.assigned_task(lead=office_a, section=one, number=2, title="超期任务",
                                   deadline=datetime.date(2021, 3, 31))
    green = factories.assigned_task(lead=office_b, section=two, number=3, title="正常任务")
    yellow = factories.assigned_task(lead=office_b, section=two, number=4, title="预警任务")
    for task, percent, submitted in ((green, 50, at(20)), (yellow, 30, at(27))):
        report = services.report_save(task=task, department=office_b, month=datetime.date(2021, 6, 1),
                                      author=author_b, progress="六月", percent=percent)
        services.report_submit(report=report, actor=author_b)
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
    return {"plan": plan, "a": office_a, "b": office_b, "tasks": (done, late, green, yellow), "author": author}


def test_figures_equal_the_hand_computed_ones(scenario):
    dashboard = build_dashboard(plan=scenario["plan"], on=ON)
    overall = dashboard.overall
    assert (overall.total, overall.done, overall.green, overall.yellow, overall.red) == (4, 1, 1, 1, 1)
    assert overall.completion_rate == 25
    assert (dashboard.due, dashboard.submitted, dashboard.on_time, dashboard.on_time_rate) == (3, 2, 1, 33)
    assert dashboard.reporting_day_passed

    sections = {row.section.number: row.tally for row in dashboard.sections}
    assert (sections[1].done, sections[1].red, sections[1].total) == (1, 1, 2)
    assert (sections[2].green, sections[2].yellow) == (1, 1)
    assert sections[2].average_progress == 40  # (50 + 30) / 2
    assert sections[1].average_progress == 50  # done counts 100, the late task 0

    rows = {row.department.name: row for row in dashboard.departments}
    a, b = rows["甲科室"], rows["乙科室"]
    assert (a.tally.total, a.tally.done, a.tally.red, a.due, a.submitted, a.on_time) == (2, 1, 1, 1, 0, 0)
    assert (b.tally.total, b.tally.yellow, b.due, b.submitted, b.on_time) == (2, 1, 2, 2, 1)
    assert [row.department.name for row in dashboard.not_reported] == ["甲科室"]
    assert [line.task.title for line in a.missing] == ["超期任务"]

    assert [line.task.title for line in dashboard.red] == ["超期任务"]
    assert "已超过完成时限 89 天" in dashboard.red.items[0].status.reason
    assert "进度 30%，序时 49%" in dashboard.yellow.items[0].status.reason
    assert [(p.month.month, p.done) for p in dashboard.trend] == [(1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (6, 1)]
    assert dashboard.trend[-1].average_progress == 45  # (100 + 0 + 50 + 30) / 4


def test_as_of_may_shows_how_things_stood_then(scenario):
    dashboard = build_dashboard(plan=scenario["plan"], on=datetime.date(2021, 5, 31))
    lights = {line.task.title: line.status.light for row in dashboard.sections for line in row.lines}
    assert lights["已完成任务"] == Light.DONE
    assert lights["正常任务"] != Light.NORMAL, "June's report did not exist at the end of May"


def test_a_head_sees_only_their_office(client, scenario):
    head = factories.member(scenario["a"], role=Membership.Role.HEAD)
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"), {"year": 2021, "month": 6})
    assert response.status_code == 200
    page = response.content.decode()
    assert "已完成任务" in page and "超期任务" in page
    assert "正常任务" not in page and "4. 预警任务" not in page
    other = client.get(reverse("reports:department", args=[scenario["b"].pk]))
    assert other.status_code == 404


@pytest.mark.parametrize("role, status", [("staff", 403), ("leader", 200), ("supervisor", 200), ("anonymous", 302)])
def test_who_may_open_the_dashboard(client, scenario, role, status):
    users = {"staff": scenario["author"], "leader": factories.leader(), "supervisor": factories.supervisor()}
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(reverse("reports:dashboard")).status_code == status


def test_drill_down_pages(client, scenario, leader_user):
    client.force_login(leader_user)
    section = client.get(reverse("reports:section", args=[2]), {"year": 2021, "month": 6})
    assert section.status_code == 200 and "预警任务" in section.content.decode()
    assert "超期任务" not in section.content.decode()
    department = client.get(reverse("reports:department", args=[scenario["a"].pk]), {"year": 2021, "month": 6})
    assert department.status_code == 200 and "超期任务" in department.content.decode()
    assert client.get(reverse("reports:section", args=[9])).status_code == 404


def test_the_page_shows_the_matrix_lists_and_monitor(client, scenario, leader_user):
    client.force_login(leader_user)
    page = client.get(reverse("reports:dashboard"), {"year": 2021, "month": 6}).content.decode()
    assert page.count('class="cell cell--') == 4
    # As of month 6 of a past year means the end of June.
    assert 'class="cell cell--late"' in page and "已超过完成时限 91 天" in page
    assert "2021年6月尚未报送" in page and "甲科室" in page


def bulk_plan(size):
    """A plan of `size` tasks with milestones and reports, inserted in bulk."""
    office = factories.department(f"科室{size}")
    author = factories.UserFactory()
    plan = factories.PlanFactory()
    sections = [factories.SectionFactory(plan=plan, number=n) for n in range(1, 8)]
    Task.objects.bulk_create(
        Task(plan=plan, section=sections[n % 7], number=n + 1, title=f"任务{n}", lead_department=office,
             deadline=datetime.date(plan.year, 12 if n % 3 else 3, 28))
        for n in range(size)
    )
    tasks = list(Task.objects.filter(plan=plan))
    Milestone.objects.bulk_create(
        Milestone(task=task, title="节点", due_date=datetime.date(plan.year, 5, 1)) for task in tasks
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(task=task, month=datetime.date(plan.year, 5, 1), department=office, author=author,
                       progress="进展", percent=task.number % 100, state="accepted",
                       submitted_at=timezone.now())
        for task in tasks[::2]
    )
    return plan


def test_dashboard_queries_do_not_grow_with_tasks(client, leader_user):
    counts = {}
    client.force_login(leader_user)
    for size in (400, 5000):  # both past the per-task matrix, which 300 tasks or fewer load
        plan = bulk_plan(size)
        # The first request stores each task's status; then a change elsewhere sends the page
        # to be built again from the stored statuses, as after a write.
        client.get(reverse("reports:dashboard"), {"year": plan.year, "month": 6})
        data_changed()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:dashboard"), {"year": plan.year, "month": 6})
        assert f"<dd>{size}</dd>" in response.content.decode(), "the headline task count"
        counts[size] = len(queries)
    print("dashboard queries", counts)
    assert counts[400] == counts[5000] <= 24, counts


def test_the_dashboard_is_served_from_the_cache_until_the_data_changes(client, scenario, leader_user):
    client.force_login(leader_user)
    url = reverse("reports:dashboard")
    def main(response):  # the layout around it carries a fresh CSRF token each time
        page = response.content.decode()
        return page[page.index("<main"):page.index("</main>")]

    first = main(client.get(url, {"year": 2021, "month": 6}))
    with CaptureQueriesContext(connection) as queries:
        again = main(client.get(url, {"year": 2021, "month": 6}))
    assert again == first
    assert len(queries) <= 5, "a cached dashboard does not rebuild its figures"
    assert re.search(r'kpi--red"><dt>[^<]+</dt><dd>1</dd>', first)

    late = scenario["tasks"][1]
    services.task_complete(task=late, completed_on=datetime.date(2021, 6, 10), actor=leader_user)
    after = main(client.get(url, {"year": 2021, "month": 6}))
    assert after != first, "completing a task replaces the cached page"
    assert re.search(r'kpi--done"><dt>[^<]+</dt><dd>2</dd>', after) and re.search(r'kpi--red"><dt>[^<]+</dt><dd>0</dd>', after)


def test_province_sized_plans_show_sections_not_every_task(client, leader_user):
    plan = bulk_plan(400)
    client.force_login(leader_user)
    page = client.get(reverse("reports:dashboard"), {"year": plan.year}).content.decode()
    assert 'class="matrix__cells"' not in page and 'href="#sections-title"' in page
    assert len(page) < 200_000


def test_junk_parameters_share_the_cached_page_and_stay_out_of_its_links(client, scenario, leader_user):
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    def dashboard_keys():
        backend = caches["default"]
        if isinstance(backend, LocMemCache):
            return {key for key in backend._cache if "dashboard:" in key}
        return set(backend._cache.get_client().keys("*dashboard:*"))  # Redis

    client.force_login(leader_user)
    url = reverse("reports:dashboard")
    client.get(url, {"year": 2021, "month": 6})
    keys_before = dashboard_keys()
    page = client.get(url, {"year": 2021, "month": 6, "utm": "x" * 50, "junk": "<b>"}).content.decode()
    page = page[page.index("<main"):page.index("</main>")]  # the layout's language switch keeps the URL
    assert "utm=" not in page and "junk" not in page
    assert "?year=2021&amp;month=6" in page
    assert dashboard_keys() == keys_before, "no new cache entry for the same filters"


def test_the_dashboard_and_the_ledger_group_by_kind_of_unit(client, supervisor_user):
    """局机关科室 or 下属单位: the figures, and the ledger, of one kind only."""
    office = factories.department("基础教育科")
    county = factories.department("梨树县教育局", kind=Department.Kind.COUNTY_BUREAU)
    plan = factories.PlanFactory(year=2021)
    section = factories.SectionFactory(plan=plan, number=1)
    factories.assigned_task(lead=office, section=section, number=1, title="科室的任务")
    factories.assigned_task(lead=county, section=section, number=2, title="县区的任务")
    client.force_login(supervisor_user)
    for kind, shown, hidden in (("office", "科室的任务", "县区的任务"), ("subordinate", "县区的任务", "科室的任务")):
        page = client.get(reverse("reports:dashboard"), {"year": 2021, "month": 6, "kind": kind}).content.decode()
        assert shown in page and hidden not in page, kind
    ledger = client.get(reverse("reports:monthly_ledger"), {"year": 2021, "month": 6, "kind": "subordinate"})
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content))).active.iter_rows() for c in row)
    assert "县区的任务" in text and "科室的任务" not in text


def test_a_province_lists_the_offices_needing_attention_first_and_all_of_them_on_request(client, leader_user):
    """With hundreds of offices the table shows the 30 with the most late tasks first; the
    whole table is one link away, and it is the same page."""
    plan = factories.PlanFactory()
    section = factories.SectionFactory(plan=plan, number=1)
    offices = [factories.department(f"单位{n:02d}") for n in range(35)]
    for n, office in enumerate(offices):
        # Office 34 has the most late tasks (deadlines passed), office 0 none.
        for k in range(n // 5 + 1):
            Task.objects.create(plan=plan, section=section, number=100 * n + k + 1, title=f"任务{n}-{k}",
                                lead_department=office,
                                deadline=datetime.date(plan.year, 1, 31) if k < n // 5 else None)
    client.force_login(leader_user)
    url = reverse("reports:dashboard")

    def offices_listed(page):
        table = page[page.index('id="departments-title"'):]
        table = table[:table.index("</table>")]
        return re.findall(r">(单位\d\d)</a>", table)

    page = client.get(url, {"year": plan.year, "month": 6}).content.decode()
    listed = offices_listed(page)
    assert len(listed) == 30 and listed[:5] == ["单位30", "单位31", "单位32", "单位33", "单位34"]
    assert "单位00" not in listed and "显示全部 35 个单位" in page

    everything = client.get(url, {"year": plan.year, "month": 6, "departments": "all"}).content.decode()
    assert offices_listed(everything) == [f"单位{n:02d}" for n in range(35)]
    assert "显示全部" not in everything
