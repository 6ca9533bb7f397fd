"""The intake pages: an Excel task list or a plan's published text, previewed, then saved."""

import io
import re
import tempfile

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from departments import audit
from departments.models import Department
from departments.permissions import can_manage_people
from tasks import permissions, selectors
from tasks.formats import whole_number

from . import services
from .exporters import write_task_csv, write_task_workbook
from .forms import PeopleSheetUploadForm, PlanTextForm, TaskSheetUploadForm
from .plan_text import parse_plan_text
from .matching import CREATE, KEEP_AS_TEXT, UnitChoice, unit_choices_from_post
from .task_sheet import TaskSheetError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


IMPORT_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class ImporterRequiredMixin(UserPassesTestMixin):
    """Anonymous visitors go to the login page; people who may not import plans get 403."""

    def test_func(self):
        return permissions.can_import_plans(self.request.user)


class TaskSheetImportView(ImporterRequiredMixin, TemplateView):
    """Upload an Excel task list, see exactly what will change, then confirm (supervision office)."""

    template_name = "intake/sheet_import.html"

    def get_context_data(self, **kwargs):
        plan = selectors.current_plan_for(self.request.user)
        kwargs.setdefault("form", TaskSheetUploadForm(initial={"plan_year": plan.year if plan else timezone.localdate().year}))
        return super().get_context_data(nav="import", plans=selectors.plans_visible_to(self.request.user), **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "upload")
        choices = {}
        if action == "upload":
            form = TaskSheetUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            token = services.store_upload(form.cleaned_data["file"])
            plan_year, create = form.cleaned_data["plan_year"], form.cleaned_data["create_departments"]
        else:
            token = request.POST.get("token", "")
            if not IMPORT_TOKEN.match(token) or not services.upload_exists(token):
                messages.error(request, _("The uploaded file has expired; upload it again."))
                return redirect("intake:task_sheet_import")
            plan_year = whole_number(request.POST.get("plan_year"))
            create = request.POST.get("create_departments") == "1"
        try:
            choices = unit_choices_from_post(request.POST)
            with services.open_upload(token) as handle:
                report = services.task_sheet_import(
                    handle=handle, plan_year=plan_year, actor=request.user, dry_run=action != "confirm",
                    unit_choices=choices, default_choice=CREATE if create else KEEP_AS_TEXT,
                )
        except (TaskSheetError, ValidationError) as error:
            services.discard_upload(token)
            form = TaskSheetUploadForm(initial={"plan_year": plan_year})
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self.render_to_response(self.get_context_data(form=form, file_error=message), status=400)
        if report.applied:
            services.discard_upload(token)
            messages.success(request, _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
                "new": report.count("new"), "changed": report.count("changed"), "unchanged": report.count("unchanged")})
            return redirect("tasks:plan_detail", year=plan_year)
        counts = {f"{kind}_count": report.count(kind) for kind in ("new", "changed", "unchanged", "error")}
        return self.render_to_response(
            self.get_context_data(report=report, token=token, create_departments=create, **counts,
                                  **_unit_choice_context(report.unmatched, choices, create)),
            status=200 if report.ok or action != "confirm" else 400,
        )


def _unit_choice_context(unmatched, choices, create):
    default = CREATE if create else KEEP_AS_TEXT
    return {
        "unit_questions": [(name, choices.get(name, UnitChoice(default))) for name in unmatched],
        "departments": Department.objects.filter(is_active=True).order_by("order", "name"),
    }


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
        audit.record("export", obj=plan, detail=f"task list ({self.file_format})")
        dataset = services.plan_export_dataset(plan)
        if self.file_format == "csv":
            text = io.StringIO(newline="")
            write_task_csv(text, dataset)
            return FileResponse(io.BytesIO(text.getvalue().encode("utf-8")), as_attachment=True, filename=f"{plan.title}任务分解表.csv",
                                content_type="text/csv; charset=utf-8")
        handle = tempfile.TemporaryFile()
        write_task_workbook(handle, dataset)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{plan.title}任务分解表.xlsx", content_type=XLSX)


