"""One's own account: settings, password, the second factor."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import services, two_factor
from ..forms import (
    MySettingsForm,
)
from ..permissions import (
    must_use_second_factor,
)


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
        from ..login_policy import MUST_CHANGE_PASSWORD

        response = super().form_valid(form)
        services.password_changed(user=form.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        return response


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
