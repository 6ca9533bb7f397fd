"""The audit administrator's page: the security audit log."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from .. import audit, selectors
from ..forms import (
    AuditFilterForm,
)
from ..permissions import (
    can_read_audit_log,
)


class AuditorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return can_read_audit_log(self.request.user)


class AuditLogView(AuditorRequiredMixin, TemplateView):
    """The security audit log for the audit administrator: search, page, export."""

    template_name = "departments/audit_log.html"
    PAGE_SIZE = 50

    def events(self):
        form = AuditFilterForm(self.request.GET or None)
        return form, selectors.audit_events(**(form.cleaned_data if form.is_valid() else {}))

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form, events = self.events()
        page = Paginator(events, self.PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(nav="audit", form=form, page=page, query=params.urlencode(), **kwargs)

    def export(self):
        import csv
        import io

        from django.http import FileResponse

        from siping_edu.spreadsheets import inert_csv_text

        form, events = self.events()
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(["时间", "用户", "地址", "事件", "对象", "结果", "详情", "摘要"])
        for event in events[:100000].iterator():
            writer.writerow([inert_csv_text(value) for value in (
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"), event.username, event.address,
                event.event, event.object_repr, event.get_result_display(), event.detail, event.digest)])
        audit.record("audit_export", detail=self.request.GET.urlencode()[:500])
        return FileResponse(io.BytesIO(("\ufeff" + text.getvalue()).encode("utf-8")), as_attachment=True,
                            filename=f"安全审计日志-{timezone.localdate():%Y%m%d}.csv", content_type="text/csv; charset=utf-8")


# Two-factor authentication
