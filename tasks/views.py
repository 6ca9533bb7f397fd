"""Thin views: read the form, check the permission, call the service, redirect or render."""

import io
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import imports, permissions, selectors, services
from .exporters import write_task_csv, write_task_workbook
from .ledger import LedgerError
from .numerals import whole_number
from .plan_text import parse_plan_text
from .evidence import INLINE_PREVIEW_TYPES
from .forms import (
    DecisionForm,
    InstructionForm,
    InstructionReplyForm,
    LedgerUploadForm,
    PlanTextForm,
    MilestoneDoneForm,
    MilestoneForm,
    ReportForm,
    ResponsiblePersonForm,
    ReviewForm,
    TaskRequestForm,
    month_choices_default,
)
from .history import task_history
from .models import ProgressReport, TaskRequest
from .status import default_as_of, month_end, status_of


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require(allowed):
    if not allowed:
        raise PermissionDenied


def add_errors(form, error):
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/plan_empty.html"

    def get(self, request, *args, **kwargs):
        plan = selectors.current_plan_for(request.user)
        if plan is not None:
            return redirect("tasks:plan_detail", year=plan.year)
        return super().get(request, *args, **kwargs)


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_for_viewer(self.request.user, year=kwargs["year"])
        sections = list(selectors.plan_sections_with_tasks(plan))
        return super().get_context_data(
            plan=plan,
            nav="plan",
            sections=sections,
            task_count=sum(len(section.tasks.all()) for section in sections),
            **kwargs,
        )


class TaskViewMixin(LoginRequiredMixin):
    """Views about one task: it is looked up through the viewer's scope (404 if out of it)."""

    @cached_property
    def task(self):
        return selectors.task_for_viewer(
            self.request.user, year=self.kwargs["year"], number=self.kwargs["number"]
        )

    def task_url(self, anchor=""):
        return services.task_url(self.task, anchor=anchor)


class TaskDetailView(TaskViewMixin, TemplateView):
    template_name = "tasks/task_detail.html"
    tab = "overview"

    def get_context_data(self, **kwargs):
        user, task = self.request.user, self.task
        context = {
            "task": task,
            "plan": task.plan,
            "nav": "plan",
            "tab": self.tab,
            "status": status_of(task, on=default_as_of(task.plan.year, timezone.localdate())),
            "can_edit_milestones": permissions.can_edit_milestones(user, task),
            "can_report": permissions.can_report_on_task(user, task) and task.state != task.State.COMPLETED,
            "can_change": permissions.can_change_task(user, task),
            "can_request": permissions.can_request_for_task(user, task),
            "can_see_evidence": permissions.can_see_evidence(user, task),
            "can_instruct": permissions.can_write_instructions(user),
            "can_reply": permissions.can_reply_to_instructions(user, task),
            "instruction_form": InstructionForm(),
            "milestone_form": MilestoneForm(),
            "responsible_form": ResponsiblePersonForm(
                initial={"responsible_person": task.responsible_person, "version": task.version}
            ),
            "today": timezone.localdate(),
        }
        if self.tab == "history":
            context["history"] = task_history(task)
        else:
            context["reports"] = selectors.reports_shown_on_task_page(user, task)
            context["requests"] = selectors.task_requests(task)
            context["instructions"] = selectors.task_instructions(task)
        return super().get_context_data(**context, **kwargs)


class TaskHistoryView(TaskDetailView):
    tab = "history"


class MyTasksView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/my_tasks.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = whole_number(self.request.GET.get("year"))
        plan = selectors.plan_for_viewer(user, year=year) if year else selectors.current_plan_for(user)
        context = {"nav": "my", "plan": plan}
        if plan is not None:
            today = timezone.localdate()
            month = month_choices_default(plan.year, today)
            requested_month = self.request.GET.get("month", "")
            if len(requested_month) == 7 and requested_month[:4] == str(plan.year):
                try:
                    month = month.replace(month=int(requested_month[5:7]))
                except ValueError:
                    pass
            filters = {
                "section": self.request.GET.get("section") or None,
                "role": self.request.GET.get("role") or None,
                "report_state": self.request.GET.get("state") or None,
            }
            filters["section"] = whole_number(filters["section"])
            # A past month is judged as it stood at its end; the current one as of today.
            on = min(default_as_of(plan.year, today), month_end(month))
            rows = selectors.my_task_rows(user, plan=plan, month=month, on=on, **filters)
            context.update(
                rows=rows,
                month=month,
                filters=filters,
                action_count=sum(row.needs_action for row in rows),
                sections=plan.sections.order_by("number"),
                report_states=[("missing", _("Not reported"))] + list(ProgressReport.State.choices),
                months=[month.replace(month=m) for m in range(1, 13)],
            )
        return super().get_context_data(**context, **kwargs)


