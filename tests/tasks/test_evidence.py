import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from siping_edu.stored_files import stored_names
from tasks.evidence import check_upload, check_uploads, clean_original_name
from tasks.models import Evidence, ProgressReport

from ..files import EXECUTABLE, HTML_PAGE, pdf, pdf_bytes, png_bytes, upload

# Every test here runs on the local disk and on an S3 bucket (tests/conftest.py: file_storage).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("file_storage")]
SVG_WITH_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def stored_files(settings):
    return stored_names()


def report_url(task):
    return reverse("tasks:report_edit", kwargs={"year": task.plan.year, "number": task.number})


def post_report(client, task, files, **fields):
    data = {"month": f"{task.plan.year}-05", "progress": "完成调研。", "percent": 30, "files": files, "save": "1"}
    data.update(fields)
    return client.post(report_url(task), data)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("报告.pdf", EXECUTABLE, "不是允许的文件类型"),
        ("照片.png", HTML_PAGE, "不是允许的文件类型"),
        ("扫描件.png", pdf_bytes(), "内容是 PDF"),
        ("空文件.pdf", b"", "空文件"),
        ("示意图.svg", SVG_WITH_SCRIPT, "不是允许的文件类型"),
        ("示意图.png", SVG_WITH_SCRIPT, "不是允许的文件类型"),
        ("工作方案.docx", pdf_bytes(), "内容是 PDF"),
        ("工作方案.pdf.exe", pdf_bytes(), "内容是 PDF"),
    ],
)
def test_refused_uploads_store_nothing_and_say_why(client, task, lead_staff, settings, name, content, message):
    client.force_login(lead_staff)
    response = post_report(client, task, [upload(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_oversize_file_is_refused(client, task, lead_staff, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(lead_staff)
    response = post_report(client, task, [pdf()])
    assert response.status_code == 400
    assert "不能超过" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_too_many_files_are_refused(client, task, lead_staff, settings):
    settings.EVIDENCE_MAX_FILES = 2
    client.force_login(lead_staff)
    response = post_report(client, task, [pdf(f"{n}.pdf") for n in range(3)])
    assert response.status_code == 400
    assert "每次最多上传 2 个文件" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_a_path_in_the_name_never_leaves_the_store(client, task, lead_staff, settings, tmp_path):
    # Django keeps only the base name of a multipart file name before any view sees it.
    client.force_login(lead_staff)
    response = post_report(client, task, [upload("../../x.pdf", pdf_bytes())])
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "x.pdf"
    assert evidence.file.name.startswith("evidence/") and "x.pdf" not in evidence.file.name
    assert not (tmp_path / "x.pdf").exists() and not (settings.MEDIA_ROOT.parent / "x.pdf").exists()
    # A caller outside Django's parser (a command, a script) is refused outright.
    with pytest.raises(ValidationError, match="文件夹路径"):
        check_upload(ContentFile(pdf_bytes(), name="../../x.pdf"))


def test_long_names_are_shortened_keeping_the_extension():
    name = clean_original_name("长" * 300 + ".pdf")
    assert len(name) <= 200 and name.endswith(".pdf")


def test_accepted_files_are_stored_with_checksum_and_downloaded_with_their_chinese_name(
    client, task, lead_staff, cooperating_staff, unrelated_staff, supervisor_user, leader_user
):
    client.force_login(lead_staff)
    response = post_report(client, task, [pdf("工作方案.pdf"), upload("现场.png", png_bytes())])
    assert response.status_code == 302
    files = {e.original_name: e for e in Evidence.objects.all()}
    assert set(files) == {"工作方案.pdf", "现场.png"}
    assert files["现场.png"].content_type == "image/png" and len(files["工作方案.pdf"].sha256) == 64

    url = reverse("tasks:evidence_download", args=[files["工作方案.pdf"].pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%B7%A5%E4%BD%9C%E6%96%B9%E6%A1%88.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert client.get(url + "?inline=1")["Content-Disposition"].startswith("inline;")

    # The report is a draft: only its own department sees its files.
    for outsider in (cooperating_staff, unrelated_staff, supervisor_user, leader_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username


def test_media_urls_serve_nothing(client, task, lead_staff):
    client.force_login(lead_staff)
    post_report(client, task, [pdf()])
    evidence = Evidence.objects.get()
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/media-not-served/{evidence.file.name}").status_code == 404


def test_files_stored_by_a_failed_save_are_removed(client, task, lead_staff, lead_head, supervisor_user, settings):
    from tasks import services

    accepted = services.report_save(
        task=task, department=task.lead_department, month=datetime.date(task.plan.year, 4, 1),
        author=lead_staff, progress="四月。", percent=60,
    )
    services.report_submit(report=accepted, actor=lead_head)
    services.report_accept(report=accepted, actor=supervisor_user)
    client.force_login(lead_staff)
    # 40% after an accepted 60% without a reason: the service refuses after the files were stored.
    response = post_report(client, task, [pdf()], percent=40)
    assert response.status_code == 400
    assert "请说明原因" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_300_character_name_is_stored_shortened_with_its_extension(client, task, lead_staff, settings):
    client.force_login(lead_staff)
    response = post_report(client, task, [upload("关于" + "长" * 296 + ".pdf", pdf_bytes())])
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert len(evidence.original_name) <= 255 and evidence.original_name.endswith(".pdf")
    assert len(evidence.file.name) < 100, "the stored name is the random one, not the user's"
    assert len(stored_files(settings)) == 1


def test_a_file_is_replaced_on_a_draft_and_the_old_one_stays_only_in_the_history(client, task, lead_staff, lead_head,
                                                                                    supervisor_user):
    from reports.selectors.ledger import monthly_ledger
    from tasks import services
    from tasks.history import task_history

    client.force_login(lead_staff)
    assert post_report(client, task, [upload("初稿.pdf", pdf_bytes())]).status_code == 302
    old = Evidence.objects.get()
    report = ProgressReport.objects.get()

    # A refused save (no progress text) keeps the text typed and the file ticked for removal.
    refused = post_report(client, task, [], progress="", problems="经费未到位", remove_evidence=[old.pk],
                          version=report.version)
    page = refused.content.decode()
    assert refused.status_code == 400 and "经费未到位" in page and f'value="{old.pk}" checked' in page
    assert Evidence.objects.count() == 1

    replaced = post_report(client, task, [upload("定稿.pdf", pdf_bytes())], remove_evidence=[old.pk],
                           version=report.version)
    assert replaced.status_code == 302
    assert [e.original_name for e in report.evidence.all()] == ["定稿.pdf"]
    removed = Evidence.all_objects.get(pk=old.pk)
    assert removed.removed_by == lead_staff and removed.file.storage.exists(removed.file.name), "kept"
    entry = next(e for e in task_history(task, lead_staff) if "初稿.pdf" in e.subject)
    assert client.get(entry.url).status_code == 200, "the history's link still opens the removed file"
    services.report_submit(report=ProgressReport.objects.get(), actor=lead_head)
    rows = list(monthly_ledger(plan=task.plan, month=report.month, on=datetime.date(task.plan.year, 5, 31)))
    assert [r.evidence_names for r in rows if r.number == task.display_number] == [["定稿.pdf"]]

    # Once submitted, the evidence is fixed.
    with pytest.raises(ValidationError):
        services.report_save(task=task, department=report.department, month=report.month, author=lead_staff,
                             progress="改", percent=30, remove_evidence=[replaced and report.evidence.get().pk])
    assert report.evidence.count() == 1


def test_a_stored_file_changed_behind_the_portals_back_is_not_served(client, task, lead_staff):
    from departments.models import AuditEvent
    from tasks.services import evidence_attach

    [evidence] = evidence_attach(task=task, uploads=check_uploads([upload("方案.pdf", pdf_bytes())]), actor=lead_staff)
    client.force_login(lead_staff)
    url = reverse("tasks:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 200
    with evidence.file.storage.open(evidence.file.name, "wb") as handle:
        handle.write(pdf_bytes() + b"% tampered")
    response = client.get(url)
    assert response.status_code == 409 and "完整性" in response.content.decode()
    assert AuditEvent.objects.filter(event="evidence_integrity", result="failure").exists()
