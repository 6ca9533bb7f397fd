"""Writes of evidence files (佐证材料)."""

from tasks.models import Evidence

from .common import atomic_with_files, remember_stored_file


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
        evidence.file.save(upload.original_name, upload.file, save=False)
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
