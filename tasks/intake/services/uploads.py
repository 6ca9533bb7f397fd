"""An uploaded task list kept between its preview and the confirmation, under a random name, in
the default storage: the confirmation may reach another web host than the preview did."""

import uuid

from django.core.files.storage import default_storage

from siping_edu.stored_files import UPLOAD_PREFIX


def _upload_name(token):
    return f"{UPLOAD_PREFIX}{token}.xlsx"


def store_upload(upload):
    """Keep an uploaded sheet between preview and confirmation, under a random name."""
    token = uuid.uuid4().hex
    default_storage.save(_upload_name(token), upload)
    return token


def upload_exists(token):
    return default_storage.exists(_upload_name(token))


def open_upload(token):
    return default_storage.open(_upload_name(token), "rb")


def discard_upload(token):
    default_storage.delete(_upload_name(token))
