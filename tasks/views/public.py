"""政务公开: the public progress pages (no login) and the supervision office's page that turns a
plan's public page on or off and approves the texts it shows."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from tasks import permissions, selectors, services
from tasks.forms import PublicProgressForm
from tasks.models import Task
from tasks.status import cached_until_data_changes, default_as_of

from .common import require

PUBLIC_MAX_AGE = 300  # browsers and proxies may keep the public page five minutes


class PublicPage(TemplateView):
    """Readable without login; cached whole, per data revision, day and language."""

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response


class PublicIndexView(PublicPage):
    template_name = "public/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=permissions.publicly_visible_plans().order_by("-year"), **kwargs)


class PublicProgressView(PublicPage):
    template_name = "public/progress.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(permissions.publicly_visible_plans(), year=self.kwargs["year"])
        today = default_as_of(plan.year, timezone.localdate())  # a past year's plan: as of its last day
        content = cached_until_data_changes("public", [plan.pk, today], lambda: render_to_string(
            "public/progress.html#content",
            {"plan": plan, "as_of": today, "sections": selectors.public_sections(plan, on=today)}))
        return super().get_context_data(plan=plan, content=mark_safe(content), **kwargs)


class PlanPublicationView(LoginRequiredMixin, TemplateView):
    """The supervision office's publication page: the public page on or off, and per task the
    text to publish, drafted from the lead unit's newest accepted report."""

    template_name = "tasks/plan_publication.html"

    def plan(self):
        require(permissions.can_publish_progress(self.request.user))
        return selectors.plan_for_viewer(self.request.user, year=self.kwargs["year"])

    def get_context_data(self, forms=None, **kwargs):
        plan = self.plan()
        page = Paginator(selectors.publication_rows(plan), 50).get_page(self.request.GET.get("page"))
        forms = forms or {}
        rows = [(task, forms.get(task.pk) or PublicProgressForm(plan=plan, initial={
            "task": task.pk, "text": task.public_text or task.accepted_text or "",
            "month": (task.public_month or task.accepted_month or timezone.localdate()).month}))
            for task in page]
        return super().get_context_data(nav="plan", plan=plan, page=page, rows=rows, **kwargs)

    def post(self, request, *args, **kwargs):
        plan = self.plan()
        action = request.POST.get("action")
        try:
            if action in ("public_on", "public_off"):
                services.plan_set_public(plan=plan, public=action == "public_on", actor=request.user)
                messages.success(request, _("The public page is on.") if action == "public_on"
                                 else _("The public page is off."))
            elif action in ("approve", "withdraw"):
                task = get_object_or_404(Task, plan=plan, pk=request.POST.get("task") or 0)
                if action == "withdraw":
                    services.public_progress_withdraw(task=task, actor=request.user)
                    messages.success(request, _("The published text of task %(number)s was withdrawn.")
                                     % {"number": task.display_number})
                else:
                    form = PublicProgressForm(request.POST, plan=plan)
                    if not form.is_valid():
                        return self.render_to_response(self.get_context_data(forms={task.pk: form}), status=400)
                    services.public_progress_approve(task=task, month=form.cleaned_data["month_date"],
                                                     text=form.cleaned_data["text"], actor=request.user)
                    messages.success(request, _("The text of task %(number)s is published.")
                                     % {"number": task.display_number})
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect(request.get_full_path())
