"""`manage.py check` warns when the portal is used with a superuser: under 三员分立 no daily work
needs one, so a superuser who signed in is worth a look (the audit log has each such login)."""

from django.core.checks import Warning, register


@register("security")
def superusers_signing_in(app_configs, **kwargs):
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    try:
        names = list(get_user_model().objects.filter(is_superuser=True, is_active=True, last_login__isnull=False)
                     .values_list("username", flat=True)[:10])
    except DatabaseError:  # before the first migration
        return []
    if not names:
        return []
    return [Warning(
        f"Superuser accounts have signed in to the portal: {', '.join(names)}.",
        hint="Daily work needs no superuser (三员分立): give the system, security and audit administrators "
             "their roles, and keep superusers for emergencies. Each superuser login is in the audit log.",
        id="departments.W001",
    )]
