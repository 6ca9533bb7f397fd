"""Backup and restore: the database, the evidence and summary files, and a manifest of checksums.

A backup is a folder:
    manifest.json       what is inside, with the SHA-256 and size of every file, and row counts
    database.dump       PostgreSQL: `pg_dump --format=custom`;  database.sqlite3 for SQLite
    media/…             every file of the default storage (MEDIA_ROOT or the bucket), as stored

`backup_restore` checks every checksum before it touches anything, refuses a database that
already holds data, restores, then checks the restored files and row counts against the manifest.
Files are read from and written to the default storage, so a backup made from a bucket restores
into a local folder and back.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from siping_edu.stored_files import UPLOAD_PREFIX, stored_names

MANIFEST = "manifest.json"
COUNTED = {
    "tasks": "tasks_task",
    "reports": "tasks_progressreport",
    "evidence": "tasks_evidence",
    "milestones": "tasks_milestone",
    "users": "auth_user",
    "history": "tasks_historicaltask",
}


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts(cursor):
    counts = {}
    for name, table in COUNTED.items():
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def backup_create(target_root):
    """Write a new backup folder under `target_root` and return its path."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(target_root) / f"siping-edu-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    # The dump holds password hashes and every report: readable by the owner only.
    folder.chmod(0o700)
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        dump = folder / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *_pg_arguments(database)],
             _pg_environment(database))
    elif connection.vendor == "sqlite":
        dump = folder / "database.sqlite3"
        name = str(database["NAME"])
        source = sqlite3.connect(name, uri=name.startswith("file:"))  # the test database is a shared in-memory one
        with sqlite3.connect(dump) as copy:
            source.backup(copy)  # a consistent copy even while the portal writes
        source.close()
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    files = {}
    for name in stored_names():
        if name.startswith(UPLOAD_PREFIX):
            continue  # uploads waiting for confirmation are not part of the record
        destination = folder / "media" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(destination, "wb") as copy:
            shutil.copyfileobj(source, copy, 2**20)
        files[f"media/{name}"] = {"sha256": sha256_of(destination), "size": destination.stat().st_size}
    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    manifest = {
        "created_at": datetime.datetime.now().astimezone().isoformat(),
        "database_vendor": connection.vendor,
        "database_file": dump.name,
        "database_sha256": sha256_of(dump),
        "row_counts": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return folder


def backup_verify(folder):
    """Every file of the backup is present with its recorded checksum; returns the manifest."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{folder} has no readable {MANIFEST}; it is not a backup of this portal.")
    unsafe = [name for name in [manifest.get("database_file", ""), *manifest.get("files", {})]
              if not _inside(name, prefix="media/" if name != manifest.get("database_file") else "")]
    if unsafe:
        # A name such as media/../../etc/x would write outside MEDIA_ROOT on restore.
        raise BackupError("The manifest names files outside the backup; nothing was restored: " + "; ".join(unsafe[:5]))
    problems = []
    dump = folder / manifest["database_file"]
    if not dump.exists() or sha256_of(dump) != manifest["database_sha256"]:
        problems.append(f"{manifest['database_file']}: missing or its checksum differs")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.exists() or sha256_of(path) != expected["sha256"]:
            problems.append(f"{name}: missing or its checksum differs")
    if problems:
        raise BackupError("The backup is damaged; nothing was restored. " + "; ".join(problems[:10]))
    return manifest


def _inside(name, *, prefix):
    """A plain relative path below `prefix`, with no .. and not absolute."""
    path = PurePosixPath(name)
    return (bool(name) and "\\" not in name and not path.is_absolute() and ".." not in path.parts
            and name.startswith(prefix) and (prefix or "/" not in name))


def backup_restore(folder):
    """Restore into the configured, empty database and media folder; returns the manifest."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(f"This backup is of a {manifest['database_vendor']} database, not {connection.vendor}.")
    if connection.introspection.table_names():
        raise BackupError("The database is not empty; restore only into a new, empty database.")
    if stored_names():
        raise BackupError(f"The file storage ({_storage_description()}) is not empty; restore only into an empty one.")
    database = connection.settings_dict
    dump = folder / manifest["database_file"]
    if connection.vendor == "postgresql":
        connection.close()
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", database["NAME"],
              *_pg_arguments(database, with_name=False), str(dump)], _pg_environment(database))
    else:
        connection.close()
        with sqlite3.connect(dump) as source, sqlite3.connect(database["NAME"]) as target:
            source.backup(target)
    for name in manifest["files"]:
        stored_name = PurePosixPath(name).relative_to("media").as_posix()
        with open(folder / name, "rb") as source:
            saved = default_storage.save(stored_name, File(source))
        if saved != stored_name:
            raise BackupError(f"{stored_name} was stored as {saved}; the storage was not empty.")
    _check_restored(manifest)
    return manifest


def _storage_description():
    bucket = settings.OBJECT_STORAGE_BUCKET
    return f"bucket {bucket}" if bucket else f"folder {settings.MEDIA_ROOT}"


def _stored_sha256(name):
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_restored(manifest):
    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    if counts != manifest["row_counts"]:
        raise BackupError(f"Restored rows {counts} differ from the backup's {manifest['row_counts']}.")
    for name, expected in manifest["files"].items():
        if _stored_sha256(PurePosixPath(name).relative_to("media").as_posix()) != expected["sha256"]:
            raise BackupError(f"Restored file {name} differs from the backup.")


def _pg_arguments(database, with_name=True):
    arguments = []
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    if with_name:
        arguments += [database["NAME"]]
    return arguments


def _pg_environment(database):
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]  # never on the command line
    return environment


def _run(command, environment):
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
