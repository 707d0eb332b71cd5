"""Encrypted model field for personal data (ID numbers, phone numbers)."""

from __future__ import annotations

from typing import Any

from django.db import models

from chunnuan.core import crypto


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """Stores AES-GCM ciphertext; Python code sees the plaintext.

    ``kind`` ("id_number" or "phone") chooses the mask. Exact lookups go through the companion
    hash column named by ``hash_field`` (kept current by :class:`PersonalDataModel`); filtering on
    the encrypted column itself can never match, because every write uses a fresh nonce.
    """

    def __init__(self, *args: Any, kind: str = "id_number", hash_field: str | None = None, **kwargs: Any):
        self.kind = kind
        self.hash_field = hash_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(str(value))

    def mask(self, value: str) -> str:
        return crypto.mask_phone(value) if self.kind == "phone" else crypto.mask_id_number(value)


class PersonalDataModel(models.Model):
    """Keeps each encrypted field's lookup hash current on save."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_lookup_hashes()
        super().save(*args, **kwargs)

    def refresh_lookup_hashes(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, EncryptedCharField) and field.hash_field:
                value = getattr(self, field.attname)
                setattr(self, field.hash_field, crypto.lookup_hash(value) if value else None)


def personal_fields(model: type[models.Model]) -> dict[str, EncryptedCharField]:
    return {f.name: f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)}
