"""A clerk uploads the bureau's own Word document: sections, groups, owner notes and a task table
come out in the preview; the clerk creates the one unknown unit, corrects a title and saves."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from departments.models import Department
from tasks.models import Plan, Task

from .. import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def word_document():
    from docx import Document

    document = Document()
    for line in ["某市教育局2031年工作要点", "某教发〔2031〕2号", "各县（市、区）教育局：", "现将工作要点印发给你们。",
                 "一、指导思想", "坚持立德树人。", "二、重点任务", "（一）夯实基础。",
                 "1.加强党建。扎实推进。（牵头单位：基础教育科，配合单位：各县（市、区））",
                 "2.深化改革。出台方案。（督导室、新成立的中心负责）", "三、专项工作"]:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=4)
    for cells in [["序号", "重点任务", "牵头单位", "完成时限"], ["3", "建设智慧校园", "基础教育科", "2031年下半年"],
                  ["4", "开展教师培训", "督导室", "下个月吧"]]:
        for cell, text in zip(table.add_row().cells, cells):
            cell.text = text
    document.add_paragraph("某市教育局")
    document.add_paragraph("2031年1月10日")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_document_previewed_corrected_and_saved(page, live_server, transactional_db):
    factories.department("基础教育科")
    factories.department("督导室")
    factories.supervisor(username="supervisor")
    page.goto(f"{live_server.url}/accounts/login/?next=/imports/plan-text/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_label("年度").fill("2031")
    page.get_by_label("或上传印发的文件（.docx 或 .txt）").set_input_files(
        [{"name": "工作要点.docx", "mimeType": "application/octet-stream", "buffer": word_document()}])
    page.get_by_role("button", name="预览").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("3 个板块，4 项任务")
    expect(page.locator("input[name=title]")).to_have_value("某市教育局2031年工作要点")
    expect(page.locator("input[name=doc_number]")).to_have_value("某教发〔2031〕2号")
    expect(page.locator(".unit-chip--exact").first).to_have_text("基础教育科")
    expect(page.locator(".unit-chip--collective")).to_have_text("各县（市、区）")
    expect(page.locator(".unit-chip--unmatched").first).to_have_text("新成立的中心")
    expect(page.get_by_text("1 个完成时限无法识别")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "plan-document-preview.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "plan-document-preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("select[name=unit-0-action]").select_option("create")
    page.locator("input[name='task-1-0-title']").fill("加强党的建设")
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.get_by_text("工作要点已保存为草稿：3 个板块，4 项任务。")).to_be_visible()

    plan = Plan.objects.get(year=2031)
    assert plan.doc_number == "某教发〔2031〕2号" and plan.closing_note.endswith("2031年1月10日")
    first, second, third, fourth = Task.objects.filter(plan=plan).order_by("number")
    assert first.title == "加强党的建设" and first.group == "（一）夯实基础"
    assert first.lead_department.name == "基础教育科" and first.owner_text == "各县（市、区）"
    assert second.lead_department.name == "督导室"
    assert [d.name for d in second.co_lead_departments.all()] == ["新成立的中心"]
    assert Department.objects.filter(name="新成立的中心").count() == 1
    assert (third.title, third.deadline.isoformat()) == ("建设智慧校园", "2031-12-31")
    assert (fourth.deadline, fourth.deadline_text) == (None, "下个月吧")
    assert "坚持立德树人。" in plan.sections.get(number=1).text
