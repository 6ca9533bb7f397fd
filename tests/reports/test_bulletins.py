"""Scoring bulletins (考核通报): figures on the hand-computed scoring example, the files read back,
the ranking a unit can trace, idempotence, the schedule, and the pages."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse

from reports import services
from reports.models import ScoreBulletin
from reports.selectors import bulletin_figures
from tasks.models import Notification

from .. import factories
from .test_scoring import scoring_world

pytestmark = pytest.mark.django_db
on_both_storages = pytest.mark.usefixtures("file_storage")
D = datetime.date


@pytest.fixture
def world():
    world = scoring_world()
    world["plan"].issuing_body = "四平市教育局"
    world["plan"].save()
    return world


def test_februarys_figures_by_hand(world):
    # February as of its end: 甲 missed its report (−2) and received a 督办 notice (−2): a yellow
    # card at 4; 乙, cooperating, scored nothing. No unit is above zero, so none is commended.
    figures = bulletin_figures(plan=world["plan"], month=2, today=D(2021, 3, 1))
    assert figures["period"] == "2021年2月" and figures["as_of"] == "2021年2月28日"
    assert [(u["rank"], u["name"], u["total"], u["gained"], u["deducted"], u["cards"]) for u in figures["units"]] == [
        (1, "乙科室", "0.0", "0.0", "0.0", ""), (2, "甲科室", "-4.0", "0.0", "4.0", "2021年2月黄牌")]
    assert figures["units"][1]["remarks"] == "未报送1次；收到督办通知1次。"
    assert figures["units"][0]["remarks"] == "本期无计分事项。"
    assert figures["commended"] == [] and figures["named"] == [["甲科室", "2021年2月黄牌", "4.0"]]
    assert figures["rules_versions"] == [0] and (figures["yellow_at"], figures["red_at"]) == ("4.0", "8.0")
    assert figures["trace_path"] == reverse("reports:scores") + "?year=2021&month=2"


def test_januarys_remarks_count_each_kind_of_line(world):
    figures = bulletin_figures(plan=world["plan"], month=1, today=D(2021, 2, 1))
    lead = next(unit for unit in figures["units"] if unit["name"] == "甲科室")
    assert lead["remarks"] == "按时报送月报1次；质量评定优1次。" and lead["total"] == "5.0"
    assert figures["commended"] == ["甲科室", "乙科室"], "both above zero, no card, in the top three"


def test_the_years_ranking_is_the_one_the_ranking_page_shows(client, world, leader_user):
    figures = bulletin_figures(plan=world["plan"], month=ScoreBulletin.WHOLE_YEAR, today=D(2022, 1, 1))
    assert figures["period"] == "2021年度" and figures["as_of"] == "2021年12月31日"
    client.force_login(leader_user)
    page = client.get(figures["trace_path"]).content.decode()
    shown = re.findall(r"<td[^>]*>(\d+)</td>\s*<td[^>]*><a[^>]*>(\S+)</a></td>\s*<td[^>]*><strong>([\d.-]+)</strong>", page)
    assert shown == [(str(u["rank"]), u["name"], u["total"]) for u in figures["units"]]
    assert "&period=year" in figures["trace_path"]


@on_both_storages
def test_the_files_read_back_and_a_second_run_replaces_them(world, django_capture_on_commit_callbacks, leader_user):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.bulletin_generate(plan=world["plan"], month=2, today=D(2021, 3, 1))
    old_files = [first.xlsx.name, first.docx.name]
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = services.bulletin_generate(plan=world["plan"], month=2, today=D(2021, 3, 1))
    storage = bulletin.xlsx.storage
    assert ScoreBulletin.objects.count() == 1 and bulletin.attempts == 2 and bulletin.state == ScoreBulletin.State.DONE
    assert not any(storage.exists(name) for name in old_files) and bulletin.xlsx.name.startswith("bulletins/2021-M02-")
    assert "_lines" not in bulletin.figures, "the lines go into the spreadsheet, not the record"
    assert Notification.objects.filter(recipient=leader_user, message__contains="2021年2月").exists()

    document = docx.Document(bulletin.docx.open("rb"))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == ["四平市教育局", "〔2021〕    号", "关于2021年2月重点工作任务考核情况的通报"]
    assert 'w:color="C00000"' in document.paragraphs[1]._p.xml, "the red rule under the masthead"
    text = "\n".join(paragraphs)
    for words in ("一、考核排名", "二、表扬单位", "本期无通报表扬单位。", "三、点名单位",
                  "甲科室（2021年2月黄牌，扣4.0分）", "四、各单位得分说明", "2. 甲科室：得-4.0分。未报送1次；收到督办通知1次。"):
        assert words in text, words
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [
        ["名次", "单位", "得分", "加分", "扣分", "红黄牌"],
        ["1", "乙科室", "0.0", "0.0", "0.0", "—"], ["2", "甲科室", "-4.0", "0.0", "4.0", "2021年2月黄牌"]]

    workbook = openpyxl.load_workbook(bulletin.xlsx.open("rb"))
    assert workbook.sheetnames == ["考核排名", "得分明细"]
    ranking = [[cell.value for cell in row] for row in workbook["考核排名"].iter_rows()]
    assert ranking[0] == ["名次", "单位", "得分", "加分", "扣分", "红黄牌", "得分说明"]
    assert ranking[2][:3] == ["2", "甲科室", "-4.0"]
    lines = [[cell.value for cell in row] for row in workbook["得分明细"].iter_rows(min_row=2)]
    assert sorted((line[2], line[6]) for line in lines if line[0] == "甲科室") == [("未报送", "-2.0"), ("督办通知", "-2.0")]


def test_the_schedule_asks_for_last_months_bulletin_and_on_new_years_day_the_years(world):
    # The jobs are sent when the transaction commits, which a test's never does: what the
    # schedule asked for stays queued, and the test builds it as the worker would.
    requested = services.bulletins_request_due(today=D(2021, 3, 1))
    assert [(bulletin.month, bulletin.state) for bulletin in requested] == [(2, "queued")]
    services.bulletin_generate(plan=world["plan"], month=2, today=D(2021, 3, 1))
    services.bulletins_request_due(today=D(2021, 3, 1))
    made = ScoreBulletin.objects.get(month=2)
    assert (made.state, made.attempts) == ("done", 1), "a bulletin already made is not asked for again"
    requested = services.bulletins_request_due(today=D(2022, 1, 1))
    assert sorted(bulletin.month for bulletin in requested) == [0, 12]


@on_both_storages
def test_the_pages(client, world, supervisor_user, django_capture_on_commit_callbacks, settings):
    url = reverse("reports:bulletin_generate", args=[2021, 2])
    head = factories.member(world["lead"], role="head")
    client.force_login(head)
    assert client.post(url).status_code == 403
    client.force_login(supervisor_user)
    assert client.post(reverse("reports:bulletin_generate", args=[2021, 13])).status_code == 404
    with django_capture_on_commit_callbacks(execute=not settings.REDIS_URL):
        assert client.post(url).status_code == 302
    bulletin = ScoreBulletin.objects.get()
    if settings.REDIS_URL:  # no in-process worker: build it here
        bulletin = services.bulletin_generate(plan=world["plan"], month=2)
    page = client.get(reverse("reports:bulletins"), {"year": 2021, "month": 3}).content.decode()
    assert "2021年度" in page and "2021年3月" in page and "立即生成" in page
    client.force_login(head)
    page = client.get(reverse("reports:bulletins"), {"year": 2021, "month": 3}).content.decode()
    assert reverse("reports:bulletin_file", args=[bulletin.pk, "docx"]) in page and "立即生成" not in page
    download = client.get(reverse("reports:bulletin_file", args=[bulletin.pk, "docx"]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert docx.Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs[0].text == "四平市教育局"
    client.force_login(factories.member(world["lead"]))
    assert client.get(reverse("reports:bulletin_file", args=[bulletin.pk, "docx"])).status_code == 403
