"""Completion (办结) and extension (延期) requests."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tasks import permissions, selectors, services
from tasks.forms import (
    DecisionForm,
    TaskRequestForm,
)
from tasks.models import TaskRequest

from .common import TaskViewMixin, add_errors, require
from .reports import ReviewQueueView


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
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("Decision recorded."))
                return HttpResponseRedirect(reverse("tasks:review_queue") + "#requests")
        else:
            problems = [m for errors in form.errors.values() for m in errors] or [_("Choose approve or reject.")]
        # Refused: the queue again, the reason beside this request and its note as typed (at the
        # top when the request has left the queue, e.g. decided by someone else meanwhile).
        if task_request.state != TaskRequest.State.PENDING:
            note = request.POST.get("note", "").strip()
            messages.error(request, " ".join(problems) + (_(" Your note: %(note)s") % {"note": note} if note else ""))
        queue = ReviewQueueView(request=request, args=(), kwargs={})
        context = queue.get_context_data(request_errors={task_request.pk: problems},
                                         request_notes={task_request.pk: request.POST.get("note", "")})
        return queue.render_to_response(context, status=400)
