"""An uploaded task list kept between its preview and the confirmation, under a random name."""

import uuid
from pathlib import Path

from django.conf import settings


def _upload_path(token):
    return Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx"


def store_upload(upload):
    """Keep an uploaded sheet between preview and confirmation, under a random name."""
    token = uuid.uuid4().hex
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return token


def upload_exists(token):
    return _upload_path(token).exists()


def open_upload(token):
    return _upload_path(token).open("rb")


def discard_upload(token):
    _upload_path(token).unlink(missing_ok=True)
