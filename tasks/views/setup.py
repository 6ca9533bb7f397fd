"""The supervision office's plan workspace: plans by year and state, the set-up grid, 交办,
archiving and 结转; and the lead units' 签收."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from departments.forms import MergeForm
from departments.models import Department
from departments.permissions import can_manage_units
from tasks import permissions, services
from tasks.formats import whole_number
from tasks.forms import (
    BulkAssignmentForm,
    CarryOverForm,
    NewTaskForm,
    PlanCreateForm,
    SectionForm,
    TaskAssignmentForm,
)
from tasks.models import Plan, Task
from tasks.services.cycle import is_published

from .common import TaskViewMixin, add_errors, require

GRID_PAGE_SIZE = 100


class PlanManagerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return permissions.can_manage_plans(self.request.user)


class PlanWorkspaceMixin(PlanManagerRequiredMixin):
    @cached_property
    def plan(self):
        return get_object_or_404(Plan, year=self.kwargs["year"])


class PlanListView(PlanManagerRequiredMixin, TemplateView):
    """Plans by year and state (草稿 / 执行中 / 已归档), and a new plan for a year."""

    template_name = "tasks/plan_list.html"

    def get_context_data(self, **kwargs):
        plans = Plan.objects.annotate(
            task_count=Count("tasks", distinct=True),
            open_count=Count("tasks", filter=~Q(tasks__state=Task.State.COMPLETED), distinct=True),
            waiting_count=Count("tasks", filter=Q(tasks__acknowledged_at=None, tasks__lead_department__isnull=False)
                                & ~Q(tasks__state=Task.State.COMPLETED), distinct=True),
        ).order_by("-year")
        kwargs.setdefault("form", PlanCreateForm(initial={"year": timezone.localdate().year + 1}))
        return super().get_context_data(nav="plans", plans=plans, **kwargs)

    def post(self, request, *args, **kwargs):
        form = PlanCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if Plan.objects.filter(year=data["year"]).exists():
                form.add_error("year", _("There is already a plan for %(year)d.") % {"year": data["year"]})
            else:
                try:
                    plan = services.plan_create(year=data["year"], title=data["title"], actor=request.user,
                                                issuing_body=data["issuing_body"])
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The %(year)d plan was created as a draft.") % {"year": plan.year})
                    return redirect("tasks:plan_setup", year=plan.year)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanSetupView(PlanWorkspaceMixin, TemplateView):
    """The set-up grid: every task's units, leader, person, deadline and milestones, filtered and
    paged so that 35 or 500 tasks fit; selected rows take a bulk action."""

    template_name = "tasks/plan_setup.html"

    def filtered_tasks(self):
        tasks = (self.plan.tasks.select_related("plan", "section", "lead_department", "responsible_leader")
                 .prefetch_related("co_lead_departments", "cooperating_departments")
                 .annotate(milestone_count=Count("milestones", distinct=True)).order_by("number"))
        query = self.request.GET
        section = whole_number(query.get("section"))
        if section:
            tasks = tasks.filter(section__number=section)
        missing = query.get("missing", "")
        if missing == "lead":
            tasks = tasks.filter(lead_department=None)
        elif missing == "deadline":
            tasks = tasks.filter(deadline=None, deadline_text="")
        elif missing == "leader":
            tasks = tasks.filter(responsible_leader=None)
        elif missing == "acknowledgement":
            tasks = tasks.filter(acknowledged_at=None, lead_department__isnull=False)
        unit = whole_number(query.get("unit"))
        if unit:
            tasks = tasks.filter(Q(lead_department=unit) | Q(co_lead_departments=unit) | Q(cooperating_departments=unit)).distinct()
        return tasks

    def get_context_data(self, **kwargs):
        tasks = self.filtered_tasks()
        page = Paginator(tasks, GRID_PAGE_SIZE).get_page(self.request.GET.get("page"))
        adjusting = is_published(self.plan)
        numbers = [task.number for task in page.object_list]
        kwargs.setdefault("bulk_form", BulkAssignmentForm(task_numbers=numbers, adjusting=adjusting))
        kwargs.setdefault("section_form", SectionForm(initial={"number": self.plan.sections.count() + 1}))
        kwargs.setdefault("task_form", NewTaskForm(plan=self.plan))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            nav="plans", plan=self.plan, page=page, adjusting=adjusting, editable=self.plan.status != Plan.Status.ARCHIVED,
            sections=self.plan.sections.order_by("number"), units=Department.objects.filter(is_active=True),
            filters={"section": self.request.GET.get("section", ""), "missing": self.request.GET.get("missing", ""),
                     "unit": self.request.GET.get("unit", "")},
            query=query.urlencode(), problems=services.plan_publish_problems(self.plan)
            if self.plan.status == Plan.Status.DRAFT else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        """A bulk action on the selected rows of this page."""
        require(self.plan.status != Plan.Status.ARCHIVED)
        adjusting = is_published(self.plan)
        numbers = list(self.plan.tasks.values_list("number", flat=True))
        form = BulkAssignmentForm(request.POST, task_numbers=numbers, adjusting=adjusting)
        if form.is_valid():
            tasks = self.plan.tasks.filter(number__in=form.cleaned_data["tasks"]).select_related("plan")
            try:
                changed = services.tasks_assign_bulk(tasks=tasks, actor=request.user,
                                                     reason=form.cleaned_data["reason"], **form.changes())
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(count)d tasks changed.") % {"count": changed})
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(bulk_form=form), status=400)


class TaskAssignmentView(PlanManagerRequiredMixin, TaskViewMixin, TemplateView):
    """One row of the grid edited: units, leader, person, deadline (with a reason once published)."""

    template_name = "tasks/task_assignment.html"

    def get_context_data(self, **kwargs):
        adjusting = is_published(self.task.plan)
        kwargs.setdefault("form", TaskAssignmentForm(initial=TaskAssignmentForm.initial_for(self.task), adjusting=adjusting))
        return super().get_context_data(nav="plans", task=self.task, plan=self.task.plan, adjusting=adjusting,
                                        **kwargs)

    def get(self, request, *args, **kwargs):
        require(permissions.task_is_open(self.task))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require(permissions.task_is_open(self.task))
        form = TaskAssignmentForm(request.POST, adjusting=is_published(self.task.plan))
        if form.is_valid():
            try:
                changes = services.task_assign(task=self.task, actor=request.user,
                                               reason=form.cleaned_data.get("reason", ""),
                                               expected_version=form.cleaned_data["version"], **form.changes())
            except ValidationError as error:
                add_errors(form, error)
            else:
                if changes:
                    messages.success(request, _("No. %(number)s saved.") % {"number": self.task.display_number})
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(f"{self._grid_url()}#task-{self.task.number}")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _grid_url(self):
        from django.urls import reverse

        return reverse("tasks:plan_setup", kwargs={"year": self.task.plan.year})


class PlanPublishView(PlanWorkspaceMixin, TemplateView):
    """交办: the checks, and publishing when they pass."""

    template_name = "tasks/plan_publish.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav="plans", plan=self.plan,
                                        problems=services.plan_publish_problems(self.plan), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.plan_publish(plan=self.plan, actor=request.user)
        except ValidationError:
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("%(plan)s was published; every unit was told its tasks.") % {"plan": self.plan.title})
        return redirect("tasks:plan_setup", year=self.plan.year)


class PlanArchiveView(PlanWorkspaceMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.plan_archive(plan=self.plan, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(plan)s was archived: it can be read but no longer changed.")
                             % {"plan": self.plan.title})
        return redirect("tasks:plan_list")


class PlanCarryOverView(PlanWorkspaceMixin, TemplateView):
    """结转: the unfinished tasks (all chosen by default) copied into next year's draft."""

    template_name = "tasks/plan_carry_over.html"

    def get_context_data(self, **kwargs):
        tasks = list(services.cycle.carry_over_candidates(self.plan))
        chosen = kwargs.pop("chosen", None)
        if chosen is None:
            chosen = {task.number for task in tasks if task.state != Task.State.COMPLETED}
        kwargs.setdefault("form", CarryOverForm(task_numbers=[], initial={"year": self.plan.year + 1}))
        return super().get_context_data(nav="plans", plan=self.plan, tasks=tasks, chosen=chosen, **kwargs)

    def post(self, request, *args, **kwargs):
        numbers = list(self.plan.tasks.values_list("number", flat=True))
        form = CarryOverForm(request.POST, task_numbers=numbers)
        chosen = {whole_number(value) for value in request.POST.getlist("tasks")}
        if form.is_valid():
            try:
                target, created = services.plan_carry_over(
                    plan=self.plan, tasks=self.plan.tasks.filter(number__in=form.cleaned_data["tasks"]),
                    year=form.cleaned_data["year"], actor=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("%(count)d tasks were carried over into the %(year)d draft plan.")
                                 % {"count": len(created), "year": target.year})
                return redirect("tasks:plan_setup", year=target.year)
        return self.render_to_response(self.get_context_data(form=form, chosen=chosen), status=400)


