"""Optimistic versions: the guard against lost updates on every record people edit.

A record that people edit carries ``version`` (starts at 1). Every write through its service
*claims* the version it read, inside the transaction, with one conditional UPDATE::

    UPDATE … SET version = version + 1 WHERE id = %s AND version = <the version read>

No row updated means someone else wrote first: the service raises :class:`StaleVersion` and its
transaction rolls back. A caller that showed the record to a person (an edit page's hidden field, an
API client's ``If-Match``) also passes the version that person saw (``expected``): a save made on an
older version is refused, whatever the stored values are now.

On PostgreSQL the conditional UPDATE takes the row lock: a second transaction racing the first waits,
then finds the version changed and updates nothing; on SQLite writes are serialised. The API shows
the version as an ``ETag`` (``W/"<version>"``) and reads ``If-Match``; see docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy as _

from chunnuan.core.errors import Conflict
from chunnuan.core.fields import EncryptedCharField

STALE_MESSAGE = "保存未成功：在您编辑期间，其他人已修改了这条记录。请核对当前保存的内容后重新提交"

# An expected version: one, any of several (an If-Match list), or None (not checked).
Expected = int | Collection[int] | None


class VersionedModel(models.Model):
    """Abstract: a record that people edit. ``version`` is written only through :func:`claim_version`."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class StoredVsTyped:
    """One field where a refused save differs from what is stored now (as a person reads them)."""

    name: str
    label: str
    stored: str
    typed: str


class StaleVersion(Conflict):
    """The record changed since the caller read it; nothing was written.

    ``current`` is the stored version now; ``differences`` (stored now vs typed, when the service can
    tell) let a page show both. The API answers 412 (a failed precondition: the ``If-Match``)."""

    code = "stale_version"
    status = 412
    default_message = STALE_MESSAGE

    def __init__(
        self, *, current: int | None = None, differences: tuple[Any, ...] = (), message: str | None = None
    ) -> None:
        self.current = current
        self.differences = differences
        super().__init__(message)


def _matches(version: int, expected: Expected) -> bool:
    if expected is None:
        return True
    if isinstance(expected, int):
        return version == expected
    return version in expected


def check_version(obj: VersionedModel, expected: Expected, differences: tuple[Any, ...] = ()) -> None:
    """Refuse (StaleVersion) when the caller saw another version than the one ``obj`` holds."""
    if not _matches(obj.version, expected):
        raise StaleVersion(current=obj.version, differences=differences)


def claim_version(obj: VersionedModel, expected: Expected = None, differences: tuple[Any, ...] = ()) -> None:
    """Inside the write's transaction, before saving ``obj``: check ``expected`` against the version
    ``obj`` was read with, then move the stored row to the next version — only if nobody moved it
    since (conditional UPDATE). ``obj.version`` is set to the new version, so ``obj.save()`` keeps it."""
    check_version(obj, expected, differences)
    model = type(obj)
    read = obj.version
    claimed = model._base_manager.filter(pk=obj.pk, version=read).update(version=F("version") + 1)
    if not claimed:
        current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(current=current, differences=differences)
    obj.version = read + 1


def shown_value(obj: models.Model, name: str, value: Any) -> str:
    """A value as a person reads it: choice labels, 是/否, personal fields masked."""
    field = obj._meta.get_field(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(field, EncryptedCharField):
        return field.mask(str(value))
    if isinstance(value, models.Model):
        return str(value)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def stored_vs_typed(obj: models.Model, typed: Mapping[str, Any]) -> tuple[StoredVsTyped, ...]:
    """Fields of ``typed`` (model field → value) that differ from ``obj`` as stored now."""
    out = []
    for name, value in typed.items():
        current = getattr(obj, name)
        if current == value or (current in (None, "") and value in (None, "")):
            continue
        label = str(getattr(obj._meta.get_field(name), "verbose_name", name))
        out.append(StoredVsTyped(name, label, shown_value(obj, name, current), shown_value(obj, name, value)))
    return tuple(out)


# --- HTTP: ETag and If-Match ---------------------------------------------------------------------

_TAG = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')


def etag(version: int) -> str:
    return f'W/"{version}"'


def parse_if_match(header: str | None) -> Expected:
    """The versions an ``If-Match`` header accepts: None when absent or ``*`` (no check); an empty set
    when nothing in it names a version of ours (so it matches nothing: 412). Weak and strong tags are
    compared by their version (our tags name the record's state, not its bytes)."""
    if header is None or not header.strip() or header.strip() == "*":
        return None
    versions: set[int] = set()
    for part in header.split(","):
        found = _TAG.fullmatch(part)
        if found:
            versions.add(int(found.group(1)))
    return versions


def if_match(request: HttpRequest) -> Expected:
    """The versions the request's ``If-Match`` accepts (None: no header, no check — see the module)."""
    return parse_if_match(request.headers.get("If-Match"))


def set_etag(response: HttpResponse, obj: VersionedModel) -> None:
    response["ETag"] = etag(obj.version)


# --- pages: the version in a hidden field --------------------------------------------------------


def add_version_field(form: forms.Form, obj: VersionedModel) -> None:
    """Give an edit form the version of the record it shows (a hidden field)."""
    form.fields["version"] = forms.IntegerField(
        required=False, min_value=1, initial=obj.version, widget=forms.HiddenInput
    )


def typed_version(form: forms.Form) -> int | None:
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


def stale_page(data: QueryDict, exc: StaleVersion) -> dict[str, Any]:
    """After a refused save: move the page's hidden version to the stored one (``data`` is the bound
    form's own, mutable copy of the POST, so saving again is a deliberate choice on the current
    version) and give the template what ``partials/_stale.html`` shows."""
    if exc.current is not None:
        data["version"] = str(exc.current)
    return {"message": exc.message, "differences": exc.differences}


# The OpenAPI description of the conditional write (``openapi_extra`` of each versioned write).
IF_MATCH_DOC: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": '读取时得到的 ETag（如 W/"3"）。记录已被他人修改时答 412，不保存；不发送则不检查版本',
        }
    ]
}
