"""The plan, its tasks and my tasks."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from departments.roles import landing_of
from departments.selectors import working_memberships
from tasks import permissions, selectors, services
from tasks.formats import month_end, whole_number
from tasks.forms import (
    InstructionForm,
    MilestoneForm,
    ResponsiblePersonForm,
    SupervisionNoticeForm,
    month_choices_default,
)
from tasks.history import task_history
from tasks.models import ProgressReport
from tasks.search import search
from tasks.status import default_as_of, is_awaiting_acknowledgement
from tasks.status_store import status_of

from .common import TaskViewMixin, require


class HomeView(LoginRequiredMixin, View):
    """Where a login lands: leaders on the dashboard, the supervision office on the review queue,
    office staff and heads on their tasks (`departments.roles.ROLES` says which)."""

    def get(self, request, *args, **kwargs):
        landing = landing_of(request.user)
        if landing:
            return redirect(landing)
        if working_memberships(request.user):
            return redirect("tasks:my_tasks")
        return redirect("tasks:current_plan")


class CurrentPlanView(LoginRequiredMixin, TemplateView):
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


class TaskDetailView(TaskViewMixin, TemplateView):
    template_name = "tasks/task_detail.html"
    tab = "overview"

    def get(self, request, *args, **kwargs):
        if self.tab == "overview" and permissions.can_reply_to_instructions(request.user, self.task):
            services.instructions_mark_read(task=self.task, actor=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, instruction_form=None, notice_form=None, **kwargs):
        user, task = self.request.user, self.task
        context = {
            "task": task,
            "plan": task.plan,
            "nav": "plan",
            "tab": self.tab,
            "status": status_of(task, on=default_as_of(task.plan.year, timezone.localdate())),
            "can_edit_milestones": permissions.can_edit_milestones(user, task),
            "can_report": permissions.can_report_on_task(user, task),
            "can_change": permissions.can_change_task(user, task),
            "can_request": permissions.can_request_for_task(user, task),
            "can_see_evidence": permissions.can_see_evidence(user, task),
            "can_instruct": permissions.can_write_instructions(user, task),
            "can_reply": permissions.can_reply_to_instructions(user, task),
            "can_acknowledge": permissions.can_acknowledge_task(user, task),
            "awaiting_acknowledgement": is_awaiting_acknowledgement(task),
            "can_manage_plan": permissions.can_manage_plans(user),
            "instruction_form": instruction_form or InstructionForm(),
            "can_issue_notice": permissions.can_issue_notice(user, task),
            "notice_form": notice_form or SupervisionNoticeForm(),
            "milestone_form": MilestoneForm(),
            "responsible_form": ResponsiblePersonForm(
                initial={"responsible_person": task.responsible_person, "version": task.version}
            ),
            "today": timezone.localdate(),
        }
        if self.tab == "history":
            context["history"] = task_history(task, user)
        else:
            context["reports"] = selectors.reports_shown_on_task_page(user, task)
            context["can_mark_read"] = {report.pk for report in context["reports"]
                                        if permissions.can_mark_report_read(user, report)
                                        and not any(r.leader_id == user.pk for r in report.readings.all())}
            context["requests"] = selectors.task_requests(task)
            context["instructions"] = selectors.task_instructions(task)
            context["adjustments"] = selectors.task_adjustments(task)
            context["notices"] = selectors.task_notices(task)
            context["carried_to"] = selectors.task_carried_to(user, task)
        return super().get_context_data(**context, **kwargs)


class TaskHistoryView(TaskDetailView):
    tab = "history"


class MyTasksView(LoginRequiredMixin, TemplateView):
    template_name = "tasks/my_tasks.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = selectors.plan_chosen_by(user, year=whole_number(self.request.GET.get("year")))
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
                acknowledge_count=sum(row.can_acknowledge for row in rows),
                sections=plan.sections.order_by("number"),
                report_states=[("missing", _("Not reported"))] + list(ProgressReport.State.choices),
                months=[month.replace(month=m) for m in range(1, 13)],
            )
        return super().get_context_data(**context, **kwargs)


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


class LeaderTasksView(LoginRequiredMixin, TemplateView):
    """我分管的: a leader's own tasks with their lights, worst first."""

    template_name = "tasks/leader_tasks.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = selectors.plan_chosen_by(user, year=whole_number(self.request.GET.get("year")))
        rows = []
        if plan is not None:
            on = default_as_of(plan.year, timezone.localdate())
            rows = selectors.tasks_led_by_leader(user, plan=plan, on=on)
            order = {"late": 0, "warning": 1, "not_started": 2, "normal": 3, "ahead": 4, "done": 5}
            rows.sort(key=lambda row: (order.get(row[1].light, 9), row[0].number))
        return super().get_context_data(nav="leading", plan=plan, rows=rows, **kwargs)


class SearchView(LoginRequiredMixin, TemplateView):
    """The header's search box: tasks, reports and 批示 the user may see."""

    template_name = "tasks/search.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()[:200]
        results = search(self.request.user, text, visible_tasks=selectors.tasks_visible_to(self.request.user))
        return super().get_context_data(nav="search", results=results, query=text,
                                        too_short=bool(text) and not results.words, **kwargs)
