"""Units (科室 and subordinate units), their other names, and people's accounts, managed in the portal."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import audit, selectors, services, two_factor
from .forms import (
    AuditFilterForm,
    ChannelForm,
    DepartmentForm,
    MergeForm,
    MySettingsForm,
    PersonForm,
)
from .models import AuditEvent, ChannelDelivery, Department
from .permissions import (
    can_manage_account,
    can_manage_people,
    can_manage_units,
    can_read_audit_log,
    can_reset_credentials,
    must_use_second_factor,
)
from .roles import ROLE_BY_NAME, ROLES
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


class MySettingsView(LoginRequiredMixin, TemplateView):
    """我的设置: one's own e-mail, phone and the daily e-mail digest."""

    template_name = "departments/my_settings.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        account = getattr(user, "account", None)
        kwargs.setdefault("form", MySettingsForm(initial={
            "email": account.email if account else user.email, "phone": account.phone if account else "",
            "email_digest": account.email_digest if account else False}))
        return super().get_context_data(nav="settings", has_device=two_factor.has_device(user), **kwargs)

    def post(self, request, *args, **kwargs):
        form = MySettingsForm(request.POST)
        if form.is_valid():
            services.my_settings_save(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your settings were saved."))
            return redirect("departments:my_settings")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, which also ends the one-time password requirement."""

    extra_context = {"nav": "password"}

    def form_valid(self, form):
        from .login_policy import MUST_CHANGE_PASSWORD

        response = super().form_valid(form)
        services.password_changed(user=form.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        return response


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


class AuditorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return can_read_audit_log(self.request.user)


class AuditLogView(AuditorRequiredMixin, TemplateView):
    """The security audit log for the audit administrator: search, page, export."""

    template_name = "departments/audit_log.html"
    PAGE_SIZE = 50

    def events(self):
        form = AuditFilterForm(self.request.GET or None)
        return form, selectors.audit_events(**(form.cleaned_data if form.is_valid() else {}))

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form, events = self.events()
        page = Paginator(events, self.PAGE_SIZE).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(nav="audit", form=form, page=page, query=params.urlencode(), **kwargs)

    def export(self):
        import csv
        import io

        from django.http import FileResponse

        from siping_edu.spreadsheets import inert_csv_text

        form, events = self.events()
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(["时间", "用户", "地址", "事件", "对象", "结果", "详情", "摘要"])
        for event in events[:100000].iterator():
            writer.writerow([inert_csv_text(value) for value in (
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"), event.username, event.address,
                event.event, event.object_repr, event.get_result_display(), event.detail, event.digest)])
        audit.record("audit_export", detail=self.request.GET.urlencode()[:500])
        return FileResponse(io.BytesIO(("\ufeff" + text.getvalue()).encode("utf-8")), as_attachment=True,
                            filename=f"安全审计日志-{timezone.localdate():%Y%m%d}.csv", content_type="text/csv; charset=utf-8")


# Two-factor authentication


class OTPVerifyView(LoginRequiredMixin, TemplateView):
    """The second factor after the password: a code from the authenticator app, or a recovery code."""

    template_name = "departments/otp_verify.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_verified() or not two_factor.has_device(request.user):
            return redirect("home")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if two_factor.verify(request, request.POST.get("token", "")):
            return redirect(request.GET.get("next") if url_has_allowed_host_and_scheme(
                request.GET.get("next"), allowed_hosts={request.get_host()}) else "home")
        if not request.user.is_authenticated:  # locked out: the session has ended
            messages.error(request, _("Too many wrong codes: the account is locked for a while."))
            return redirect("login")
        return self.render_to_response(self.get_context_data(error=_("The code is wrong or has expired.")), status=400)


class OTPSetupView(LoginRequiredMixin, TemplateView):
    """Enrolment: scan the QR code (drawn here, not by a web service), confirm with a first code,
    keep the recovery codes shown once."""

    template_name = "departments/otp_setup.html"

    def get_context_data(self, **kwargs):
        import base64

        device = two_factor.enrolment_device(self.request.user)
        return super().get_context_data(
            nav="settings", qr=mark_safe(two_factor.qr_svg(device)),
            secret=base64.b32encode(device.bin_key).decode().rstrip("="),
            required=must_use_second_factor(self.request.user), **kwargs)

    def get(self, request, *args, **kwargs):
        if two_factor.has_device(request.user) and not request.user.is_verified():
            return redirect("departments:otp_verify")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if two_factor.has_device(request.user) and not request.user.is_verified():
            return redirect("departments:otp_verify")
        device = two_factor.enrolment_device(request.user)
        codes = two_factor.confirm_enrolment(request, device, request.POST.get("token", ""))
        if codes is None:
            return self.render_to_response(self.get_context_data(error=_("The code is wrong or has expired.")),
                                           status=400)
        return render(request, "departments/otp_codes.html", {"codes": codes, "nav": "settings"})
