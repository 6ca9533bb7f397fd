from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Plan intake: readers and parsers of documents from outside, and their pages and commands.

    An app of its own (no models) so that its commands and pages live with it; the rest of
    `tasks` never imports it.
    """

    name = "tasks.intake"
    label = "intake"
    verbose_name = _("Plan intake")