# 签收


class TaskAcknowledgeView(TaskViewMixin, View):
    def post(self, request, *args, **kwargs):
        require(permissions.can_acknowledge_task(request.user, self.task))
        services.task_acknowledge(task=self.task, actor=request.user)
        messages.success(request, _("No. %(number)s acknowledged.") % {"number": self.task.display_number})
        return redirect("tasks:my_tasks" if request.POST.get("next") == "my" else self.task_url())


class AcknowledgeAllView(LoginRequiredMixin, View):
    """签收 of every task waiting for the user's units, from 我的任务."""

    def post(self, request, *args, **kwargs):
        waiting = permissions.tasks_acknowledgeable_by(request.user).select_related("plan")
        count = services.tasks_acknowledge(tasks=waiting, actor=request.user)
        if count:
            messages.success(request, _("%(count)d tasks acknowledged.") % {"count": count})
        return redirect("tasks:my_tasks")


class UnitMergeView(LoginRequiredMixin, UserPassesTestMixin, View):
    """合并: a unit's tasks, reports, history, people and names moved into another (the form is on
    the unit's page in departments; the merge moves tasks, so it is served here)."""

    def test_func(self):
        return can_manage_units(self.request.user)

    def post(self, request, *args, **kwargs):
        source = get_object_or_404(Department, pk=kwargs["pk"])
        form = MergeForm(request.POST, source=source)
        if not form.is_valid():
            messages.error(request, _("Choose the unit to merge into."))
            return redirect("departments:unit_edit", pk=source.pk)
        target, name = form.cleaned_data["target"], source.name
        try:
            services.department_merge(source=source, target=target, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("departments:unit_edit", pk=source.pk)
        messages.success(request, _("%(source)s was merged into %(target)s.") % {"source": name, "target": target.name})
        return redirect("departments:units")


class PlanSectionsView(PlanWorkspaceMixin, View):
    """A section added to the plan or renamed (its number is its place in the plan)."""

    def post(self, request, *args, **kwargs):
        require(self.plan.status != Plan.Status.ARCHIVED)
        form = SectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("tasks:plan_setup", year=self.plan.year)
        number, title = form.cleaned_data["number"], form.cleaned_data["title"]
        section = self.plan.sections.filter(number=number).first()
        if section is None:
            services.section_create(plan=self.plan, number=number, title=title)
            messages.success(request, _("Section %(number)d added.") % {"number": number})
        else:
            services.section_update(section=section, data={"title": title.strip()})
            messages.success(request, _("Section %(number)d renamed.") % {"number": number})
        return redirect("tasks:plan_setup", year=self.plan.year)


class PlanTaskCreateView(PlanWorkspaceMixin, View):
    """A task added by hand, numbered after the plan's last; its units are set in the grid."""

    def post(self, request, *args, **kwargs):
        require(self.plan.status != Plan.Status.ARCHIVED)
        form = NewTaskForm(request.POST, plan=self.plan)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("tasks:plan_setup", year=self.plan.year)
        task = services.task_add(plan=self.plan, section=form.cleaned_data["section"], title=form.cleaned_data["title"],
                                 content=form.cleaned_data["content"], actor=request.user)
        messages.success(request, _("No. %(number)s added: give it its units and deadline.") % {"number": task.display_number})
        return redirect("tasks:task_assignment", year=self.plan.year, number=task.number)
