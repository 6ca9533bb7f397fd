"""The scoring pages: the ranking, a unit's lines, a leader's adjustment, a new version of the rules."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import ScoreAdjustment, ScoringRules

from .. import factories
from .test_scoring import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
QUARTER = {"year": 2021, "month": 4, "period": "year"}  # January to April, as of 30 April


def test_the_ranking_and_a_units_lines(client, world, leader_user):  # noqa: F811
    client.force_login(leader_user)
    page = client.get(reverse("reports:scores"), QUARTER).content.decode()
    table = page[page.index('id="ranking-title"'):]
    assert re.findall(r"<td[^>]*>(\d+)</td>\s*<td[^>]*><a[^>]*>(\S+)</a></td>\s*<td[^>]*><strong>([\d.-]+)</strong>", table) == [
        ("1", "乙科室", "4.0"), ("2", "甲科室", "3.0")], "甲's April report is missing too (−2)"
    assert "1 张黄牌" in table, "甲 lost 4 points in February"

    lines = client.get(reverse("reports:unit_score", args=[world["lead"].pk]), QUARTER).content.decode()
    for words in ("按时报送", "未报送", "督办通知", "逾期报送", "时间节点按期完成", "质量评定", "+3.0", "-2.0"):
        assert words in lines, words


def test_a_head_sees_the_ranking_and_only_his_units_lines(client, world):  # noqa: F811
    head = factories.member(world["lead"], role="head")
    client.force_login(head)
    page = client.get(reverse("reports:scores"), QUARTER).content.decode()
    assert reverse("reports:unit_score", args=[world["lead"].pk]) in page
    assert reverse("reports:unit_score", args=[world["cooperating"].pk]) not in page and "乙科室" in page
    assert client.get(reverse("reports:unit_score", args=[world["cooperating"].pk]), QUARTER).status_code == 404


def test_a_leader_adjusts_a_score_with_a_reason(client, world, leader_user, supervisor_user):  # noqa: F811
    url = reverse("reports:unit_score", args=[world["cooperating"].pk]) + "?year=2021&month=4&period=year"
    client.force_login(leader_user)
    refused = client.post(url, {"month": 2, "points": "3", "reason": " "})
    assert refused.status_code == 400 and not ScoreAdjustment.objects.exists()
    done = client.post(url, {"month": 2, "points": "3", "reason": "承办全市现场会"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "承办全市现场会" in page and "领导调整" in page and "+3.0" in page

    client.force_login(supervisor_user)
    assert client.post(url, {"month": 2, "points": "1", "reason": "加分"}).status_code == 403
    assert ScoreAdjustment.objects.count() == 1


def test_the_supervision_office_sets_a_new_version_and_keeps_the_old(client, world, supervisor_user, leader_user):  # noqa: F811
    url = reverse("reports:scoring_rules") + "?year=2021&month=4"
    client.force_login(supervisor_user)
    form = client.get(url).content.decode()
    assert "默认" in form or "v0" in form
    values = {name: str(getattr(ScoringRules(), name)) for name in ScoringRules.VALUE_FIELDS}
    refused = client.post(url, {**values, "effective_from": 3, "reason": ""})
    assert refused.status_code == 400 and not ScoringRules.objects.exists()
    client.post(url, {**values, "on_time_report": "4", "effective_from": 3, "reason": "加大按时报送分值"})
    client.post(url, {**values, "on_time_report": "5", "effective_from": 4, "reason": "再次调整"})
    assert list(ScoringRules.objects.order_by("version").values_list("version", "on_time_report", "reason")) == [
        (1, Decimal("4.0"), "加大按时报送分值"), (2, Decimal("5.0"), "再次调整")]
    page = client.get(url).content.decode()
    assert "加大按时报送分值" in page and "再次调整" in page

    client.force_login(leader_user)
    assert client.post(url, {**values, "effective_from": 5, "reason": "领导改"}).status_code == 403
    assert "<form method=\"post\" class=\"rules-form\">" not in client.get(url).content.decode()


def test_rules_that_make_no_sense_are_refused_and_nothing_changes(client, world, supervisor_user):  # noqa: F811
    url = reverse("reports:scoring_rules") + "?year=2021&month=4"
    client.force_login(supervisor_user)
    values = {name: str(getattr(ScoringRules(), name)) for name in ScoringRules.VALUE_FIELDS}
    for bad in ({"lead_weight": "-1"}, {"yellow_card_deductions": "9", "red_card_deductions": "8"},
                {"on_time_report": "很多"}, {"effective_from": "13"}):
        response = client.post(url, {**values, "effective_from": 3, "reason": "试一试", **bad})
        assert response.status_code == 400, bad
    assert not ScoringRules.objects.exists()


def test_the_ranking_asks_the_same_queries_for_two_units_or_twenty(client, world, leader_user):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(leader_user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:scores"), QUARTER).status_code == 200
        return len(captured)

    queries()
    few = queries()
    for n in range(18):
        factories.assigned_task(lead=factories.department(f"新单位{n}"), plan=world["plan"],
                                section=world["task"].section, number=world["task"].number + 1 + n)
    assert queries() == few


def test_the_dashboard_loads_the_months_cards_and_an_adjustment_replaces_them(client, world, leader_user):  # noqa: F811
    client.force_login(leader_user)
    dashboard = client.get(reverse("reports:dashboard"), {"year": 2021, "month": 2}).content.decode()
    cards_url = reverse("reports:score_cards")
    assert f'hx-get="{cards_url}?year=2021&amp;month=2"' in dashboard

    panel = client.get(cards_url, {"year": 2021, "month": 2}).content.decode()
    assert re.search(r"黄牌</strong>\s*<a[^>]*>甲科室</a>\s*<span[^>]*>扣 4.0 分", panel), panel
    assert "乙科室" not in panel
    assert "甲科室" not in client.get(cards_url, {"year": 2021, "month": 1}).content.decode()

    url = reverse("reports:unit_score", args=[world["lead"].pk]) + "?year=2021&month=2"
    assert client.post(url, {"month": 2, "points": "-4", "reason": "督办事项整改不力"}).status_code == 302
    assert re.search(r"红牌</strong>\s*<a[^>]*>甲科室</a>\s*<span[^>]*>扣 8.0 分",
                     client.get(cards_url, {"year": 2021, "month": 2}).content.decode()), \
        "the cached panel is not served after an adjustment"


def test_the_cards_panel_is_for_dashboard_readers_only(client, world):  # noqa: F811
    client.force_login(factories.member(world["lead"]))
    assert client.get(reverse("reports:score_cards"), {"year": 2021, "month": 2}).status_code == 403
