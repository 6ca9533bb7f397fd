"""`make bench` rows for several hosts (ops/cluster.py): requests per second through the proxy
with one and two instances, and an evidence download from S3 against the local disk."""

import os
import shutil
import tempfile
from pathlib import Path

from django.db import connection
from django.test import Client

from ops.bench import BenchRow, _row, _timed
from ops.bench_load import _database_url, _wrk


def bench_cluster(big, username, password, seconds):
    from ops.cluster import Cluster, nginx_binary, portal_login, portal_session

    wrk = shutil.which("wrk")
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL") or not nginx_binary() or not wrk:
        return [BenchRow("Through the proxy: 2 instances ÷ 1", 0, 0, 0, "report", "req/s",
                         "skipped: needs PostgreSQL, REDIS_URL, nginx and wrk (make bench with .ci/run's URLs)")]
    import urllib3
    from moto.server import ThreadedMotoServer

    from tasks.models import Task

    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    task = Task.objects.filter(plan=big).order_by("number")[big.tasks.count() // 2]
    task_path = f"/plans/{big.year}/tasks/{task.number}/"
    s3_port = _free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    results = {}
    try:
        environment = _cluster_environment(f"http://127.0.0.1:{s3_port}")
        # The same number of gunicorn workers either way (one instance of two, or two of one), so the
        # ratio shows what the proxy and the shared database, cache and storage cost, not more CPU.
        for instances in (1, 2):
            with tempfile.TemporaryDirectory() as root, Cluster(Path(root), environment, web_count=instances,
                                                                web_workers=2 // instances, beat_count=0) as cluster:
                session = portal_session()
                portal_login(session, cluster.url, username, password)
                cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
                results[instances] = {
                    "login": _wrk(wrk, cluster.url + "/accounts/login/", [], seconds),
                    "task": _wrk(wrk, cluster.url + task_path, ["-H", f"Cookie: {cookie}"], seconds),
                }
    finally:
        s3.stop()
    errors = sum(result["errors"] for by_page in results.values() for result in by_page.values())
    note = (f"nginx + 1 gunicorn of 2 workers, or 2 of 1 worker, + PostgreSQL + Redis + S3, {os.cpu_count()} cores, "
            f"16 connections, "
            f"{seconds} s; req/s login {results[1]['login']['rps']:.0f} → {results[2]['login']['rps']:.0f}, task page "
            f"{results[1]['task']['rps']:.0f} → {results[2]['task']['rps']:.0f}; errors {errors}")
    return [
        _row("Through the proxy: task page req/s, 2 instances ÷ 1", results[2]["task"]["rps"], results[1]["task"]["rps"],
             ">= 0.8", "req/s", note),
        _row("Through the proxy: login page req/s, 2 instances ÷ 1", results[2]["login"]["rps"],
             results[1]["login"]["rps"], ">= 0.8", "req/s"),
        BenchRow("Through the proxy: errors", errors, 0, float(errors), "= 0", "errors"),
    ]


def _free_port():
    import logging

    from ops.cluster import free_port

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's S3 server logs every request

    return free_port()


def _new_bucket(s3_endpoint):
    """A new bucket on the endpoint, as the portal's OBJECT_STORAGE_* settings."""
    import uuid

    import boto3

    bucket = f"bench-{uuid.uuid4().hex[:10]}"
    keys = {"OBJECT_STORAGE_ACCESS_KEY": "bench", "OBJECT_STORAGE_SECRET_KEY": "bench-secret",
            "OBJECT_STORAGE_REGION": "us-east-1"}
    boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=keys["OBJECT_STORAGE_ACCESS_KEY"],
                 aws_secret_access_key=keys["OBJECT_STORAGE_SECRET_KEY"], region_name="us-east-1").create_bucket(Bucket=bucket)
    return {"OBJECT_STORAGE_BUCKET": bucket, "OBJECT_STORAGE_ENDPOINT_URL": s3_endpoint, **keys}


def _cluster_environment(s3_endpoint):
    redis_url = f"{os.environ['REDIS_URL'].rsplit('/', 1)[0]}/8"
    return {"DATABASE_URL": _database_url(), "REDIS_URL": redis_url, **_new_bucket(s3_endpoint)}


def bench_evidence_download(task, staff, repeat=30):
    """One 200 KB evidence file downloaded through the portal's view (permission check, SHA-256
    check, streaming), from an S3 endpoint over HTTP on loopback and from the local disk."""
    from django.core.files.base import ContentFile
    from django.test import override_settings
    from moto.server import ThreadedMotoServer

    from tasks.evidence import check_uploads
    from tasks.services import evidence_attach

    content = b"%PDF-1.4\n" + os.urandom(200 * 1024)
    upload = ContentFile(content, name="佐证材料.pdf")
    upload.content_type = "application/pdf"
    [evidence] = evidence_attach(task=task, uploads=check_uploads([upload]), actor=staff)
    client = Client()
    client.force_login(staff)
    url = f"/evidence/{evidence.pk}/"

    def download():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert len(b"".join(response.streaming_content)) == len(content)

    local, _ = _timed(download, repeat=repeat)
    port = _free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    try:
        environment = _new_bucket(f"http://127.0.0.1:{port}")
        storages = {**settings_storages(), "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": environment["OBJECT_STORAGE_BUCKET"], "endpoint_url": environment["OBJECT_STORAGE_ENDPOINT_URL"],
            "access_key": "bench", "secret_key": "bench-secret", "region_name": "us-east-1",
            "addressing_style": "path", "default_acl": None, "file_overwrite": True}}}
        with override_settings(STORAGES=storages, OBJECT_STORAGE_BUCKET=environment["OBJECT_STORAGE_BUCKET"]):
            from django.core.files.storage import default_storage

            default_storage.save(evidence.file.name, ContentFile(content))
            remote, _ = _timed(download, repeat=repeat)
    finally:
        s3.stop()
    return [_row("Evidence download (200 KB): S3 endpoint ÷ local disk", remote, local, "report",
                 note=f"best of {repeat} through the download view; moto's S3 server on loopback")]


def settings_storages():
    from django.conf import settings

    return dict(settings.STORAGES)
