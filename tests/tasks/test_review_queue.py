"""The review queue at province scale: filters, pages, the evidence in each item, errors beside
their item, and the selected reports accepted together."""

import datetime

import pytest
from django.urls import reverse

from departments import roles
from departments.models import Membership
from departments.services import role_grant
from tasks import services
from tasks.evidence import check_uploads
from tasks.models import ProgressReport

from .. import factories
from ..files import png_bytes, upload

pytestmark = pytest.mark.django_db


def submitted(task, department, month, author):
    report = services.report_save(task=task, department=department, month=datetime.date(2021, month, 1),
                                  author=author, progress=f"{department.name}{month}月进展", percent=8 * month)
    return services.report_submit(report=report, actor=author)


@pytest.fixture
def queue(supervisor_user):
    lead, other = factories.department("基础教育科"), factories.department("德育科")
    lead_head = factories.member(lead, role=Membership.Role.HEAD)
    other_head = factories.member(other, role=Membership.Role.HEAD)
    plan = factories.PlanFactory(year=2021)
    first = factories.assigned_task(lead=lead, section=factories.SectionFactory(plan=plan, number=1), number=1)
    second = factories.assigned_task(lead=other, section=factories.SectionFactory(plan=plan, number=2), number=2)
    reports = [submitted(first, lead, month, lead_head) for month in range(1, 13)]
    reports += [submitted(second, other, month, other_head) for month in range(1, 13)]
    return {"lead": lead, "other": other, "reports": reports, "first": first, "lead_head": lead_head}


def test_filters_and_pages(client, supervisor_user, queue):
    client.force_login(supervisor_user)
    url = reverse("tasks:review_queue")
    page = client.get(url)
    assert page.context["total"] == 24 and len(page.context["reports"]) == 20
    assert len(client.get(url, {"page": 2}).context["reports"]) == 4
    by_unit = client.get(url, {"department": queue["other"].pk}).context["reports"]
    assert {r.department for r in by_unit} == {queue["other"]}
    by_section = client.get(url, {"year": 2021, "section": 1, "month": "2021-03"}).context["reports"]
    assert [(r.task.number, r.month.month) for r in by_section] == [(1, 3)]


def test_each_item_shows_its_evidence(client, supervisor_user, queue):
    report = queue["reports"][0]
    services.evidence_attach(task=report.task, report=report, actor=queue["lead_head"],
                             uploads=check_uploads([upload("现场照片.png", png_bytes())]))
    client.force_login(supervisor_user)
    page = client.get(reverse("tasks:review_queue"), {"department": queue["lead"].pk}).content.decode()
    item = page[page.index(f'id="review-{report.pk}"'):]
    item = item[:item.index("</article>")]
    assert "现场照片.png" in item and 'class="evidence-thumb"' in item


def test_a_refused_review_says_why_beside_its_item_and_keeps_the_note(client, supervisor_user, queue):
    report = queue["reports"][3]
    client.force_login(supervisor_user)
    response = client.post(reverse("tasks:report_review", args=[report.pk]),
                           {"decision": "return", "note": "", "version": report.version})
    assert response.status_code == 400
    page = response.content.decode()
    item = page[page.index(f'id="review-{report.pk}"'):]
    assert "review-item--error" in page[page.index(f'id="review-{report.pk}"') - 60:][:200]
    assert "退回" in item[:item.index("</article>")] or "return" in item[:item.index("</article>")].lower()
    assert ProgressReport.objects.get(pk=report.pk).state == ProgressReport.State.SUBMITTED

    stale = client.post(reverse("tasks:report_review", args=[report.pk]),
                        {"decision": "accept", "note": "很好，继续保持", "version": report.version - 1})
    assert stale.status_code == 400 and "很好，继续保持" in stale.content.decode(), "the typed note comes back"


def test_the_selected_reports_are_accepted_together_and_the_refused_one_says_why(client, supervisor_user, queue):
    # A supervisor who is also in the unit drafted one report: nobody reviews their own.
    reviewer_in_unit = factories.member(queue["lead"], role=Membership.Role.HEAD, username="also_supervisor")
    role_grant(users=[reviewer_in_unit], role_name=roles.SUPERVISOR)
    own = ProgressReport.objects.get(task=queue["first"], month=datetime.date(2021, 1, 1))
    ProgressReport.objects.filter(pk=own.pk).update(author=reviewer_in_unit)
    chosen = [own.pk, queue["reports"][1].pk, queue["reports"][2].pk]

    client.force_login(reviewer_in_unit)
    response = client.post(reverse("tasks:review_batch"), {"reports": chosen})
    assert response.status_code == 400
    states = dict(ProgressReport.objects.filter(pk__in=chosen).values_list("pk", "state"))
    assert states == {own.pk: "submitted", chosen[1]: "accepted", chosen[2]: "accepted"}
    page = response.content.decode()
    item = page[page.index(f'id="review-{own.pk}"'):]
    assert 'role="alert"' in item[:item.index("</article>")]

    assert client.post(reverse("tasks:review_batch"), {"reports": [queue["reports"][5].pk]}).status_code == 302
    assert ProgressReport.objects.get(pk=queue["reports"][5].pk).state == "accepted"


def test_a_leader_marks_a_report_read_once_and_its_writer_hears_of_it(client, leader_user, queue):
    from tasks.models import Notification, ReportReading

    report = queue["reports"][0]
    url = reverse("tasks:report_read", args=[report.pk])
    client.force_login(queue["lead_head"])
    assert client.post(url).status_code == 403, "only bureau leaders 圈阅"
    client.force_login(leader_user)
    page = client.get(reverse("tasks:task_detail", kwargs={"year": 2021, "number": 1})).content.decode()
    assert url in page
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert ReportReading.objects.filter(report=report, leader=leader_user).count() == 1
    assert Notification.objects.filter(recipient=queue["lead_head"], message__contains="圈阅").count() == 1
    page = client.get(reverse("tasks:task_detail", kwargs={"year": 2021, "number": 1})).content.decode()
    assert url not in page and "tag--read" in page


def test_the_reviewer_grades_the_quality_when_accepting(client, supervisor_user, queue):
    report, other = queue["reports"][3], queue["reports"][4]
    client.force_login(supervisor_user)
    page = client.get(reverse("tasks:review_queue")).content.decode()
    assert '<select name="quality">' in page and ">优<" in page and ">差<" in page
    refused = client.post(reverse("tasks:report_review", args=[other.pk]),
                          {"decision": "accept", "quality": "superb", "version": other.version})
    assert refused.status_code == 400
    assert ProgressReport.objects.get(pk=other.pk).state == ProgressReport.State.SUBMITTED
    client.post(reverse("tasks:report_review", args=[report.pk]),
                {"decision": "accept", "quality": "excellent", "note": "", "version": report.version})
    accepted = ProgressReport.objects.get(pk=report.pk)
    assert (accepted.state, accepted.quality) == (ProgressReport.State.ACCEPTED, ProgressReport.Quality.EXCELLENT)
