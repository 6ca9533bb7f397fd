"""Object storage specifics: nothing on the local disk, presigned downloads, the sweep of files no
record refers to. (The evidence, summary, import and backup tests themselves run on both storages.)"""

import datetime
import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from ops.jobs import referenced_file_names
from reports.services import bulletin_generate
from siping_edu.stored_files import stored_names, sweep_unreferenced
from tasks.evidence import check_uploads
from tasks.models import Evidence
from tasks.services import evidence_attach

from ..conftest import s3_bucket, use_s3
from ..files import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(settings, s3_endpoint):
    name = s3_bucket(s3_endpoint)
    use_s3(settings, s3_endpoint, name)
    return name


def test_evidence_goes_to_the_bucket_and_nothing_to_the_local_disk(bucket, settings, task, lead_staff, client):
    [evidence] = evidence_attach(task=task, uploads=check_uploads([upload("方案.pdf", pdf_bytes())]), actor=lead_staff)
    assert stored_names() == [evidence.file.name]
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))
    client.force_login(lead_staff)
    response = client.get(reverse("tasks:evidence_download", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_redirected_downloads_are_presigned_and_keep_the_name_and_type(bucket, settings, task, lead_staff, client):
    settings.FILE_DOWNLOADS = "redirect"
    [evidence] = evidence_attach(task=task, uploads=check_uploads([upload("工作方案.pdf", pdf_bytes())]), actor=lead_staff)
    url = reverse("tasks:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 302 and "X-Amz-Signature" not in client.get(url)["Location"], \
        "anonymous: to the login page"
    client.force_login(lead_staff)
    response = client.get(url)
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    with urllib.request.urlopen(location) as fetched:  # the object store answers the browser itself
        assert fetched.read() == pdf_bytes()
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''%E5%B7%A5%E4%BD%9C%E6%96%B9%E6%A1%88.pdf" in fetched.headers["Content-Disposition"]
    # (moto does not check signatures, so a tampered URL cannot be shown refused here; MinIO and
    # every S3 service do.)

    # Behind the proxy's path to the bucket (deploy/nginx adds nosniff there) the signature stays.
    settings.FILE_DOWNLOAD_BASE_URL = "https://portal.example.cn/objects/"
    proxied = urllib.parse.urlsplit(client.get(url)["Location"])
    direct = urllib.parse.urlsplit(location)
    assert (proxied.scheme, proxied.netloc) == ("https", "portal.example.cn")
    assert proxied.path == "/objects" + direct.path and "X-Amz-Signature=" in proxied.query


def test_the_sweep_removes_only_old_files_no_record_refers_to(bucket, task, lead_staff):
    [kept] = evidence_attach(task=task, uploads=check_uploads([upload("方案.pdf", pdf_bytes())]), actor=lead_staff)
    orphan = default_storage.save("evidence/ab/orphan.pdf", ContentFile(b"left by a killed request"))
    waiting = default_storage.save("imports/0123456789abcdef0123456789abcdef.xlsx", ContentFile(b"never confirmed"))
    bulletin = bulletin_generate(plan=task.plan, month=1, today=datetime.date(task.plan.year, 2, 1))
    abandoned = default_storage.save("bulletins/2021-M01-20210201.docx", ContentFile(b"a killed run's"))
    elsewhere = default_storage.save("health_check_storage_test/x.txt", ContentFile(b"not ours to sweep"))

    assert sweep_unreferenced(referenced_file_names()) == [], "files younger than the grace period stay"
    later = timezone.now() + datetime.timedelta(hours=25)
    assert sorted(sweep_unreferenced(referenced_file_names(), now=later)) == sorted([orphan, waiting, abandoned])
    assert stored_names() == sorted([kept.file.name, elsewhere, bulletin.xlsx.name, bulletin.docx.name])
    Evidence.objects.filter(pk=kept.pk).update(removed_at=timezone.now())
    assert sweep_unreferenced(referenced_file_names(), now=later) == [], "a removed file stays for the history"
