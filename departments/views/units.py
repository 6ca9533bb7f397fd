"""Pages for units (科室 and 下属单位): the list, one unit, other names."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import services
from ..forms import (
    ChannelForm,
    DepartmentForm,
    MergeForm,
)
from ..models import ChannelDelivery, Department
from ..permissions import (
    can_manage_units,
)
from ..units import split_names


class UnitManagerRequiredMixin(UserPassesTestMixin):
    def test_func(self):
        return can_manage_units(self.request.user)


class DepartmentAliasesView(UnitManagerRequiredMixin, TemplateView):
    """Each unit with the other names documents use for it (基教科 for 基础教育科)."""

    template_name = "departments/department_aliases.html"

    def get_context_data(self, **kwargs):
        departments = Department.objects.filter(is_active=True).prefetch_related("aliases").order_by("order", "name")
        return super().get_context_data(nav="units", departments=departments, **kwargs)

    def post(self, request, *args, **kwargs):
        department = get_object_or_404(Department, pk=request.POST.get("department") or 0)
        typed = request.POST.get("aliases", "")
        try:
            services.department_set_aliases(department=department, names=split_names(typed))
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(
                error_department=department.pk, error_messages=error.messages, typed=typed), status=400)
        messages.success(request, _("Aliases of %(name)s saved.") % {"name": department.name})
        return redirect("departments:aliases")


class UnitListView(UnitManagerRequiredMixin, TemplateView):
    """The bureau's offices and the units under it: create, rename, change kind, deactivate."""

    template_name = "departments/unit_list.html"

    def get_context_data(self, **kwargs):
        units = (Department.objects.annotate(member_count=Count("memberships", filter=Q(memberships__user__is_active=True)))
                 .prefetch_related("aliases").order_by("-is_active", "kind", "order", "name"))
        groups = [
            (_("Bureau offices"), [u for u in units if u.is_bureau_office]),
            (_("Subordinate units"), [u for u in units if not u.is_bureau_office]),
        ]
        kwargs.setdefault("form", DepartmentForm(initial={"kind": Department.Kind.BUREAU_OFFICE, "order": 0}))
        return super().get_context_data(nav="units", groups=groups, **kwargs)

    def post(self, request, *args, **kwargs):
        form = DepartmentForm(request.POST)
        if form.is_valid():
            department = services.department_create(**form.cleaned_data)
            messages.success(request, _("%(name)s added.") % {"name": department.name})
            return redirect("departments:units")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class UnitEditView(UnitManagerRequiredMixin, TemplateView):
    template_name = "departments/unit_edit.html"

    @cached_property
    def department(self):
        return get_object_or_404(Department, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        d = self.department
        kwargs.setdefault("form", DepartmentForm(instance=d, initial={
            "name": d.name, "short_name": d.short_name, "kind": d.kind, "order": d.order}))
        kwargs.setdefault("merge_form", MergeForm(source=d))
        kwargs.setdefault("channel_form", ChannelForm(initial={"is_active": True}))
        return super().get_context_data(
            nav="units", department=d, channels=d.channels.all(),
            deliveries=ChannelDelivery.objects.filter(channel__department=d).select_related("channel")[:10], **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "channel":
            form = ChannelForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(channel_form=form), status=400)
            try:
                services.channel_set(department=self.department, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                return self.render_to_response(self.get_context_data(channel_form=form), status=400)
            messages.success(request, _("Group robot saved."))
            return redirect("departments:unit_edit", pk=self.department.pk)
        if action == "channel_test":
            sent = services.channel_post(departments=[self.department], text=_(
                "Test message from the work plan portal: notices to %(unit)s will arrive here.") % {
                "unit": self.department.display_name})
            messages.success(request, _("%(count)d test messages queued; their outcome is listed below.")
                             % {"count": len(sent)})
            return redirect("departments:unit_edit", pk=self.department.pk)
        if action in ("deactivate", "activate"):
            services.department_update(department=self.department, is_active=action == "activate")
            messages.success(request, _("%(name)s deactivated.") % {"name": self.department.name} if action == "deactivate"
                             else _("%(name)s is active again.") % {"name": self.department.name})
            return redirect("departments:units")
        form = DepartmentForm(request.POST, instance=self.department)
        if form.is_valid():
            services.department_update(department=self.department, **form.cleaned_data)
            messages.success(request, _("%(name)s saved.") % {"name": self.department.name})
            return redirect("departments:units")
        return self.render_to_response(self.get_context_data(form=form), status=400)


# People
