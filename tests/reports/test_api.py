"""The REST API of the leaders' figures: the dashboard and the ranking, with the dashboards' scope."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reports.selectors import build_dashboard

from .. import factories
from .test_scoring import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_dashboards_figures_are_the_pages(world, leader_user):  # noqa: F811
    body = api(leader_user).get(reverse("api:dashboard"), {"year": 2021, "month": 3}).json()
    dashboard = build_dashboard(plan=world["plan"], on=datetime.date(2021, 3, 31))
    assert body["plan"] == 2021 and body["on"] == "2021-03-31"
    assert body["overall"]["total"] == dashboard.overall.total == 1
    assert body["overall"]["red"] == dashboard.overall.red and body["overall"]["done"] == dashboard.overall.done
    assert [s["number"] for s in body["sections"]] == [1]
    assert [d["department"]["name"] for d in body["departments"]] == ["甲科室"]
    assert (body["reports_due"], body["reports_submitted"]) == (dashboard.due, dashboard.submitted)
    assert len(body["trend"]) == 3


def test_a_head_gets_the_figures_of_his_units_and_staff_none(world):  # noqa: F811
    head = factories.member(world["cooperating"], role="head")
    body = api(head).get(reverse("api:dashboard"), {"year": 2021, "month": 3}).json()
    page = build_dashboard(plan=world["plan"], on=datetime.date(2021, 3, 31), departments=[world["cooperating"]])
    assert body["overall"]["total"] == page.overall.total == 1, "the task 乙 cooperates on, as on the page"
    other = factories.department("丙科室")
    factories.assigned_task(lead=other, plan=world["plan"], section=world["task"].section, number=world["task"].number + 1)
    assert api(head).get(reverse("api:dashboard"), {"year": 2021, "month": 3}).json()["overall"]["total"] == 1
    assert api(factories.member(world["lead"])).get(reverse("api:dashboard")).status_code == 403
    assert api(factories.member(world["lead"])).get(reverse("api:scores")).status_code == 403


def test_the_ranking_for_a_month_and_the_year(world, leader_user):  # noqa: F811
    february = api(leader_user).get(reverse("api:scores"), {"year": 2021, "month": 2}).json()
    assert [(row["rank"], row["department"]["name"], row["total"], row["deducted"], row["yellow_cards"])
            for row in february] == [(1, "乙科室", "0.0", "0.0", 0), (2, "甲科室", "-4.0", "4.0", 1)]
    quarter = api(leader_user).get(reverse("api:scores"), {"year": 2021, "month": 4, "period": "year"}).json()
    assert [(row["department"]["name"], row["total"]) for row in quarter] == [("乙科室", "4.0"), ("甲科室", "3.0")], \
        "the same as the ranking page (tests/reports/test_score_pages.py)"


def test_a_query_the_api_cannot_answer_is_refused_not_answered_for_another_year(world, leader_user):  # noqa: F811
    client = api(leader_user)
    assert client.get(reverse("api:dashboard"), {"year": 1900}).status_code == 404
    assert client.get(reverse("api:scores"), {"year": 2021, "month": 13}).status_code == 400
    assert client.get(reverse("api:scores"), {"year": 2021, "period": "quarter"}).status_code == 400
    assert client.get(reverse("api:dashboard"), {"year": 2021, "month": "三"}).status_code == 400
    head = factories.member(world["cooperating"], role="head")
    assert api(head).get(reverse("api:dashboard"), {"year": 2021, "department": world["lead"].pk}).status_code == 404, \
        "a unit outside the head's dashboard"
    assert api(head).get(reverse("api:dashboard"), {"year": 2021, "department": world["cooperating"].pk}).status_code == 200
