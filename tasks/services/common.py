"""What every write of the work plan shares: saving with validation, history and optimistic
locking; files that follow the transaction; links and notifications."""

import contextvars
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tasks.models import Notification


class StaleEditError(ValidationError):
    """Someone else saved the object after the acting user loaded it."""


def model_save(instance, *, actor, update_fields=None):
    """full_clean, then save, recording `actor` as the author of the history record.

    simple-history reads the acting user from `_history_user`; this is the one place that sets it.
    With `update_fields` only those columns are written (and validated).
    """
    instance._history_user = actor
    if update_fields is None:
        instance.full_clean()
    else:
        instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in update_fields])
    instance.save(update_fields=update_fields)
    return instance


def model_update(*, instance, data, actor, expected_version=None):
    """Set the fields in `data` and save just those, under optimistic locking where the model
    has a `version`: the caller passes the version it showed the user (or the loaded one).

    The conditional UPDATE takes the row lock, so of two concurrent saves from the same version
    exactly one claims it; the other is told to reload.
    """
    for name, value in data.items():
        setattr(instance, name, value)
    fields = list(data)
    if hasattr(instance, "version"):
        expected = instance.version if expected_version is None else int(expected_version)
        claimed = type(instance).objects.filter(pk=instance.pk, version=expected).update(version=expected + 1)
        if not claimed:
            raise StaleEditError(
                _("Someone else changed this in the meantime. Reload the page to see their changes.")
            )
        instance.version = expected + 1
        fields.append("version")
    return model_save(instance, actor=actor, update_fields=fields)


_stored_files = contextvars.ContextVar("stored_evidence_files", default=None)


def atomic_with_files(service):
    """Run a service atomically; if it fails, delete the evidence files it already stored.

    A database rollback cannot remove files from disk, so the outermost service call keeps a
    list of what it stored and deletes those files when the transaction does not commit.
    """

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        if _stored_files.get() is not None:
            return service(*args, **kwargs)
        stored = []
        token = _stored_files.set(stored)
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except BaseException:
            for storage, name in stored:
                storage.delete(name)
            raise
        finally:
            _stored_files.reset(token)

    return wrapper


def remember_stored_file(storage, name):
    """Called by whatever stores a file inside `atomic_with_files`, so a rollback removes it."""
    _stored_files.get().append((storage, name))


def task_url(task, *, anchor=""):
    url = reverse("tasks:task_detail", kwargs={"year": task.plan.year, "number": task.number})
    return f"{url}#{anchor}" if anchor else url


def notify(*, recipients, message, task=None, url=""):
    """Write one in-app notification per distinct recipient."""
    unique = {user.pk: user for user in recipients if user is not None}
    Notification.objects.bulk_create(
        Notification(recipient=user, task=task, message=message[:300], url=url)
        for user in unique.values()
    )


def notify_units(*, departments, message, url=""):
    """Post a notice to the units' group robots (企业微信 / 钉钉), with a link when the portal's
    address is configured (PORTAL_URL). The members' in-app notices are written by `notify`."""
    from django.conf import settings

    from departments.services import channel_post

    link = f"\n{settings.PORTAL_URL.rstrip('/')}{url}" if settings.PORTAL_URL and url else ""
    return channel_post(departments=departments, text=f"{message}{link}")
