"""Phone numbers encrypted at rest with SM4 (HMAC-SM3 tag), readable through the model, rotated
to a new key, and refused when tampered with."""

import pytest
from django.core.management import call_command
from django.db import connection

from departments import crypto
from departments.models import Account

from .. import factories

pytestmark = pytest.mark.django_db
KEY_1, KEY_2 = "1:" + "11" * 16, "2:" + "22" * 16


def stored(account):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM departments_account WHERE id = %s", [account.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_no_phone_number_in_clear(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_1]
    account = Account.objects.create(user=factories.UserFactory(), phone="13912345678")
    raw = stored(account)
    assert raw.startswith("sm4$1$") and "13912345678" not in raw
    assert Account.objects.get(pk=account.pk).phone == "13912345678"
    assert crypto.encrypt("13912345678") != crypto.encrypt("13912345678"), "a fresh IV each time"


def test_keys_rotate_and_the_old_key_can_then_go(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_1]
    account = Account.objects.create(user=factories.UserFactory(), phone="13900000001")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_1, KEY_2]
    assert Account.objects.get(pk=account.pk).phone == "13900000001", "old values still read"
    call_command("rotate_encryption_keys")
    assert stored(account).startswith("sm4$2$")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_2]
    assert Account.objects.get(pk=account.pk).phone == "13900000001"


def test_a_tampered_value_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_1]
    value = crypto.encrypt("13900000002")
    body = bytearray(crypto.base64.b64decode(value.split("$", 2)[2]))
    body[20] ^= 1
    with pytest.raises(ValueError):
        crypto.decrypt("sm4$1$" + crypto.base64.b64encode(bytes(body)).decode())


def test_an_e_mail_address_is_kept_encrypted_in_the_account_whoever_sets_it(settings):
    from departments.contact import contact_email

    settings.FIELD_ENCRYPTION_KEYS = [KEY_1]
    user = factories.UserFactory(email="li@example.cn")
    user.refresh_from_db()
    assert user.email == "" and contact_email(user) == "li@example.cn"
    raw = stored_email(Account.objects.get(user=user))
    assert raw.startswith("sm4$1$") and "example" not in raw
    user.email = "li.ming@example.cn"
    user.save()
    assert contact_email(type(user).objects.get(pk=user.pk)) == "li.ming@example.cn"


def stored_email(account):
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM departments_account WHERE id = %s", [account.pk])
        return cursor.fetchone()[0]
