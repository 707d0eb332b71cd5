"""How a ledger declares its import: columns, how a clean row is checked, how a batch is written.

An app declares one ``ImportSpec`` per kind in its ``spreadsheets.py`` and registers it with
``register(spec)``; the engine (``engine.py``) does everything else: reading xlsx/xls/csv,
finding the header row(s), normalising every cell by its column's ``kind``, skipping blank /
total / signature rows, per-cell errors with the row number and header the user sees, duplicate
keys inside one file, modes, one transaction, the rejected-rows workbook.

Flow per file::

    raw cells --(Column.kind normaliser)--> CleanRow.values --(spec.check_row)--> errors/warnings
              --(batches of spec.batch_size)--> spec.apply(ctx, rows) -> one RowOutcome per row
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chunnuan.access.actor import Actor


class ColumnKind(StrEnum):
    TEXT = "text"  # stripped; full-width → half-width
    ID_NUMBER = "id_number"  # GB 11643 checked (core.identifiers.parse_id_number); value: IdNumberInfo
    PHONE = "phone"  # mobile number normalised (core.identifiers.normalize_phone); value: str
    DATE = "date"  # 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, spreadsheet serial; value: date
    BOOL = "bool"  # 是/否, √/×, Y/N, 有/无, 1/0, true/false; value: bool
    INT = "int"  # non-negative integer; value: int
    DECIMAL = "decimal"  # number; value: Decimal
    CREDIT_CODE = "credit_code"  # GB 32100 checked; value: str
    REGION_CODE = "region_code"  # 12 digits (6 digits padded); value: str (existence checked by the spec)
    CHOICE = "choice"  # one of Column.choices (keys are accepted spellings); value: the mapped value
    CONTRACT_TERM = "contract_term"  # "2024.3.1-2027.2.28", "三年", "无固定期限", "以完成一定工作任务为期限"
    # value: ContractTerm


@dataclass(frozen=True)
class Column:
    key: str  # the name in CleanRow.values
    label: str  # the canonical Chinese header, used in messages and the error report
    kind: ColumnKind = ColumnKind.TEXT
    aliases: tuple[str, ...] = ()  # other headers bureaus use (身份证号 / 公民身份号码 …)
    required: bool = False
    choices: dict[str, str] | None = None  # accepted spelling → stored value (for CHOICE)
    max_length: int | None = None


@dataclass(frozen=True)
class ContractTerm:
    """A parsed contract term. ``contract_type``: "fixed_term" / "open_ended" / "task_based"."""

    contract_type: str
    start: Any = None  # date | None
    end: Any = None  # date | None
    years: int | None = None  # "三年" when no dates are given


@dataclass(frozen=True)
class CellError:
    column: str  # the header as the user sees it ("" for the whole row)
    message: str  # plain Chinese


@dataclass
class CleanRow:
    row: int  # the spreadsheet row number as the user sees it (1-based)
    values: dict[str, Any]  # column key → normalised value (None when the cell was empty)
    raw: list[Any]  # the row's original cells, for the rejected-rows workbook
    warnings: list[CellError] = field(default_factory=list)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RowOutcome:
    outcome: Outcome
    errors: tuple[CellError, ...] = ()  # when REJECTED by apply (e.g. out of the actor's reach)


@dataclass
class ImportContext:
    """What the import runs as and for: the actor, the chosen region, the employer (roster)."""

    actor: Actor
    region_code: str | None = None  # the chosen region (12 digits) or None
    employer_id: int | None = None  # for kind "roster"
    dry_run: bool = False
    cache: dict[str, Any] = field(default_factory=dict)  # per-import memo for specs (e.g. region names)


@dataclass(frozen=True)
class ImportSpec:
    kind: str  # "workers", "employers", "roster" (the command's KIND)
    title: str  # "农民工实名制台帐"
    columns: Sequence[Column]
    key: str  # the column whose value identifies a record (duplicates in one file are checked on it)
    # Further checks of one clean row (region resolution, scope, cross-field rules); add errors and
    # may add warnings to row.warnings. Must not write.
    check_row: Callable[[ImportContext, CleanRow], list[CellError]]
    # Write one batch of valid rows (inside the engine's transaction); one outcome per row, in order.
    # No per-row queries: fetch existing records for the whole batch at once.
    apply: Callable[[ImportContext, list[CleanRow]], list[RowOutcome]]
    # A second column (besides key) that must agree between duplicate-key rows, e.g. "name".
    same_key_must_match: str | None = None
    needs_employer: bool = False  # kind "roster": --employer is required
    batch_size: int = 1000
    permission: str = ""  # Perm value the actor needs


_REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    _REGISTRY[spec.kind] = spec
    return spec


def _load_all() -> None:
    from django.apps import apps

    for config in apps.get_app_configs():  # each app's spreadsheets.py registers its kinds
        if config.name.startswith("chunnuan."):
            try:
                __import__(f"{config.name}.spreadsheets")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.spreadsheets":
                    raise


def get_spec(kind: str) -> ImportSpec:
    _load_all()
    if kind not in _REGISTRY:
        from chunnuan.core.errors import ValidationFailed

        raise ValidationFailed(f"不支持的导入类型“{kind}”，可选：{'、'.join(sorted(_REGISTRY))}")
    return _REGISTRY[kind]


def all_specs() -> dict[str, ImportSpec]:
    _load_all()
    return dict(_REGISTRY)
