"""django-import-export in the admin, on the same resource and the same reader as the import page."""

import io
import tempfile

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm

from tasks.models import Plan

from .exporters import write_task_workbook
from .resources import TaskResource, task_sheet_dataset
from .task_sheet import TaskSheetError, read_task_sheet


class TaskSheetXLSX(base_formats.XLSX):
    """.xlsx read by `tasks.intake.task_sheet` (title rows, synonyms, merges, archive checks), not by tablib."""

    def create_dataset(self, in_stream):
        try:
            return task_sheet_dataset(read_task_sheet(io.BytesIO(in_stream)))
        except TaskSheetError as error:
            raise ValueError(str(error))


class TaskSheetXLSXExport(base_formats.XLSX):
    """The admin's export written by the portal's own writer: every cell a text cell, so a value
    such as =HYPERLINK(…) in 责任人 stays text (tablib would write it as a live formula)."""

    def export_data(self, dataset, **kwargs):
        with tempfile.TemporaryFile() as handle:
            write_task_workbook(handle, dataset)
            handle.seek(0)
            return handle.read()


class PlanImportForm(ImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), label=_("Plan"))


class PlanConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), widget=forms.HiddenInput())


class TaskImportExportMixin(ImportExportMixin):
    resource_classes = [TaskResource]
    import_formats = [TaskSheetXLSX]
    export_formats = [TaskSheetXLSXExport]
    import_form_class = PlanImportForm
    confirm_form_class = PlanConfirmImportForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        plan = form.cleaned_data["plan"] if form is not None and hasattr(form, "cleaned_data") else None
        return {"plan": plan, "actor": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        plan = Plan.objects.order_by("-year").first()
        return {"plan": plan, "actor": request.user}
