"""Checks on uploaded evidence files: the type is read from the content, never trusted from the name."""

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The extensions a detected type may carry; .jpeg is a common spelling of .jpg.
EXTENSIONS_OF_TYPE = {"jpg": {"jpg", "jpeg"}}
INLINE_PREVIEW_TYPES = {"application/pdf", "image/jpeg", "image/png"}
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_original_name(name):
    """The file's own name without any directory part, shortened to fit, keeping its extension."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name.strip().replace("\x00", "")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:10] if dot else ""
        name = stem[: MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix if dot else name[:MAX_NAME_LENGTH]
    return name


def check_upload(uploaded):
    """Validate one uploaded file; raises ValidationError with a message naming the file."""
    raw_name = uploaded.name or ""
    # Browsers send a bare file name; a path in it is a forged request, not a user's mistake.
    if "/" in raw_name or "\\" in raw_name or raw_name.startswith(".."):
        raise ValidationError(
            _("“%(name)s” contains a folder path; choose the file itself.") % {"name": raw_name[:80]}
        )
    name = clean_original_name(raw_name)
    if not name or name in {".", ".."}:
        raise ValidationError(_("A file has no usable name."))
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            }
        )
    uploaded.seek(0)
    detected = filetype.guess(uploaded.read(8192))
    uploaded.seek(0)
    allowed = settings.EVIDENCE_ALLOWED_TYPES
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if detected is None or detected.extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": name, "types": "、".join(allowed)}
        )
    if extension not in EXTENSIONS_OF_TYPE.get(detected.extension, {detected.extension}):
        raise ValidationError(
            _("“%(name)s” is named .%(extension)s but its content is %(actual)s.")
            % {"name": name, "extension": extension or "?", "actual": detected.extension.upper()}
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(
        file=uploaded,
        original_name=name,
        content_type=detected.mime,
        size=uploaded.size,
        sha256=digest.hexdigest(),
    )


def check_uploads(files):
    """Validate a batch: all files pass or none is kept, and every problem is named."""
    if len(files) > settings.EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("At most %(limit)d files can be uploaded at once; you chose %(count)d.")
            % {"limit": settings.EVIDENCE_MAX_FILES, "count": len(files)}
        )
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def open_if_intact(evidence):
    """The stored file, opened and rewound, if it still has the SHA-256 recorded at upload
    (存储完整性); None for a file changed or swapped on the disk or in the bucket. It is read once:
    from a bucket, the object is fetched once for both the check and the download."""
    handle = evidence.file.storage.open(evidence.file.name, "rb")
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    if not hmac.compare_digest(digest.hexdigest(), evidence.sha256):
        handle.close()
        return None
    handle.seek(0)
    return handle
