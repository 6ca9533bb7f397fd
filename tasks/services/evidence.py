"""Writes of evidence files (佐证材料)."""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from siping_edu.stored_files import storage_errors
from tasks.models import Evidence

from .common import atomic_with_files, remember_stored_file

logger = logging.getLogger(__name__)


@atomic_with_files
def evidence_attach(*, task, uploads, actor, report=None, milestone=None, request=None):
    """Store checked uploads (see tasks.evidence.check_uploads) under random names."""
    created = []
    for upload in uploads:
        evidence = Evidence(
            task=task, report=report, milestone=milestone, request=request,
            original_name=upload.original_name, size=upload.size, sha256=upload.sha256,
            content_type=upload.content_type, uploaded_by=actor,
        )
        try:
            evidence.file.save(upload.original_name, upload.file, save=False)
        except storage_errors() as error:
            # The disk is full or the bucket refuses: the whole save is refused (files stored before
            # this one are deleted with the rollback) and the form keeps what was typed.
            logger.warning("evidence not stored: %s", error)
            raise ValidationError(
                _("The file store did not accept “%(name)s”, so nothing was saved. What you typed is kept: "
                  "try again later, or save without the file.") % {"name": upload.original_name}
            ) from error
        remember_stored_file(evidence.file.storage, evidence.file.name)
        evidence.full_clean()
        evidence.save()
        created.append(evidence)
    return created


def evidence_remove_from_report(*, report, evidence_ids, actor):
    """Take files off a draft or returned report (to replace them, or attached by mistake). The
    caller has checked the report is editable; the files stay for the history."""
    from django.utils import timezone

    return Evidence.objects.filter(report=report, pk__in=list(evidence_ids)).update(
        removed_at=timezone.now(), removed_by=actor)
