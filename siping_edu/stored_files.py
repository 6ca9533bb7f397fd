"""Files in the default storage (the local MEDIA_ROOT or an S3-compatible bucket), the same way
for both: permission-checked downloads, listing, and the sweep of files no record refers to."""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import content_disposition_header

def storage_errors():
    """What a refusing store raises: a full or read-only disk (OSError: ENOSPC, EROFS, EACCES), or an
    S3 service that is unreachable, full or denies the write (botocore's errors)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (OSError, BotoCoreError, ClientError)


# Prefixes the portal writes under (upload_to of its FileFields, and the intake's waiting uploads).
EVIDENCE_PREFIX = "evidence/"
SUMMARY_PREFIX = "summaries/"
BULLETIN_PREFIX = "bulletins/"
UPLOAD_PREFIX = "imports/"


def download_response(field_file, *, filename, content_type, inline=False, handle=None):
    """The response for a download the caller has already permitted.

    Streaming (the default) sends the bytes through the portal; with FILE_DOWNLOADS=redirect and
    object storage, the browser is sent to a presigned URL valid FILE_DOWNLOAD_URL_SECONDS, which
    asks the object store to answer with the same Content-Type and Content-Disposition. `handle`
    is an already opened file (the caller may have read it to check it)."""
    disposition = content_disposition_header(not inline, filename)
    if settings.FILE_DOWNLOADS == "redirect":
        url = field_file.storage.url(field_file.name, parameters={
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        })
        response = HttpResponseRedirect(_through_proxy(url))
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(handle or field_file.open("rb"), as_attachment=not inline, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _through_proxy(url):
    """The presigned URL on the proxy's path to the bucket (FILE_DOWNLOAD_BASE_URL), which adds
    nosniff; the signature stays valid because the proxy forwards with the store's own Host."""
    if not settings.FILE_DOWNLOAD_BASE_URL:
        return url
    signed = urlsplit(url)
    base = urlsplit(settings.FILE_DOWNLOAD_BASE_URL.rstrip("/"))
    return urlunsplit((base.scheme, base.netloc, base.path + signed.path, signed.query, ""))


def stored_names(prefix=""):
    """Every file name under `prefix` (a folder name ending in /, or "" for all), recursively."""
    folder = prefix.rstrip("/")
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # the local folder was never created
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for child in folders:
        names.extend(stored_names(f"{folder}/{child}/" if folder else f"{child}/"))
    return sorted(names)


def sweep_unreferenced(referenced, *, prefixes=(EVIDENCE_PREFIX, SUMMARY_PREFIX, BULLETIN_PREFIX, UPLOAD_PREFIX),
                       now=None):
    """Delete stored files under `prefixes` that are not in `referenced` and are older than
    STORED_FILE_GRACE_HOURS (a request or a job still running may be about to refer to a newer
    one). Returns the names deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.STORED_FILE_GRACE_HOURS)
    deleted = []
    for prefix in prefixes:
        for name in stored_names(prefix):
            if name not in referenced and default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted.append(name)
    return deleted
