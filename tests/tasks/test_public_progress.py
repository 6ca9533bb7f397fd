"""政务公开: the public progress page shows what the supervision office chose to publish and
nothing else — the test lists every field it renders — and is off until turned on."""

import datetime
import re

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import Evidence, Plan, ProgressReport, PublicProgress

from .. import factories

pytestmark = pytest.mark.django_db
PUBLIC_FIELDS = {"plan_title", "section_title", "task_number", "task_title", "light", "lead_unit", "deadline",
                 "percent", "text_month", "text"}


@pytest.fixture
def world(lead_department, lead_head, lead_staff, supervisor_user, leader_user):
    plan = factories.PlanFactory(year=2021, title="四平市2021年教育工作要点", issuing_body="四平市教育局")
    section = factories.SectionFactory(plan=plan, number=1, title="全面加强党的建设")
    task = factories.assigned_task(lead=lead_department, section=section, number=1, title="深化教育改革",
                                   responsible_person="张三丰")
    task.responsible_leader = leader_user
    task.save()
    other = factories.assigned_task(lead=lead_department, section=section, number=2, title="推进课后服务")
    accepted = ProgressReport.objects.create(
        task=task, department=lead_department, month=datetime.date(2021, 3, 1), author=lead_staff,
        progress="内部进展：李四组织召开专题会", problems="经费缺口500万元", next_steps="请示分管局长",
        percent=40, state=ProgressReport.State.ACCEPTED, review_note="请补充佐证", reviewer=supervisor_user)
    ProgressReport.objects.create(task=other, department=lead_department, month=datetime.date(2021, 3, 1),
                                  author=lead_staff, progress="草稿：尚未定稿", percent=10)
    Evidence.objects.create(task=task, report=accepted, file="evidence/x.pdf", original_name="会议纪要-机密.pdf",
                            size=10, content_type="application/pdf", uploaded_by=lead_staff)
    return {"plan": plan, "task": task, "other": other, "supervisor": supervisor_user, "leader": leader_user,
            "head": lead_head}


def test_the_page_is_off_until_the_supervision_office_turns_it_on(client, world):
    url = reverse("tasks:public_progress", args=[2021])
    assert client.get(url).status_code == 404
    assert "四平市2021年教育工作要点" not in client.get(reverse("tasks:public_index")).content.decode()
    services.plan_set_public(plan=world["plan"], public=True, actor=world["supervisor"])
    assert client.get(url).status_code == 200
    assert "四平市2021年教育工作要点" in client.get(reverse("tasks:public_index")).content.decode()


def test_every_rendered_field_is_public_and_nothing_private_shows(client, world):
    services.plan_set_public(plan=world["plan"], public=True, actor=world["supervisor"])
    services.public_progress_approve(task=world["task"], month=datetime.date(2021, 3, 1),
                                     text="已完成改革方案起草，进入征求意见阶段。", actor=world["supervisor"])
    response = client.get(reverse("tasks:public_progress", args=[2021]))
    page = response.content.decode()
    assert set(re.findall(r'data-field="(\w+)"', page)) == PUBLIC_FIELDS
    assert "已完成改革方案起草，进入征求意见阶段。" in page and "2021年3月" in page and "40%" in page
    private = ["李四", "经费缺口", "请示分管局长", "请补充佐证", "草稿：尚未定稿", "会议纪要-机密", "张三丰",
               world["leader"].get_full_name() or world["leader"].username, world["supervisor"].username,
               world["head"].username, "csrfmiddlewaretoken", "/accounts/logout/"]
    for words in private:
        assert words not in page, words
    assert response["Cache-Control"].replace(" ", "") in ("public,max-age=300", "max-age=300,public")


def test_a_withdrawn_text_leaves_the_page_and_a_newer_text_replaces_an_older(client, world):
    services.plan_set_public(plan=world["plan"], public=True, actor=world["supervisor"])
    url = reverse("tasks:public_progress", args=[2021])
    services.public_progress_approve(task=world["task"], month=datetime.date(2021, 2, 1), text="二月进展", actor=world["supervisor"])
    assert "二月进展" in client.get(url).content.decode()
    services.public_progress_approve(task=world["task"], month=datetime.date(2021, 3, 1), text="三月进展", actor=world["supervisor"])
    page = client.get(url).content.decode()
    assert "三月进展" in page and "二月进展" not in page, "the cached page is not served after a change"
    services.public_progress_withdraw(task=world["task"], actor=world["supervisor"])
    assert "三月进展" not in client.get(url).content.decode()
    assert PublicProgress.objects.count() == 2, "texts are kept, withdrawn"


def test_the_publication_page_is_the_supervision_offices(client, world):
    url = reverse("tasks:plan_publication", args=[2021])
    for user in (world["head"], world["leader"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "public_on"}).status_code == 403
    assert not Plan.objects.get().public_progress

    client.force_login(world["supervisor"])
    page = client.get(url).content.decode()
    assert "内部进展：李四组织召开专题会" in page, "drafted from the newest accepted report, for editing"
    client.post(url, {"action": "public_on"})
    assert Plan.objects.get().public_progress
    refused = client.post(url, {"action": "approve", "task": world["task"].pk, "month": 3, "text": "  "})
    assert refused.status_code == 400 and not PublicProgress.objects.exists()
    assert client.post(url, {"action": "approve", "task": world["task"].pk, "month": 13, "text": "x"}).status_code == 400
    assert client.post(url, {"action": "approve", "task": 999999, "month": 3, "text": "x"}).status_code == 404
    done = client.post(url, {"action": "approve", "task": world["task"].pk, "month": 3, "text": "已起草改革方案。"})
    assert done.status_code == 302 and PublicProgress.objects.get().text == "已起草改革方案。"
    client.post(url, {"action": "withdraw", "task": world["task"].pk})
    assert PublicProgress.objects.get().withdrawn_at is not None


def test_a_draft_plan_cannot_be_made_public(world):
    from django.core.exceptions import ValidationError

    draft = factories.PlanFactory(year=2031, status=Plan.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.plan_set_public(plan=draft, public=True, actor=world["supervisor"])
    assert not Plan.objects.get(year=2031).public_progress
