import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db
DOCUMENT = settings.BASE_DIR / "fixtures" / "siping-2021-education-work-points.txt"
URL = reverse("intake:plan_text_import")


def preview(client, **data):
    return client.post(URL, {"year": 2031, "title": "2031年工作要点", "issuing_body": "四平市教育局", **data})


def test_only_the_supervision_office(client, lead_staff):
    client.force_login(lead_staff)
    assert client.get(URL).status_code == 403


def test_paste_preview_edit_and_save(client, supervisor_user):
    client.force_login(supervisor_user)
    response = preview(client, text=DOCUMENT.read_text(encoding="utf-8"))
    page = response.content.decode()
    assert response.status_code == 200 and "7 个板块，35 项任务" in page
    assert "導體" in page and "导体" in page, "the traditional characters are pointed out with the fix"
    assert not Plan.objects.filter(year=2031).exists()

    parsed = response.context["parsed"]
    data = {"action": "save", "year": 2031, "title": "2031年工作要点", "issuing_body": "四平市教育局",
            "preamble": parsed.preamble, "closing_note": ""}
    for s, section in enumerate(parsed.sections):
        data[f"section-{s}-number"] = section.number
        data[f"section-{s}-title"] = section.title
        for t, task in enumerate(section.tasks):
            data[f"task-{s}-{t}-title"] = task.title.replace("督導體制", "督导体制")
            data[f"task-{s}-{t}-content"] = task.content
            data[f"task-{s}-{t}-label"] = task.label
            data[f"task-{s}-{t}-leads"] = "、".join(task.leads)
    saved = client.post(URL, data)
    assert saved.status_code == 302
    assert Task.objects.filter(plan__year=2031).count() == 35
    assert Task.objects.get(plan__year=2031, number=10).title == "完善教育督导体制机制"
    assert Plan.objects.get(year=2031).status == Plan.Status.DRAFT


def test_docx_upload(client, supervisor_user):
    from docx import Document

    document = Document()
    for paragraph in ["一、党建工作", "1. 加强学习。深入学习。", "二、改革", "2. 深化改革。出台方案。"]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(supervisor_user)
    response = preview(client, file=SimpleUploadedFile("要点.docx", buffer.getvalue()))
    assert [t.title for t in response.context["parsed"].tasks] == ["加强学习", "深化改革"]


@pytest.mark.parametrize("name, content, message", [
    ("要点.pdf", b"%PDF-1.4", "请选择 .txt 或 .docx 文件"),
    ("要点.docx", b"not a zip", ".docx 文件无法读取"),
    ("要点.txt", b"", "请粘贴工作要点正文或选择文件"),
])
def test_bad_files_say_why(client, supervisor_user, name, content, message):
    client.force_login(supervisor_user)
    response = preview(client, file=SimpleUploadedFile(name, content))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Plan.objects.exists()


def _rewritten(data, name, transform):
    import zipfile

    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            archive.writestr(item, transform(content) if item.filename == name else content)
    return target.getvalue()


def test_a_word_file_with_malformed_xml_is_refused_with_a_message(client, supervisor_user):
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("一、党建")
    document.save(buffer)
    broken = _rewritten(buffer.getvalue(), "word/document.xml", lambda xml: xml.replace(b"</w:body>", b"<w:p>"))
    client.force_login(supervisor_user)
    response = preview(client, file=SimpleUploadedFile("要点.docx", broken))
    assert response.status_code == 400 and ".docx 文件无法读取" in response.content.decode()


def test_a_workbook_with_a_bad_checksum_is_refused_with_a_message(client, supervisor_user):
    import zipfile

    from .test_sheet_import import GOOD_ROWS, ledger_file

    data = bytearray(ledger_file(GOOD_ROWS).getvalue())
    # The central directory's CRC-32 of the sheet no longer matches the sheet's bytes.
    entry = data.index(b"PK\x01\x02" + b"", data.index(b"xl/worksheets/sheet1.xml") - 46)
    while data[entry + 46:entry + 46 + 24] != b"xl/worksheets/sheet1.xml":
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 16] ^= 0xFF
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(data))).read("xl/worksheets/sheet1.xml")
    client.force_login(supervisor_user)
    response = client.post(reverse("intake:task_sheet_import"), {
        "action": "upload", "plan_year": 2031, "file": SimpleUploadedFile("t.xlsx", bytes(data))})
    assert response.status_code == 400 and "文件已损坏" in response.content.decode()
    assert not Plan.objects.exists()
