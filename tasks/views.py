from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from . import selectors


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
            sections=sections,
            task_count=sum(len(section.tasks.all()) for section in sections),
            **kwargs,
        )


class TaskDetailView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/task_detail.html"

    def get_context_data(self, **kwargs):
        task = selectors.task_for_viewer(
            self.request.user, year=kwargs["year"], number=kwargs["number"]
        )
        return super().get_context_data(task=task, plan=task.plan, **kwargs)
