"""make backup, then a restore into an empty database and file storage finds everything; from the
local disk into a new local folder, and from an S3 bucket into a new bucket."""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from ops.backup import BackupError, backup_create, backup_verify
from tasks import services
from tasks.evidence import check_uploads
from tasks.models import Evidence, ProgressReport, Task

from .. import factories
from ..files import pdf, png_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recorded_work(task, lead_head, supervisor_user):
    month = datetime.date(task.plan.year, 3, 1)
    report = services.report_save(task=task, department=task.lead_department, month=month, author=lead_head,
                                  progress="三月进展。", percent=30, uploads=check_uploads([pdf(), upload("现场照片.png", png_bytes(), "image/png")]))
    services.report_submit(report=report, actor=lead_head)
    services.report_accept(report=report, actor=supervisor_user)
    factories.assigned_task(lead=task.lead_department, number=2, plan=task.plan, section=task.section)
    return report


def restore_in_new_process(folder, database_url, target):
    environment = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", **target.environment}
    return subprocess.run([sys.executable, "manage.py", "restore", str(folder)], cwd=settings.BASE_DIR,
                          env=environment, capture_output=True, text=True)


class RestoreTarget:
    """A new, empty file storage of the kind the test runs on: a local folder or an S3 bucket."""

    def __init__(self, kind, tmp_path, endpoint=None):
        self.kind, self.endpoint = kind, endpoint
        if kind == "s3":
            from ..conftest import s3_bucket, s3_settings

            self.bucket = s3_bucket(endpoint)
            self.environment = s3_settings(endpoint, self.bucket)
        else:
            self.root = tmp_path / f"restored-media-{uuid.uuid4().hex[:6]}"
            self.environment = {"MEDIA_ROOT": str(self.root)}

    def read(self, name):
        if self.kind == "local":
            return (self.root / name).read_bytes()
        from ..conftest import s3_client

        client = s3_client(self.endpoint)
        return client.get_object(Bucket=self.bucket, Key=name)["Body"].read()

    def is_empty(self):
        if self.kind == "local":
            return not self.root.exists()
        from ..conftest import s3_client

        client = s3_client(self.endpoint)
        return client.list_objects_v2(Bucket=self.bucket)["KeyCount"] == 0


@pytest.fixture
def new_storage(file_storage, tmp_path, request):
    """Makes new empty restore targets of the kind the test's own files are on."""
    endpoint = request.getfixturevalue("s3_endpoint") if file_storage == "s3" else None
    return lambda: RestoreTarget(file_storage, tmp_path, endpoint)


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same kind as the test database, and a way to count its rows."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count(table):
            with sqlite3.connect(path) as database:
                return database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

        yield f"sqlite:///{path}", count
        return
    import psycopg2

    database = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(host=database["HOST"], port=database["PORT"], user=database["USER"],
                             password=database["PASSWORD"], dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def count(table):
        with psycopg2.connect(host=database["HOST"], port=database["PORT"], user=database["USER"],
                              password=database["PASSWORD"], dbname=name) as restored:
            with restored.cursor() as cursor:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                return cursor.fetchone()[0]

    yield f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{name}", count
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_an_empty_database_and_file_storage(file_storage, recorded_work, tmp_path, empty_database,
                                                                   new_storage):
    folder = backup_create(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"]["tasks"] == Task.objects.count() == 2
    assert manifest["row_counts"]["reports"] == ProgressReport.objects.count() == 1
    originals = {evidence.file.name: hashlib.sha256(evidence.file.open("rb").read()).hexdigest()
                 for evidence in Evidence.objects.all()}
    assert len(originals) == 2 and all(f"media/{name}" in manifest["files"] for name in originals)

    database_url, count = empty_database
    target = new_storage()
    result = restore_in_new_process(folder, database_url, target)
    assert result.returncode == 0, result.stderr
    assert "checksums equal" in result.stdout
    assert (count("tasks_task"), count("tasks_progressreport"), count("tasks_evidence")) == (2, 1, 2)
    assert count("tasks_historicaltask") == Task.history.count()
    for name, checksum in originals.items():
        assert hashlib.sha256(target.read(name)).hexdigest() == checksum, name

    again = restore_in_new_process(folder, database_url, new_storage())
    assert again.returncode != 0 and "not empty" in again.stderr, "a database with data is never overwritten"


def test_a_damaged_backup_is_refused_before_anything_is_restored(file_storage, recorded_work, tmp_path, empty_database, new_storage):
    folder = backup_create(tmp_path / "backups")
    damaged = next(path for path in (folder / "media").rglob("*") if path.is_file())
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")
    with pytest.raises(BackupError, match="damaged"):
        backup_verify(folder)
    database_url, count = empty_database
    target = new_storage()
    result = restore_in_new_process(folder, database_url, target)
    assert result.returncode != 0 and "damaged" in result.stderr
    assert target.is_empty()


def test_a_backup_is_readable_by_its_owner_only(recorded_work, tmp_path):
    folder = backup_create(tmp_path / "backups")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.stat().st_mode & 0o777 for path in folder.rglob("*") if path.is_file()} == {0o600}


@pytest.mark.parametrize("name", ["media/../../outside.txt", "/etc/passwd", "media/../secret", "../media/x",
                                  "other/x.pdf"])
def test_a_manifest_naming_files_outside_the_backup_is_refused(recorded_work, tmp_path, empty_database, name):
    folder = backup_create(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = {"sha256": "0" * 64, "size": 1}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="outside the backup"):
        backup_verify(folder)
    database_url, _count = empty_database
    target = RestoreTarget("local", tmp_path)
    result = restore_in_new_process(folder, database_url, target)
    assert result.returncode != 0 and not (tmp_path / "outside.txt").exists()
    assert target.is_empty()
