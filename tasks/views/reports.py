"""Monthly reports: the form, the review queue and the review."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tasks import permissions, selectors, services
from tasks.formats import whole_number
from tasks.forms import (
    ReportForm,
    ReviewFilterForm,
    ReviewForm,
    month_choices_default,
)
from tasks.models import ProgressReport

from .common import TaskViewMixin, add_errors, require


class ReportEditView(TaskViewMixin, TemplateView):
    """The monthly report form of one department on one task."""

    template_name = "tasks/report_form.html"

    @cached_property
    def membership(self):
        memberships = permissions.reporting_memberships(self.request.user, self.task)
        require(memberships)
        wanted = self.request.GET.get("department") or self.request.POST.get("department")
        if wanted:
            chosen = [m for m in memberships if str(m.department_id) == wanted]
            require(chosen)
            return chosen[0]
        return memberships[0]

    @cached_property
    def month(self):
        raw = self.request.POST.get("month") or self.request.GET.get("month") or ""
        field = ReportForm(plan_year=self.task.plan.year).fields["month"]
        try:
            month = field.clean(raw)
        except ValidationError:
            month = None
        if month is None or month.year != self.task.plan.year:
            month = month_choices_default(self.task.plan.year, timezone.localdate())
        return month

    def existing_report(self):
        return ProgressReport.objects.filter(
            task=self.task, month=self.month, department=self.membership.department
        ).select_related("reviewer", "author").first()

    def get_context_data(self, form=None, conflict=None, **kwargs):
        report = self.existing_report()
        if form is None:
            initial = {"month": self.month, "version": report.version if report else None}
            if report:
                initial.update(
                    progress=report.progress, problems=report.problems, next_steps=report.next_steps,
                    percent=report.percent, percent_drop_reason=report.percent_drop_reason,
                )
            else:
                initial["percent"] = self.task.percent_complete
            form = ReportForm(initial=initial, plan_year=self.task.plan.year)
        removing = set(form["remove_evidence"].value() or []) if form.is_bound else set()
        department = self.membership.department
        is_lead = department in self.task.lead_departments
        cooperating_reports = []
        if is_lead:
            cooperating_reports = (
                ProgressReport.objects.filter(task=self.task, month=self.month)
                .exclude(department=department)
                .exclude(state=ProgressReport.State.DRAFT)
                .select_related("department", "author")
            )
        editable = report is None or permissions.can_edit_report(self.request.user, report)
        can_submit = (
            report is not None and permissions.can_submit_report(self.request.user, report)
        ) or (report is None and permissions.can_submit_report(
            self.request.user, ProgressReport(task=self.task, department=department)
        ))
        return super().get_context_data(
            task=self.task, plan=self.task.plan, nav="my", form=form, report=report,
            department=department, is_lead=is_lead, editable=editable, can_submit=can_submit,
            memberships=permissions.reporting_memberships(self.request.user, self.task),
            cooperating_reports=cooperating_reports, conflict=conflict, removing={str(pk) for pk in removing},
            conflict_by=_last_editor(conflict) if conflict else None,
            last_accepted=services.last_accepted_percent(
                task=self.task, department=department, before_month=self.month
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        report = self.existing_report()
        attached = list(report.evidence.all()) if report else []
        form = ReportForm(request.POST, request.FILES, plan_year=self.task.plan.year, attached=attached)
        conflict = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_save(
                    task=self.task, department=self.membership.department, month=data["month"],
                    author=request.user, progress=data["progress"], percent=data["percent"],
                    problems=data["problems"], next_steps=data["next_steps"],
                    percent_drop_reason=data["percent_drop_reason"],
                    # 0: the form was opened when there was no report yet.
                    expected_version=data["version"] or 0, uploads=data["files"],
                    remove_evidence=data["remove_evidence"], submit="submit" in request.POST,
                )
            except services.StaleEditError:
                # The conflict panel says what happened and what to do; the form's own error
                # ("reload the page") would contradict it, since reloading loses the text.
                conflict = self.existing_report()
            except ValidationError as error:
                add_errors(form, error)
            else:
                if report.state == ProgressReport.State.SUBMITTED:
                    messages.success(request, _("Report submitted for review."))
                else:
                    messages.success(request, _("Draft saved. It is not submitted yet."))
                return HttpResponseRedirect(self.task_url(anchor=f"report-{report.pk}"))
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict), status=400)


def _last_editor(report):
    """Who saved the report last (its history's newest record), not its writer."""
    record = report.history.select_related("history_user").first()
    return record.history_user if record and record.history_user else report.author


class ReviewQueueView(LoginRequiredMixin, TemplateView):
    """Submitted reports oldest first, 20 to a page, filtered; each with its evidence, its own
    form and its errors; the selected ones accepted together."""

    template_name = "tasks/review_queue.html"
    PAGE_SIZE = 20

    def get_context_data(self, errors=None, notes=None, request_errors=None, request_notes=None, **kwargs):
        require(permissions.can_review_reports(self.request.user))
        query = self.request.GET
        filter_form = ReviewFilterForm(query or None, plans=selectors.plans_visible_to(self.request.user))
        reports = selectors.review_queue(self.request.user, **filter_form.filters())
        page = Paginator(reports, self.PAGE_SIZE).get_page(query.get("page"))
        params = query.copy()
        params.pop("page", None)
        return super().get_context_data(
            nav="review", page=page, reports=page.object_list, total=page.paginator.count, filter_form=filter_form,
            query=params.urlencode(), errors=errors or {}, notes=notes or {},
            request_errors=request_errors or {}, request_notes=request_notes or {},
            requests=selectors.pending_requests(self.request.user),
            quality_choices=ReviewForm.base_fields["quality"].choices, **kwargs,
        )


class ReviewBatchView(ReviewQueueView):
    """通过 of the selected reports; those that cannot be accepted say why beside themselves."""

    def post(self, request, *args, **kwargs):
        require(permissions.can_review_reports(request.user))
        ids = [pk for pk in (whole_number(value) for value in request.POST.getlist("reports")) if pk]
        if not ids:
            messages.error(request, _("Select the reports to accept first."))
            return redirect(self._queue_url())
        reports = list(selectors.review_queue(request.user).filter(pk__in=ids))
        refused = services.reports_accept_bulk(reports=reports, actor=request.user)
        accepted = len(reports) - len(refused)
        if accepted:
            messages.success(request, _("%(count)d reports accepted.") % {"count": accepted})
        if refused:
            return self.render_to_response(self.get_context_data(errors=refused), status=400)
        return redirect(self._queue_url())

    def _queue_url(self):
        query = self.request.GET.urlencode()
        return reverse("tasks:review_queue") + (f"?{query}" if query else "")


class ReportReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = selectors.report_for_viewer(request.user, pk)
        require(permissions.can_review_reports(request.user))
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "accept":
                    services.report_accept(report=report, actor=request.user, note=data["note"],
                                           expected_version=data["version"], quality=data["quality"])
                    messages.success(request, _("Report accepted: %(report)s") % {"report": report.task.title})
                else:
                    services.report_return(report=report, actor=request.user, note=data["note"],
                                           expected_version=data["version"])
                    messages.success(request, _("Report returned: %(report)s") % {"report": report.task.title})
            except ValidationError as error:
                problems = error.messages
            else:
                query = request.GET.urlencode()
                return redirect(reverse("tasks:review_queue") + (f"?{query}" if query else ""))
        else:
            problems = [m for errors in form.errors.values() for m in errors]
        # Refused: the queue again, the reason beside this report and its note as typed.
        queue = ReviewQueueView(request=request, args=(), kwargs={})
        context = queue.get_context_data(errors={report.pk: problems}, notes={report.pk: request.POST.get("note", "")})
        return queue.render_to_response(context, status=400)


class ReportReadView(LoginRequiredMixin, View):
    """圈阅 of a report from the task page."""

    def post(self, request, pk):
        report = selectors.report_for_viewer(request.user, pk)
        require(permissions.can_mark_report_read(request.user, report))
        services.report_mark_read(report=report, actor=request.user)
        return redirect(services.task_url(report.task, anchor=f"report-{report.pk}"))
