"""Milestones, edited in place with htmx."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from tasks import permissions, selectors, services
from tasks.forms import (
    MilestoneDoneForm,
    MilestoneForm,
)

from .common import TaskViewMixin, require


class MilestoneActionMixin(LoginRequiredMixin):
    """Milestone edits answer htmx with the refreshed milestone panel, others with a redirect."""

    def respond(self, task, *, error=None, form=None):
        if not self.request.htmx:
            if error and form is not None:
                # Without htmx the whole task page comes back, the new milestone as typed.
                from .plans import TaskDetailView

                page = TaskDetailView(request=self.request, args=(),
                                      kwargs={"year": task.plan.year, "number": task.number})
                context = page.get_context_data()
                context.update(milestone_form=form, milestone_error=error)
                return page.render_to_response(context, status=400)
            if error:
                messages.error(self.request, error)
            return HttpResponseRedirect(services.task_url(task, anchor="milestones"))
        task = selectors.task_for_viewer(self.request.user, year=task.plan.year, number=task.number)
        context = {
            "task": task,
            "can_edit_milestones": permissions.can_edit_milestones(self.request.user, task),
            # A refused new milestone comes back as typed, with the reason.
            "milestone_form": form if form is not None and error else MilestoneForm(),
            "today": timezone.localdate(),
            "milestone_error": error,
        }
        return TemplateResponse(self.request, "tasks/task_detail.html#milestones", context)


class MilestoneCreateView(TaskViewMixin, MilestoneActionMixin, View):
    def post(self, request, *args, **kwargs):
        require(permissions.can_edit_milestones(request.user, self.task))
        form = MilestoneForm(request.POST)
        if not form.is_valid():
            return self.respond(self.task, error=_("Give the milestone a title and a due date."), form=form)
        try:
            services.milestone_create(task=self.task, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.respond(self.task, error=" ".join(error.messages), form=form)
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
