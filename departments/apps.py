from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("Departments")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import audit_events, checks, contact, login_policy  # noqa: F401  (checks registers itself)

        from django.db.models.signals import post_migrate

        user_logged_in.connect(login_policy.on_login, dispatch_uid="login_policy")
        post_migrate.connect(role_groups_after_migrate, dispatch_uid="role_groups_after_migrate")
        audit_events.connect()
        contact.connect()


def role_groups_after_migrate(sender, **kwargs):
    """Once every app's permissions exist (after the last app's migrations), give the role groups
    the admin permissions the registry names: a model added by an upgrade (API tokens, say)
    reaches the system administrator without anyone editing a group."""
    from django.apps import apps

    # post_migrate is sent for each app with models, in order: act on the last one's.
    if sender is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        from .services import ensure_bureau_role_groups

        ensure_bureau_role_groups()
