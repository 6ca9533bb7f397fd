"""Pages of the documents jobs build: quarterly summaries (季度进展总结) and scoring bulletins
(考核通报) — the list with each one's state (polled by htmx while one is being built), the
button that builds one now, and the downloads. One set of views serves both kinds."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from departments import audit
from siping_edu.stored_files import download_response
from tasks import selectors as task_selectors

from . import services
from .bulletin_files import bulletin_title
from .models import QuarterlySummary, ScoreBulletin
from .permissions import can_generate_summaries, can_read_bulletins, can_read_summaries
from .views import XLSX, DashboardMixin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentListView(DashboardMixin, TemplateView):
    list_name = ""

    def may_read(self, user):
        raise NotImplementedError

    def get_template_names(self):
        if self.request.htmx:
            return [f"{self.template_name}#documents"]
        return [self.template_name]

    def rows(self, plan, on):
        """[(label, key, record or None)] in the order the page lists them."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        if not self.may_read(self.request.user):
            raise PermissionDenied
        plan, on, _departments, _department, form = self.filters()
        rows = self.rows(plan, on)
        return super().get_context_data(
            nav="dashboard", plan=plan, rows=rows, filter_form=form, list_url=reverse(self.list_name),
            can_generate=can_generate_summaries(self.request.user),
            polling=any(record and record.is_busy for _label, _key, record in rows), **kwargs)


class SummaryListView(DocumentListView):
    template_name = "reports/summary_list.html"
    list_name = "reports:summaries"

    def may_read(self, user):
        return can_read_summaries(user)

    def rows(self, plan, on):
        summaries = {summary.quarter: summary for summary in services.summaries_for_plan(plan)}
        return [(f"{plan.year}年第{quarter}季度", quarter, summaries.get(quarter)) for quarter in range(1, 5)]


class BulletinListView(DocumentListView):
    """The plan's bulletins: one per month up to the dashboard's month, and the year's."""

    template_name = "reports/bulletin_list.html"
    list_name = "reports:bulletins"

    def may_read(self, user):
        return can_read_bulletins(user)

    def rows(self, plan, on):
        bulletins = {bulletin.month: bulletin for bulletin in services.bulletins_for_plan(plan)}
        months = [(f"{plan.year}年{month}月", month) for month in range(on.month, 0, -1)]
        return [(label, month, bulletins.get(month))
                for label, month in [(f"{plan.year}年度", ScoreBulletin.WHOLE_YEAR), *months]]


class DocumentGenerateView(DashboardMixin, View):
    list_name = ""
    keys = ()

    def request_document(self, plan, key, actor):
        raise NotImplementedError

    def post(self, request, year, key):
        if not can_generate_summaries(request.user):
            raise PermissionDenied
        plan = task_selectors.plan_for_viewer(request.user, year=year)
        if key not in self.keys:
            raise Http404
        self.request_document(plan, key, request.user)
        messages.success(request, _("The document is being generated; this page updates by itself."))
        return redirect(f"{reverse(self.list_name)}?year={year}")


class SummaryGenerateView(DocumentGenerateView):
    list_name = "reports:summaries"
    keys = (1, 2, 3, 4)

    def request_document(self, plan, key, actor):
        services.summary_request(plan=plan, quarter=key, actor=actor)


class BulletinGenerateView(DocumentGenerateView):
    list_name = "reports:bulletins"
    keys = range(0, 13)

    def request_document(self, plan, key, actor):
        services.bulletin_request(plan=plan, month=key, actor=actor)


class DocumentFileView(DashboardMixin, View):
    model = None
    CONTENT_TYPES = {"xlsx": XLSX, "docx": DOCX}

    def may_read(self, user):
        raise NotImplementedError

    def file_name(self, record, kind):
        raise NotImplementedError

    def get(self, request, pk, kind):
        if not self.may_read(request.user):
            raise PermissionDenied
        record = self.model.objects.filter(
            pk=pk, plan__in=task_selectors.plans_visible_to(request.user)
        ).select_related("plan").first()
        if record is None or kind not in self.CONTENT_TYPES or not getattr(record, kind):
            raise Http404
        name = self.file_name(record, kind)
        audit.record("export", obj=record, detail=name)
        return download_response(getattr(record, kind), filename=name, content_type=self.CONTENT_TYPES[kind])


class SummaryFileView(DocumentFileView):
    model = QuarterlySummary

    def may_read(self, user):
        return can_read_summaries(user)

    def file_name(self, summary, kind):
        return f"{summary.plan.title}第{summary.quarter}季度落实情况总结.{kind}"


class BulletinFileView(DocumentFileView):
    model = ScoreBulletin

    def may_read(self, user):
        return can_read_bulletins(user)

    def file_name(self, bulletin, kind):
        title = bulletin_title({"period": bulletin.period_label})
        return f"{title}.{kind}" if kind == "docx" else f"{bulletin.period_label}考核得分.{kind}"