class PlanTextImportView(ImporterRequiredMixin, TemplateView):
    """A plan from its published text or Word document: parse, correct the preview, then save
    (supervision office). The preview shows what will be stored, units and deadlines included."""

    template_name = "intake/plan_text_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PlanTextForm(initial={"year": timezone.localdate().year + 1,
                                                        "issuing_body": "四平市教育局"}))
        return super().get_context_data(nav="import", **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action in ("save", "preview"):
            meta = {"year": whole_number(request.POST.get("year")) or 0,
                    "issuing_body": request.POST.get("issuing_body", "").strip()}
            try:
                parsed = services.parsed_plan_from_post(request.POST)
                choices = unit_choices_from_post(request.POST)
                if action == "save":
                    plan = services.plan_create_from_text(
                        parsed=parsed, year=meta["year"], title=parsed.title, doc_number=parsed.doc_number,
                        issuing_body=meta["issuing_body"], actor=request.user, unit_choices=choices,
                    )
                    messages.success(request, _("The plan was saved as a draft: %(sections)d sections, %(tasks)d tasks.")
                                     % {"sections": len(parsed.sections), "tasks": len(parsed.tasks)})
                    return redirect("tasks:plan_detail", year=plan.year)
            except ValidationError as error:
                # Everything typed into the preview comes back with the reason.
                return self.render_preview(parsed if "parsed" in locals() else None, meta, {}, error=error, status=400)
            return self.render_preview(parsed, meta, choices)
        form = PlanTextForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        parsed = parse_plan_text(form.cleaned_data["text"])
        if form.cleaned_data["title"]:
            parsed.title = form.cleaned_data["title"]
        return self.render_preview(parsed, form.cleaned_data, {})

    def render_preview(self, parsed, meta, choices, *, error=None, status=200):
        if parsed is None:
            messages.error(self.request, " ".join(error.messages))
            return redirect("intake:plan_text_import")
        preview = services.plan_text_preview(parsed, year=meta["year"] or timezone.localdate().year)
        return self.render_to_response(self.get_context_data(
            parsed=parsed, preview=preview, meta=meta, form=None,
            save_error=" ".join(error.messages) if error else "",
            **_unit_choice_context(preview.unmatched, choices, False),
        ), status=status)


class UnclearDeadlinesView(ImporterRequiredMixin, TemplateView):
    """The tasks of a plan whose deadline, as written, the portal could not read: kept as text
    with no date when they were imported, to be settled here one by one."""

    template_name = "intake/unclear_deadlines.html"

    def get_context_data(self, **kwargs):
        plans = list(selectors.plans_visible_to(self.request.user).order_by("-year"))
        year = whole_number(self.request.GET.get("year"))
        plan = next((p for p in plans if p.year == year), plans[0] if plans else None)
        tasks = services.tasks_with_unclear_deadlines(plan) if plan else []
        return super().get_context_data(nav="import", plans=plans, plan=plan, tasks=tasks, **kwargs)


class PeopleImportView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """Accounts from an Excel list: a preview with each row's errors, then all created or none;
    the one-time passwords are shown once."""

    template_name = "intake/people_import.html"

    def test_func(self):
        return can_manage_people(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PeopleSheetUploadForm())
        return super().get_context_data(nav="people", **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action", "upload") == "upload":
            form = PeopleSheetUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            token = services.store_upload(form.cleaned_data["file"])
            confirm = False
        else:
            token = request.POST.get("token", "")
            if not IMPORT_TOKEN.match(token) or not services.upload_exists(token):
                messages.error(request, _("The uploaded file has expired; upload it again."))
                return redirect("intake:people_import")
            confirm = True
        try:
            with services.open_upload(token) as handle:
                result = services.people_import(handle=handle, dry_run=not confirm)
        except (TaskSheetError, ValidationError) as error:
            services.discard_upload(token)
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self.render_to_response(self.get_context_data(file_error=message), status=400)
        if result.applied:
            services.discard_upload(token)
        return self.render_to_response(self.get_context_data(result=result, token=token),
                                       status=200 if result.ok else 400)
