from django.core.management.base import BaseCommand
from django.db import transaction

from departments import audit, crypto
from departments.models import Account

ENCRYPTED_FIELDS = ("phone", "email")


class Command(BaseCommand):
    help = ("Rewrite every encrypted value under the newest key of FIELD_ENCRYPTION_KEYS; afterwards "
            "the older keys can be removed from the setting.")

    def handle(self, *args, **options):
        newest = crypto.keys()[-1][0]
        rewritten = 0
        with transaction.atomic():
            for account in Account.objects.select_for_update():
                for field in ENCRYPTED_FIELDS:
                    raw = self._raw(account.pk, field)
                    if raw and crypto.key_id_of(raw) != newest:
                        Account.objects.filter(pk=account.pk).update(**{field: crypto.encrypt(getattr(account, field))})
                        rewritten += 1
        audit.record("encryption_keys_rotated", detail=f"{rewritten} values now under key {newest}")
        self.stdout.write(f"{rewritten} values rewritten under key {newest}.")

    @staticmethod
    def _raw(pk, field):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {field} FROM {Account._meta.db_table} WHERE id = %s", [pk])
            return cursor.fetchone()[0]
