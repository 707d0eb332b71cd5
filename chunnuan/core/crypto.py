"""Personal data at rest (PIPL): AES-GCM encryption, keyed hash for exact lookup, masking.

ID numbers (身份证号) and phone numbers are stored only encrypted; a keyed HMAC of the normalised
value is stored beside them so ``WHERE id_number_hash = ...`` finds a person without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


@lru_cache(maxsize=4)
def _keys(data_key: str) -> tuple[AESGCM, bytes]:
    raw = base64.urlsafe_b64decode(data_key.encode())
    if len(raw) != 32:
        raise ValueError("CHUNNUAN_DATA_KEY must be 32 bytes, urlsafe-base64 encoded")
    enc_key = hmac.new(raw, b"chunnuan-encrypt", hashlib.sha256).digest()
    hash_key = hmac.new(raw, b"chunnuan-lookup-hash", hashlib.sha256).digest()
    return AESGCM(enc_key), hash_key


def encrypt(plaintext: str) -> str:
    aead, _ = _keys(settings.DATA_KEY)
    nonce = os.urandom(12)
    token = aead.encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + token).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    aead, _ = _keys(settings.DATA_KEY)
    blob = base64.urlsafe_b64decode(stored[len(_PREFIX) :].encode())
    return aead.decrypt(blob[:12], blob[12:], None).decode()


_FILE_MAGIC = b"CNENC1\n"


def encrypt_bytes(data: bytes) -> bytes:
    """A whole file encrypted with the data key (AES-GCM): magic line, 12-byte nonce, ciphertext."""
    aead, _ = _keys(settings.DATA_KEY)
    nonce = os.urandom(12)
    return _FILE_MAGIC + nonce + aead.encrypt(nonce, data, None)


def is_encrypted_bytes(data: bytes) -> bool:
    return data.startswith(_FILE_MAGIC)


def decrypt_bytes(blob: bytes) -> bytes:
    """The plaintext of :func:`encrypt_bytes`; ValueError when ``blob`` is not one."""
    if not blob.startswith(_FILE_MAGIC):
        raise ValueError("not an encrypted file")
    aead, _ = _keys(settings.DATA_KEY)
    body = blob[len(_FILE_MAGIC) :]
    return aead.decrypt(body[:12], body[12:], None)


def lookup_hash(value: str) -> str:
    """Keyed hash of an already-normalised value (HMAC-SHA256, hex)."""
    _, hash_key = _keys(settings.DATA_KEY)
    return hmac.new(hash_key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """``220702199001011234`` → ``2207**********1234``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
