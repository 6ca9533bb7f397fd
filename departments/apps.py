from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Departments")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import audit_events, checks, contact, login_policy  # noqa: F401  (checks registers itself)

        user_logged_in.connect(login_policy.on_login, dispatch_uid="login_policy")
        audit_events.connect()
        contact.connect()
