from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Departments")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from siping_edu.middleware import remember_password_policy

        from . import audit_events

        user_logged_in.connect(remember_password_policy, dispatch_uid="remember_password_policy")
        audit_events.connect()
