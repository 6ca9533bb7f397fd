import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.http import FileResponse
from django.views import View
from django.views.generic import TemplateView

from departments import audit
from departments.models import Department
from tasks import selectors as task_selectors
from tasks.formats import whole_number
from tasks.status import cached_until_data_changes, default_as_of, month_end

from . import services
from .charts import stacked_bar, trend_chart
from .forms import DashboardFilterForm
from .permissions import dashboard_scope_for
from .selectors import build_dashboard


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dashboard_filters(user, scope, params):
    """The plan, as-of date, departments, chosen department and filter form that `params` (a
    query dict) ask for, within the user's dashboard `scope`: the pages' and the API's."""
    plans = list(task_selectors.plans_visible_to(user).order_by("-year"))
    if not plans:
        raise Http404
    departments = (
        list(Department.objects.filter(is_active=True, led_tasks__isnull=False).distinct())
        if scope.everything
        else list(scope.departments)
    )
    form = DashboardFilterForm(params, plans=plans, departments=departments)
    data = form.cleaned_data if form.is_valid() else {}
    current = task_selectors.current_plan_for(user)
    plan = next((p for p in plans if p.year == data.get("year")), current)
    # As of the end of the chosen month, never later than today.
    latest = default_as_of(plan.year, timezone.localdate())
    month = min(data.get("month") or latest.month, latest.month)
    on = min(month_end(datetime.date(plan.year, month, 1)), latest)
    kind = data.get("kind") or ""
    pool = [d for d in departments if d.is_bureau_office == (kind == "office")] if kind else departments
    department = next((d for d in pool if d.pk == data.get("department")), None)
    chosen = [department] if department else (pool if kind or not scope.everything else None)
    form = DashboardFilterForm(
        initial={"year": plan.year, "month": on.month, "department": department.pk if department else None,
                 "kind": kind},
        plans=plans, departments=departments,
    )
    return plan, on, chosen, department, form


class DashboardMixin(LoginRequiredMixin):
    """Reads the filters (plan, as-of month, department) within the user's dashboard scope."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.scope = dashboard_scope_for(request.user)
            if self.scope is None:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def filters(self):
        return dashboard_filters(self.request.user, self.scope, self.request.GET)

    def filter_query(self):
        """The filters as a query string, without anything else a URL may carry: links and the
        dashboard cache key are built from it, so junk parameters make no new cache entries."""
        values = {name: whole_number(self.request.GET.get(name)) for name in ("year", "month", "department")}
        kind = self.request.GET.get("kind")
        values["kind"] = kind if kind in ("office", "subordinate") else None
        return urlencode({name: value for name, value in values.items() if value is not None})

    def page_context(self, plan, on, form, department):
        return {
            "nav": "dashboard",
            "plan": plan,
            "as_of": on,
            "filter_form": form,
            "department": department,
            "scope": self.scope,
            "query_string": self.filter_query(),
            "reporting_day": settings.REPORTING_DAY,
        }

    def common_context(self, dashboard, form, department):
        return {
            **self.page_context(dashboard.plan, dashboard.on, form, department),
            "dashboard": dashboard,
            "overall_bar": stacked_bar(dashboard.overall),
            "section_bars": [(row, stacked_bar(row.tally)) for row in dashboard.sections],
            "trend": trend_chart(dashboard.trend, total_tasks=dashboard.overall.total),
        }


class DashboardView(DashboardMixin, TemplateView):
    """The page below the header is rendered once per data revision, viewer scope, filters, day
    and language, and served from the cache until something it is built from changes
    (tasks/signals.py): a province's dashboard costs a second to build and a few ms to serve."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        scope = "all" if self.scope.everything else ",".join(sorted(str(d.pk) for d in self.scope.departments))
        all_departments = self.request.GET.get("departments") == "all"

        def build():
            plan, on, departments, department, form = self.filters()
            dashboard = build_dashboard(plan=plan, on=on, departments=departments)
            ranked = dashboard.departments_needing_attention
            context = {**self.common_context(dashboard, form, department),
                       "department_rows": dashboard.departments if all_departments or not ranked.more else ranked.shown,
                       "departments_hidden": 0 if all_departments else ranked.more}
            return render_to_string("reports/dashboard.html#dashboard-content", context, request=self.request)

        content = cached_until_data_changes("dashboard", [scope, self.filter_query(), all_departments], build)
        return super().get_context_data(nav="dashboard", content=mark_safe(content), **kwargs)


class DisplayView(DashboardMixin, TemplateView):
    """大屏: the dashboard for a meeting room's 1920×1080 screen, in pages that turn by themselves
    (static/js/display.js): the headline figures and the late tasks, then the sections six at a time."""

    template_name = "reports/display.html"
    SECTIONS_PER_PAGE = 6
    LATE_SHOWN = 8

    def get_context_data(self, **kwargs):
        plan, on, departments, _department, form = self.filters()
        dashboard = build_dashboard(plan=plan, on=on, departments=departments)
        rows = [(row, stacked_bar(row.tally)) for row in dashboard.sections]
        pages = [rows[start:start + self.SECTIONS_PER_PAGE] for start in range(0, len(rows), self.SECTIONS_PER_PAGE)]
        return super().get_context_data(
            plan=plan, as_of=on, dashboard=dashboard, red_shown=dashboard.red.shown[:self.LATE_SHOWN],
            section_pages=pages, page_count=1 + len(pages), interval=settings.DISPLAY_PAGE_SECONDS,
            refresh=settings.DISPLAY_REFRESH_SECONDS, **kwargs)


class SectionDashboardView(DashboardMixin, TemplateView):
    template_name = "reports/section_detail.html"

    def get_context_data(self, **kwargs):
        plan, on, departments, department, form = self.filters()
        dashboard = build_dashboard(plan=plan, on=on, departments=departments, section_number=kwargs["number"],
                                    lines=True)
        if not dashboard.sections:
            raise Http404
        context = self.common_context(dashboard, form, department)
        context["section_row"] = dashboard.sections[0]
        return super().get_context_data(**context, **kwargs)


class DepartmentDashboardView(DashboardMixin, TemplateView):
    template_name = "reports/department_detail.html"

    def get_context_data(self, **kwargs):
        plan, on, _departments, _chosen, form = self.filters()
        department = Department.objects.filter(pk=kwargs["pk"]).first()
        if department is None or not (self.scope.everything or department in self.scope.departments):
            raise Http404
        dashboard = build_dashboard(plan=plan, on=on, departments=[department], lines=True)
        context = self.common_context(dashboard, form, department)
        context["department_row"] = next(
            (row for row in dashboard.departments if row.department == department), None
        )
        context["lines"] = [line for row in dashboard.sections for line in row.lines]
        return super().get_context_data(**context, **kwargs)


class MonthlyLedgerDownloadView(DashboardMixin, View):
    """The month's ledger (月报台账) as .xlsx, for the dashboard's plan, month and department."""

    def get(self, request, *args, **kwargs):
        plan, on, departments, department, _form = self.filters()
        section = request.GET.get("section")
        audit.record("export", obj=plan, detail=f"monthly ledger {on:%Y-%m}")
        handle, name = services.monthly_ledger_file(
            plan=plan, month=on.replace(day=1), on=on, departments=departments,
            section_number=whole_number(section),
            unit=department.name if department else "",
        )
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
