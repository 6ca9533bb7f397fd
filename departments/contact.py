"""A person's e-mail address, kept encrypted in their Account rather than in Django's user row.

Whatever sets `user.email` (a form, the admin, an import, a fixture) and saves the user has the
address moved into `Account.email` (SM4, departments.crypto) and the user row's copy blanked, by
the post_save receiver below. Code that needs the address reads `contact_email(user)`.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from .models import Account


def contact_email(user):
    account = getattr(user, "account", None) if user.pk else None
    if account is None and user.pk:
        account = Account.objects.filter(user=user).first()
    return (account.email if account else "") or user.email


def move_email_into_account(sender, instance, raw=False, **kwargs):
    if raw or not instance.email:
        return
    account, _created = Account.objects.get_or_create(user=instance)
    account.email = instance.email.strip()
    account.save(update_fields=["email"])
    sender.objects.filter(pk=instance.pk).update(email="")
    instance.email = ""
    instance._state.fields_cache.pop("account", None)  # a cached Account would show the old address


def connect():
    post_save.connect(move_email_into_account, sender=get_user_model(), dispatch_uid="move_email_into_account")
