"""Third-party apps shown in the admin in the portal's language.

django-axes ships no Chinese catalogue: its app gets a verbose name here, and its model and field
labels are listed in `THIRD_PARTY_LABELS` so that `makemessages` keeps their translations in the
portal's own catalogue (LOCALE_PATHS wins over an app's)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login security")


THIRD_PARTY_LABELS = [
    gettext_noop("access failure"), gettext_noop("access failures"), gettext_noop("access attempt"),
    gettext_noop("access attempts"), gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"), gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("HTTP Accept"), gettext_noop("Path"),
    gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Access Attempt"),
    gettext_noop("Expires At"), gettext_noop("Logout Time"), gettext_noop("Session key hash (sha256)"),
]