class ReportEditView(TaskViewMixin, TemplateView):
    """The monthly report form of one department on one task."""

    template_name = "tasks/report_form.html"

    @cached_property
    def membership(self):
        memberships = permissions.reporting_memberships(self.request.user, self.task)
        require(memberships and self.task.state != self.task.State.COMPLETED)
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
        department = self.membership.department
        is_lead = department.pk == self.task.lead_department_id
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
            cooperating_reports=cooperating_reports, conflict=conflict,
            last_accepted=services.last_accepted_percent(
                task=self.task, department=department, before_month=self.month
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ReportForm(request.POST, request.FILES, plan_year=self.task.plan.year)
        conflict = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_save(
                    task=self.task, department=self.membership.department, month=data["month"],
                    author=request.user, progress=data["progress"], percent=data["percent"],
                    problems=data["problems"], next_steps=data["next_steps"],
                    percent_drop_reason=data["percent_drop_reason"],
                    expected_version=data["version"], uploads=data["files"],
                    submit="submit" in request.POST,
                )
            except services.StaleEditError as error:
                conflict = self.existing_report()
                add_errors(form, error)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if report.state == ProgressReport.State.SUBMITTED:
                    messages.success(request, _("Report submitted for review."))
                else:
                    messages.success(request, _("Draft saved. It is not submitted yet."))
                return HttpResponseRedirect(self.task_url(anchor=f"report-{report.pk}"))
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict), status=400)


