"""Evidence downloads, permission-checked."""


from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views import View

from departments import audit
from departments.models import AuditEvent
from tasks import selectors
from tasks.evidence import INLINE_PREVIEW_TYPES, stored_file_intact


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = selectors.evidence_for_viewer(request.user, pk)
        audit.record("evidence_download", obj=evidence)
        inline = request.GET.get("inline") == "1" and evidence.content_type in INLINE_PREVIEW_TYPES
        try:
            intact = stored_file_intact(evidence)
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            # The record outlived its file (e.g. a restore without media): say so, do not crash.
            raise Http404("The file is missing from storage")
        if not intact:
            audit.record("evidence_integrity", obj=evidence, result=AuditEvent.Result.FAILURE,
                         detail="stored file does not match the SHA-256 recorded at upload")
            return render(request, "tasks/evidence_damaged.html", {"evidence": evidence}, status=409)
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
