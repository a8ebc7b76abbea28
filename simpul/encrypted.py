"""Secrets at rest: a model field that stores text encrypted with Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from the environment: ENCRYPTION_KEYS (comma-separated Fernet keys, newest first, so old
keys can still decrypt during a rotation), or else one derived from SECRET_KEY with HKDF. The embedded
default, which has neither, gets a random key made once in var/encryption.key (settings).
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

_PREFIX = "fernet:"


@cache
def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.ENCRYPTION_KEYS if key.strip()]
    if not keys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"simpul-fields", info=b"fernet")
        keys = [base64.urlsafe_b64encode(derived.derive(settings.SECRET_KEY.encode()))]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"ENCRYPTION_KEYS holds an invalid Fernet key: {error}") from None


def encrypt(plaintext: str) -> str:
    return _PREFIX + _fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.removeprefix(_PREFIX).encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted: was ENCRYPTION_KEYS (or var/encryption.key) changed?"
        ) from None


class EncryptedTextField(models.TextField):
    """Text encrypted in the database, plain in Python. Empty stays empty (no secret set)."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def to_python(self, value):
        # A backup carries the ciphertext (see value_to_string): loading it gives back the secret.
        if isinstance(value, str) and value.startswith(_PREFIX):
            return decrypt(value)
        return super().to_python(value)

    def value_to_string(self, obj):
        """Serialised (dumpdata, backups) as ciphertext: a backup file never holds a secret in clear."""
        value = self.value_from_object(obj)
        return encrypt(value) if value else ""