class ResponsiblePersonView(TaskViewMixin, View):
    def post(self, request, *args, **kwargs):
        require(permissions.can_change_task(request.user, self.task))
        form = ResponsiblePersonForm(request.POST)
        if form.is_valid():
            try:
                services.task_update_responsible_person(
                    task=self.task, responsible_person=form.cleaned_data["responsible_person"],
                    actor=request.user, expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("Responsible person updated."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("The form was incomplete; nothing was changed."))
        return HttpResponseRedirect(self.task_url())


class MilestoneActionMixin(LoginRequiredMixin):
    """Milestone edits answer htmx with the refreshed milestone panel, others with a redirect."""

    def respond(self, task, *, error=None):
        if not self.request.htmx:
            if error:
                messages.error(self.request, error)
            return HttpResponseRedirect(services.task_url(task, anchor="milestones"))
        task = selectors.task_for_viewer(self.request.user, year=task.plan.year, number=task.number)
        context = {
            "task": task,
            "can_edit_milestones": permissions.can_edit_milestones(self.request.user, task),
            "milestone_form": MilestoneForm(),
            "today": timezone.localdate(),
            "milestone_error": error,
        }
        return TemplateResponse(self.request, "tasks/task_detail.html#milestones", context)


class MilestoneCreateView(TaskViewMixin, MilestoneActionMixin, View):
    def post(self, request, *args, **kwargs):
        require(permissions.can_edit_milestones(request.user, self.task))
        form = MilestoneForm(request.POST)
        if not form.is_valid():
            return self.respond(self.task, error=_("Give the milestone a title and a due date."))
        try:
            services.milestone_create(task=self.task, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.respond(self.task, error=" ".join(error.messages))
        return self.respond(self.task)


class MilestoneView(MilestoneActionMixin, View):
    action = None

    def post(self, request, pk):
        milestone = selectors.milestone_for_viewer(request.user, pk)
        task = milestone.task
        require(permissions.can_edit_milestones(request.user, task))
        try:
            if self.action == "update":
                form = MilestoneForm(request.POST)
                if not form.is_valid():
                    return self.respond(task, error=_("Give the milestone a title and a due date."))
                services.milestone_update(milestone=milestone, actor=request.user, **form.cleaned_data)
            elif self.action == "done":
                form = MilestoneDoneForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.respond(task, error=" ".join(m for e in form.errors.values() for m in e))
                services.milestone_mark_done(
                    milestone=milestone, done_on=form.cleaned_data["done_on"], actor=request.user,
                    uploads=form.cleaned_data["files"],
                )
            else:
                services.milestone_reopen(milestone=milestone, actor=request.user)
        except ValidationError as error:
            return self.respond(task, error=" ".join(error.messages))
        return self.respond(task)


class ReviewQueueView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/review_queue.html"

    def get_context_data(self, **kwargs):
        require(permissions.can_review_reports(self.request.user))
        return super().get_context_data(
            nav="review",
            reports=selectors.review_queue(self.request.user),
            requests=selectors.pending_requests(self.request.user),
            **kwargs,
        )


class ReportReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = selectors.report_for_viewer(request.user, pk)
        require(permissions.can_review_reports(request.user))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
            return redirect("tasks:review_queue")
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.report_accept(report=report, actor=request.user, note=data["note"], expected_version=data["version"])
                messages.success(request, _("Report accepted: %(report)s") % {"report": report.task.title})
            else:
                services.report_return(report=report, actor=request.user, note=data["note"], expected_version=data["version"])
                messages.success(request, _("Report returned: %(report)s") % {"report": report.task.title})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("tasks:review_queue")


class TaskRequestCreateView(TaskViewMixin, TemplateView):
    template_name = "tasks/task_request_form.html"

    @cached_property
    def kind(self):
        if self.kwargs["kind"] not in TaskRequest.Kind.values:
            raise PermissionDenied
        return self.kwargs["kind"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(permissions.can_request_for_task(request.user, self.task))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        kwargs.pop("kind", None)
        return super().get_context_data(
            task=self.task, plan=self.task.plan, kind=self.kind,
            kind_label=TaskRequest.Kind(self.kind).label,
            form=form or TaskRequestForm(kind=self.kind), **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = TaskRequestForm(request.POST, request.FILES, kind=self.kind)
        if form.is_valid():
            try:
                services.task_request_create(
                    task=self.task, kind=self.kind, reason=form.cleaned_data["reason"],
                    new_deadline=form.cleaned_data.get("new_deadline"), actor=request.user,
                    uploads=form.cleaned_data["files"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Request sent to the supervision office."))
                return HttpResponseRedirect(self.task_url(anchor="requests"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TaskRequestDecideView(LoginRequiredMixin, View):
    def post(self, request, pk):
        task_request = selectors.request_for_viewer(request.user, pk)
        require(permissions.can_decide_requests(request.user))
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.task_request_decide(
                    request=task_request, approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"], actor=request.user,
                )
                messages.success(request, _("Decision recorded."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose approve or reject."))
        return HttpResponseRedirect(reverse("tasks:review_queue") + "#requests")


class InstructionCreateView(TaskViewMixin, View):
    def post(self, request, *args, **kwargs):
        require(permissions.can_write_instructions(request.user))
        form = InstructionForm(request.POST)
        if form.is_valid():
            try:
                instruction = services.instruction_write(task=self.task, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Instruction sent to %(department)s.") % {
                    "department": self.task.lead_department.display_name if self.task.lead_department else "—"})
                return HttpResponseRedirect(self.task_url(anchor=f"instruction-{instruction.pk}"))
        else:
            messages.error(request, _("Write the instruction."))
        return HttpResponseRedirect(self.task_url(anchor="instructions"))


class InstructionReplyView(LoginRequiredMixin, View):
    def post(self, request, pk):
        instruction = selectors.instruction_for_viewer(request.user, pk)
        require(permissions.can_reply_to_instructions(request.user, instruction.task))
        form = InstructionReplyForm(request.POST)
        if form.is_valid():
            services.instruction_reply(instruction=instruction, text=form.cleaned_data["text"], actor=request.user)
            messages.success(request, _("Reply sent."))
        else:
            messages.error(request, _("Write the reply."))
        return HttpResponseRedirect(services.task_url(instruction.task, anchor=f"instruction-{instruction.pk}"))


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = selectors.evidence_for_viewer(request.user, pk)
        inline = request.GET.get("inline") == "1" and evidence.content_type in INLINE_PREVIEW_TYPES
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            # The record outlived its file (e.g. a restore without media): say so, do not crash.
            raise Http404("The file is missing from storage")
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


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/notification_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav="notifications", notifications=selectors.notifications_for(self.request.user), **kwargs
        )


class NotificationsReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = [n for n in map(whole_number, request.POST.getlist("id")) if n is not None] or None
        services.notifications_mark_read(user=request.user, notification_ids=ids)
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return HttpResponseRedirect(target)
        return redirect("tasks:notifications")


IMPORT_TOKEN = re.compile(r"^[0-9a-f]{32}$")
PLAN_YEARS = (2000, 2100)


class LedgerImportView(LoginRequiredMixin, TemplateView):
    """Upload an Excel task list, see exactly what will change, then confirm (supervision office)."""

    template_name = "tasks/ledger_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(permissions.can_review_reports(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        plan = selectors.current_plan_for(self.request.user)
        kwargs.setdefault("form", LedgerUploadForm(initial={"plan_year": plan.year if plan else timezone.localdate().year}))
        return super().get_context_data(nav="import", plans=selectors.plans_visible_to(self.request.user), **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "upload")
        if action == "upload":
            form = LedgerUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            token = imports.store_upload(form.cleaned_data["file"])
            plan_year, create = form.cleaned_data["plan_year"], form.cleaned_data["create_departments"]
        else:
            token = request.POST.get("token", "")
            if not IMPORT_TOKEN.match(token) or not imports.upload_exists(token):
                messages.error(request, _("The uploaded file has expired; upload it again."))
                return redirect("tasks:ledger_import")
            plan_year = whole_number(request.POST.get("plan_year"))
            if plan_year is None or not PLAN_YEARS[0] <= plan_year <= PLAN_YEARS[1]:
                return redirect("tasks:ledger_import")
            create = request.POST.get("create_departments") == "1"
        try:
            with imports.open_upload(token) as handle:
                report = imports.ledger_import(
                    handle=handle, plan_year=plan_year, actor=request.user,
                    dry_run=action != "confirm", create_departments=create,
                )
        except LedgerError as error:
            imports.discard_upload(token)
            form = LedgerUploadForm(initial={"plan_year": plan_year})
            return self.render_to_response(self.get_context_data(form=form, file_error=str(error)), status=400)
        if report.applied:
            imports.discard_upload(token)
            messages.success(request, _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
                "new": report.count("new"), "changed": report.count("changed"), "unchanged": report.count("unchanged")})
            return redirect("tasks:plan_detail", year=plan_year)
        counts = {f"{kind}_count": report.count(kind) for kind in ("new", "changed", "unchanged", "error")}
        return self.render_to_response(
            self.get_context_data(report=report, token=token, create_departments=create, **counts),
            status=200 if report.ok or action != "confirm" else 400,
        )


class TaskTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        handle = tempfile.TemporaryFile()
        write_task_workbook(handle, None, instructions=True)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename="任务分解表模板.xlsx", content_type=XLSX)


class PlanTaskExportView(LoginRequiredMixin, View):
    """The plan's task list as .xlsx (the import layout) or as .csv."""

    file_format = "xlsx"

    def get(self, request, year):
        plan = selectors.plan_for_viewer(request.user, year=year)
        dataset = imports.plan_export_dataset(plan)
        if self.file_format == "csv":
            text = io.StringIO(newline="")
            write_task_csv(text, dataset)
            return FileResponse(io.BytesIO(text.getvalue().encode("utf-8")), as_attachment=True, filename=f"{plan.title}任务分解表.csv",
                                content_type="text/csv; charset=utf-8")
        handle = tempfile.TemporaryFile()
        write_task_workbook(handle, dataset)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{plan.title}任务分解表.xlsx", content_type=XLSX)


class PlanTextImportView(LoginRequiredMixin, TemplateView):
    """A plan from its published text: parse, edit the preview, then save (supervision office)."""

    template_name = "tasks/plan_text_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(permissions.can_review_reports(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PlanTextForm(initial={"year": timezone.localdate().year + 1,
                                                        "issuing_body": "四平市教育局"}))
        return super().get_context_data(nav="import", **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "save":
            try:
                parsed = imports.parsed_plan_from_post(request.POST)
                plan = imports.plan_create_from_text(
                    parsed=parsed, year=whole_number(request.POST.get("year")) or 0, title=request.POST.get("title", ""),
                    issuing_body=request.POST.get("issuing_body", ""), actor=request.user,
                    create_departments=request.POST.get("create_departments") == "1",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("tasks:plan_text_import")
            messages.success(request, _("The plan was saved as a draft: %(sections)d sections, %(tasks)d tasks.") % {
                "sections": len(parsed.sections), "tasks": len(parsed.tasks)})
            return redirect("tasks:plan_detail", year=plan.year)
        form = PlanTextForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        parsed = parse_plan_text(form.cleaned_data["text"])
        return self.render_to_response(self.get_context_data(parsed=parsed, meta=form.cleaned_data, form=None))
