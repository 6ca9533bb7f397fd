"""What the audit log hears by itself: logins, logouts, failed logins, lockouts and admin changes
(Django's and django-axes' signals). Everything else is recorded by the service that does it."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import post_save

from . import audit
from .models import AuditEvent


def logged_in(sender, request, user, **kwargs):
    if user.is_superuser:
        # No daily work needs a superuser (三员分立): a superuser in the portal is worth a look.
        audit.record("login", user=user, request=request, result=AuditEvent.Result.WARNING,
                     detail="superuser signed in to the portal")
    else:
        audit.record("login", user=user, request=request)


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("logout", user=user, request=request)


def login_failed(sender, credentials, request=None, **kwargs):
    audit.record("login_failed", request=request, username=str(credentials.get("username", ""))[:150],
                 result=AuditEvent.Result.FAILURE)


def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record("lockout", request=request, username=str(username or "")[:150], result=AuditEvent.Result.FAILURE,
                 detail=f"address {ip_address}")


def admin_changed(sender, instance, created, **kwargs):
    if created:
        audit.record("admin_change", user=instance.user, detail=f"{instance.get_action_flag_display()} "
                     f"{instance.content_type} {instance.object_repr}: {instance.get_change_message()}"[:1000])


def connect():
    from axes.signals import user_locked_out

    user_logged_in.connect(logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_lockout")
    post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="audit_admin_change")
