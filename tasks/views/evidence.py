"""Evidence downloads, permission-checked."""


from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.views import View

from departments import audit
from departments.models import AuditEvent
from siping_edu.stored_files import download_response
from tasks import selectors
from tasks.evidence import INLINE_PREVIEW_TYPES, open_if_intact


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = selectors.evidence_for_viewer(request.user, pk)
        audit.record("evidence_download", obj=evidence)
        inline = request.GET.get("inline") == "1" and evidence.content_type in INLINE_PREVIEW_TYPES
        handle = None
        if settings.FILE_DOWNLOADS == "stream":
            # Streamed files are read once: checked against the SHA-256 recorded at upload, then
            # sent. (Redirected downloads go from the object store to the browser unread.)
            try:
                handle = open_if_intact(evidence)
            except FileNotFoundError:
                # The record outlived its file (e.g. a restore without media): say so, do not crash.
                raise Http404("The file is missing from storage")
            if handle is None:
                audit.record("evidence_integrity", obj=evidence, result=AuditEvent.Result.FAILURE,
                             detail="stored file does not match the SHA-256 recorded at upload")
                return render(request, "tasks/evidence_damaged.html", {"evidence": evidence}, status=409)
        response = download_response(evidence.file, filename=evidence.original_name,
                                     content_type=evidence.content_type, inline=inline, handle=handle)
        if handle is not None:
            response["Content-Security-Policy"] = (
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        return response
