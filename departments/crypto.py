"""Personal data encrypted at rest (数据保密性): SM4-CBC with an HMAC-SM3 tag (encrypt-then-MAC),
under keys from the environment, newest first for writing, all of them for reading, so keys can
be rotated (`manage.py rotate_encryption_keys` rewrites every value under the newest key).

FIELD_ENCRYPTION_KEYS is "id:hex32,id:hex32,…" (16-byte SM4 keys, the last one is the newest).
Without it (a development machine) one key is derived from SECRET_KEY.
"""

import base64
import hashlib
import hmac as std_hmac
import os

from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "sm4$"


def keys():
    """[(id, key)] oldest first, from FIELD_ENCRYPTION_KEYS or derived from SECRET_KEY."""
    configured = settings.FIELD_ENCRYPTION_KEYS
    if not configured:
        return [("0", hashlib.new("sm3", settings.SECRET_KEY.encode()).digest()[:16])]
    found = []
    for item in configured:
        key_id, _colon, hex_key = item.partition(":")
        try:
            key = bytes.fromhex(hex_key)
        except ValueError:
            key = b""
        if not key_id or len(key) != 16:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS takes id:32-hex-digit pairs (16-byte SM4 keys).")
        found.append((key_id, key))
    return found


def _mac_key(key):
    return hashlib.new("sm3", b"field-mac:" + key).digest()


def _tag(key, message):
    mac = hmac.HMAC(_mac_key(key), hashes.SM3())
    mac.update(message)
    return mac.finalize()


def encrypt(text):
    key_id, key = keys()[-1]
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(key), modes.CBC(iv)).encryptor()
    body = iv + encryptor.update(data) + encryptor.finalize()
    tag = _tag(key, key_id.encode() + b"$" + body)
    return f"{PREFIX}{key_id}${base64.b64encode(body + tag).decode()}"


def decrypt(value):
    """The plain text of a stored value (a value stored before encryption comes back as it is)."""
    if not value or not value.startswith(PREFIX):
        return value
    key_id, _dollar, payload = value[len(PREFIX):].partition("$")
    key = dict(keys()).get(key_id)
    if key is None:
        raise ImproperlyConfigured(f"No key {key_id!r} in FIELD_ENCRYPTION_KEYS to read a stored value.")
    raw = base64.b64decode(payload)
    body, tag = raw[:-32], raw[-32:]
    if not std_hmac.compare_digest(tag, _tag(key, key_id.encode() + b"$" + body)):
        raise ValueError("An encrypted value failed its integrity check.")
    decryptor = Cipher(algorithms.SM4(key), modes.CBC(body[:16])).decryptor()
    data = decryptor.update(body[16:]) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()


def key_id_of(value):
    return value[len(PREFIX):].partition("$")[0] if value and value.startswith(PREFIX) else None


class EncryptedTextField(models.TextField):
    """Text stored SM4-encrypted; empty stays empty. It cannot be searched or ordered by."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or value.startswith(PREFIX):
            return value
        return encrypt(value)
