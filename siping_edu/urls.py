from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from departments.login_policy import PortalAuthenticationForm
from departments.views import PasswordChangeView
from siping_edu import observability
from tasks.views import HomeView

# The admin is the system administrator's tool; it speaks the portal's language and names it.
admin.site.site_header = _("Education Work Plan Portal · System administration")
admin.site.site_title = _("System administration")
admin.site.index_title = _("System administration")


def favicon(request):
    # At request time: the static name may be a hashed one from the manifest.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # For the proxy, the orchestrator and Prometheus (docs/DEPLOY.md); no login, nothing private.
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.ReadinessView.as_view(), name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says: answer it instead of a 404 per visit.
    path("favicon.ico", favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Changing the password keeps this session and ends every other one (Django checks each
    # session's password hash on its next request).
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(extra_context={"nav": "password"}),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tasks.urls")),
    path("", include("tasks.intake.urls")),
    path("", include("departments.urls")),
    path("dashboard/", include("reports.urls")),
    path("api/", include("siping_edu.api_urls")),
    path("admin/", admin.site.urls),
]

# A database that went away while a request was being handled is a 503 page, not a 500.
handler500 = "siping_edu.errors.server_error"
