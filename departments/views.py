"""The units' other names (aliases), kept in the portal so imports match them."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import services
from .models import Department
from .permissions import can_manage_units
from .units import split_names


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
