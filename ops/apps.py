from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: the benchmark, the province-scale data generator, backup and restore.

    Nothing in the portal imports this app; it imports the portal.
    """

    name = "ops"
    verbose_name = _("Operations")
