"""Decide, then write: how typed values meet a person already in the ledger — one pure rule for the
登记 page, the API and the imports (no database here).

- A blank (``""`` or ``None``) never erases a stored value, unless the caller names the field in
  ``clearing`` (the edit form, which shows the whole record, and a PUT that sends the field).
- A coarser 户籍地 code (a county or township default) never blurs a finer stored one.
- For a person already registered, ``differences`` lists stored vs typed, field by field, for the
  comparison the officer sees; ``chosen`` (the ticked fields of that comparison) limits what is applied.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from chunnuan.access.scoping import code_prefix
from chunnuan.core.fields import EncryptedCharField
from chunnuan.workers.models import Worker

# Derived from the ID number: equal for the same person, never offered as a change.
IDENTITY_FIELDS = ("id_number", "sex", "birth_date")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class FieldDifference:
    """One field where what was typed differs from what is stored (values as a person reads them)."""

    name: str
    label: str
    stored: str
    typed: str


@dataclass(frozen=True)
class WorkerDecision:
    is_new: bool
    changes: dict[str, Any]  # model field → the value to write
    differences: tuple[FieldDifference, ...]  # existing person: every typed field that differs

    @property
    def difference_names(self) -> list[str]:
        return [d.name for d in self.differences]


def shown(name: str, value: Any) -> str:
    """A stored or typed value as the comparison shows it: choice labels, 是/否, masked ID and phone."""
    field = Worker._meta.get_field(name)
    if is_blank(value):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(field, EncryptedCharField):
        return field.mask(str(value))
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def label_of(name: str) -> str:
    field = Worker._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _is_coarser(code: str, stored: str) -> bool:
    """``code`` names a region that contains ``stored`` and is larger (220702001000 ⊃ 220702001203)."""
    if not code or code == stored:
        return False
    prefix = code_prefix(code)
    return bool(prefix) and stored.startswith(prefix)


def worker_decide(
    *,
    stored: Worker | None,
    typed: Mapping[str, Any],
    clearing: Collection[str] = (),
    chosen: Collection[str] | None = None,
) -> WorkerDecision:
    """The changes ``typed`` (model values; absent = not given) makes to ``stored`` (None: a new person).

    ``clearing``: fields whose blank value is meant (clears the stored value). ``chosen``: when not
    None, only these of the differing fields are applied (identity fields follow the ID number)."""
    given = {k: v for k, v in typed.items() if not is_blank(v) or k in clearing}
    if stored is None:
        return WorkerDecision(
            is_new=True, changes={k: ("" if v is None else v) for k, v in given.items()}, differences=()
        )
    if _is_coarser(str(given.get("origin_region_code") or ""), stored.origin_region_code):
        del given["origin_region_code"]
    changes: dict[str, Any] = {}
    differences: list[FieldDifference] = []
    for name, value in given.items():
        value = "" if value is None else value
        current = getattr(stored, name)
        if current == value or (is_blank(current) and is_blank(value)):
            continue
        if name not in IDENTITY_FIELDS:
            differences.append(
                FieldDifference(name, label_of(name), shown(name, current), shown(name, value))
            )
            if chosen is not None and name not in chosen:
                continue
        changes[name] = value
    return WorkerDecision(is_new=False, changes=changes, differences=tuple(differences))
