"""Pages of the account administrator: people, their roles and units, locked accounts."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import audit, services
from ..forms import (
    PersonForm,
)
from ..models import AuditEvent, Department
from ..permissions import (
    can_manage_account,
    can_manage_people,
    can_reset_credentials,
)
from ..roles import ROLE_BY_NAME, ROLES


class PeopleManagerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return can_manage_people(self.request.user)


class PeopleListView(PeopleManagerRequiredMixin, TemplateView):
    template_name = "departments/people_list.html"
    PAGE_SIZE = 50

    def get_context_data(self, **kwargs):
        User = get_user_model()
        people = User.objects.prefetch_related("memberships__department", "groups").select_related("account").order_by(
            "-is_active", "username")
        query = self.request.GET
        text = query.get("q", "").strip()[:50]
        if text:
            # E-mail addresses are encrypted, so they cannot be searched.
            people = people.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
        unit = query.get("unit", "")
        if unit.isdigit():
            people = people.filter(memberships__department=int(unit))
        role = query.get("role", "")
        if role in ROLE_BY_NAME:
            people = people.filter(groups__name=role)
        if query.get("inactive") != "1":
            people = people.filter(is_active=True)
        page = Paginator(people.distinct(), self.PAGE_SIZE).get_page(query.get("page"))
        params = query.copy()
        params.pop("page", None)
        return super().get_context_data(
            nav="people", page=page, units=Department.objects.filter(is_active=True), roles=ROLES,
            filters={"q": text, "unit": unit, "role": role, "inactive": query.get("inactive", "")},
            query=params.urlencode(), role_names=set(ROLE_BY_NAME), **kwargs)


class PersonCreateView(PeopleManagerRequiredMixin, TemplateView):
    template_name = "departments/person_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PersonForm())
        return super().get_context_data(nav="people", **kwargs)

    def post(self, request, *args, **kwargs):
        form = PersonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = services.user_create(
                    username=data["username"], full_name=data["full_name"], email=data["email"], phone=data["phone"],
                    memberships=form.memberships(), role_names=data["roles"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self.render_to_response(self.get_context_data(created=user, password=password))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PersonEditView(PeopleManagerRequiredMixin, TemplateView):
    template_name = "departments/person_form.html"

    @cached_property
    def person(self):
        person = get_object_or_404(get_user_model().objects.prefetch_related("memberships"), pk=self.kwargs["pk"])
        if not can_manage_account(self.request.user, person):
            raise PermissionDenied
        return person

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PersonForm(instance=self.person, initial=PersonForm.initial_for(self.person)))
        return super().get_context_data(nav="people", person=self.person,
                                        can_reset=can_reset_credentials(self.request.user, self.person), **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "reset_second_factor":
            if not can_reset_credentials(request.user, self.person):
                raise PermissionDenied
            services.user_reset_second_factor(user=self.person)
            messages.success(request, _("Two-factor authentication of %(name)s was reset.") % {
                "name": self.person.get_full_name() or self.person.username})
            return redirect("departments:person_edit", pk=self.person.pk)
        if request.POST.get("action") == "reset_password":
            if not can_reset_credentials(request.user, self.person):
                raise PermissionDenied
            password = services.user_reset_password(user=self.person)
            return self.render_to_response(self.get_context_data(reset_password=password))
        form = PersonForm(request.POST, instance=self.person, initial=PersonForm.initial_for(self.person))
        if form.is_valid():
            data = form.cleaned_data
            if self.person == request.user and not data["is_active"]:
                form.add_error("is_active", _("You cannot deactivate your own account."))
            else:
                try:
                    with transaction.atomic():
                        services.user_update(user=self.person, full_name=data["full_name"], email=data["email"],
                                             phone=data["phone"], is_active=data["is_active"])
                        services.user_set_units(user=self.person, memberships=form.memberships())
                        services.user_set_roles(user=self.person, role_names=data["roles"], actor=request.user)
                except ValidationError as error:
                    # Recorded after the rollback, so the refusal itself stays in the log.
                    audit.record("roles_changed", obj=self.person, result=AuditEvent.Result.FAILURE,
                                 detail=" ".join(error.messages))
                    form.add_error("roles", error)
                else:
                    messages.success(request, _("%(name)s saved.") % {"name": self.person.get_full_name() or self.person.username})
                    return redirect("departments:people")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LockedAccountsView(PeopleManagerRequiredMixin, TemplateView):
    """Accounts locked out after failed logins, and unlocking them (security administrator)."""

    template_name = "departments/locked_accounts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav="people", attempts=services.locked_accounts()[:200], **kwargs)

    def post(self, request, *args, **kwargs):
        attempt = get_object_or_404(services.locked_accounts(), pk=request.POST.get("attempt") or 0)
        services.account_unlock(attempt=attempt)
        messages.success(request, _("%(name)s can sign in again.") % {"name": attempt.username})
        return redirect("departments:locked_accounts")
