"""Leaders' instructions (批示), the lead office's replies, and the supervision office's 督办通知."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from departments import audit
from tasks import permissions, selectors, services
from tasks.forms import (
    InstructionForm,
    InstructionReplyForm,
    SupervisionNoticeForm,
)

from .common import add_errors, require
from .plans import TaskDetailView

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class InstructionCreateView(TaskDetailView):
    """A refused 批示 comes back on the task page with its text and the reason beside the field."""

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.task_url(anchor="instructions"))

    def post(self, request, *args, **kwargs):
        require(permissions.can_write_instructions(request.user, self.task))
        form = InstructionForm(request.POST)
        if form.is_valid():
            try:
                instruction = services.instruction_write(task=self.task, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Instruction sent to %(department)s.") % {
                    "department": self.task.lead_department.display_name if self.task.lead_department else "—"})
                return HttpResponseRedirect(self.task_url(anchor=f"instruction-{instruction.pk}"))
        return self.render_to_response(self.get_context_data(instruction_form=form, **kwargs), status=400)


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


class SupervisionNoticeCreateView(TaskDetailView):
    """督办通知 from the task page; refused, it comes back with its text and the reason."""

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.task_url(anchor="notices"))

    def post(self, request, *args, **kwargs):
        require(permissions.can_issue_notice(request.user, self.task))
        form = SupervisionNoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = services.supervision_notice_issue(task=self.task, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(number)s sent to %(unit)s.") % {
                    "number": notice.number, "unit": self.task.lead_display_names})
                return HttpResponseRedirect(self.task_url(anchor="notices"))
        return self.render_to_response(self.get_context_data(notice_form=form, **kwargs), status=400)


class SupervisionNoticeDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        notice = selectors.notice_for_viewer(request.user, pk)
        handle, name = services.supervision_notice_document(notice)
        audit.record("export", obj=notice, detail=name)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=DOCX)
