"""The import engine: one file, one spec → normalised rows, per-cell errors, one transaction.

Two passes over the rows, never holding the sheet twice:

1. **check** (outside any transaction, so a background run's progress is visible): read rows,
   skip blank / total / signature rows, normalise each cell by its column's kind, check duplicate
   keys within the file, run ``spec.check_row``. Rejected rows keep their raw cells for the error
   report; valid rows are pickled batch by batch to a spooled temporary file.
2. **write** (one ``transaction.atomic()``): ``spec.apply`` per batch. A dry run, or an
   all-or-nothing import with any rejected row, raises a sentinel at the end, so nothing is
   written; a crash or kill mid-way leaves nothing half-written either.

::

    result = run_import(spec=get_spec("workers"), source="台帐.xlsx", filename="台帐.xlsx",
                        ctx=ImportContext(actor=actor, region_code="220702001000"),
                        mode="valid-rows", progress=lambda done, total, msg: ...)
    result.as_json()   # the command's --json object
"""

from __future__ import annotations

import datetime as dt
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

from django.db import transaction

from chunnuan.core.crypto import mask_id_number, mask_phone
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import IdNumberInfo
from chunnuan.core.importing.headers import SCAN_ROWS, find_header, normalize_label
from chunnuan.core.importing.normalize import (
    NORMALIZERS,
    AddressCodes,
    CellValueError,
    NormalizeEnv,
)
from chunnuan.core.importing.reader import MSG_EMPTY, ReadError, Source, read_rows, row_is_empty
from chunnuan.core.importing.regions import RegionResolver
from chunnuan.core.importing.report import RejectedRow, write_error_report
from chunnuan.core.importing.spec import (
    CellError,
    CleanRow,
    Column,
    ColumnKind,
    ContractTerm,
    ImportContext,
    ImportSpec,
    Outcome,
)

__all__ = ["MODES", "ImportResult", "RegionResolver", "run_import"]

VALID_ROWS = "valid-rows"
ALL_OR_NOTHING = "all-or-nothing"
MODES = (VALID_ROWS, ALL_OR_NOTHING)
MODE_LABELS = {VALID_ROWS: "导入正确的行", ALL_OR_NOTHING: "全部正确才导入"}

PREVIEW_ROWS = 20
MAX_WARNINGS_KEPT = 1000
PROGRESS_EVERY = 1000
SPOOL_BYTES = 32 * 1024 * 1024

SKIP_PREFIXES = (
    "合计",
    "小计",
    "总计",
    "共计",
    "填表人",
    "填报人",
    "审核人",
    "制表",
    "负责人",
    "单位负责人",
    "备注:",
    "说明:",
    "注:",
)

Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do). ``as_json()`` is the command's --json."""

    kind: str
    filename: str = ""
    mode: str = VALID_ROWS
    dry_run: bool = False
    rows: int = 0  # data rows (blank, total and signature rows not counted)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    skipped: int = 0  # blank-looking total / signature / repeated header rows
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}
    warning_list: list[dict[str, Any]] = field(default_factory=list)  # the first MAX_WARNINGS_KEPT
    error_report: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the spec columns found, in sheet order
    preview: list[dict[str, Any]] = field(default_factory=list)  # {"row", "values": [...], "errors"}
    written: bool = False  # True when the rows were committed
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "errors": self.errors,
            "error_report": self.error_report,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (stored with a background run, returned by the API)."""
        return {
            **self.as_json(),
            "filename": self.filename,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "skipped": self.skipped,
            "warning_list": self.warning_list,
            "ignored_columns": self.ignored_columns,
            "header_rows": self.header_rows,
            "columns": self.columns,
            "preview": self.preview,
            "written": self.written,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})

    @property
    def summary(self) -> str:
        verb = "预检" if self.dry_run else "导入"
        return (
            f"{verb}{self.filename or self.kind}：共{self.rows}行，新增{self.created}，更新{self.updated}，"
            f"未变{self.unchanged}，拒绝{self.rejected}，提示{self.warnings}"
        )


_PACKED_ID = "\x00id"
_PACKED_TERM = "\x00term"


class _Rollback(Exception):
    """Raised inside the write transaction to undo it (dry run, all-or-nothing with errors)."""


@dataclass
class _Col:
    index: int
    column: Column
    label: str  # the header the user sees
    normalize: Callable[[Any, Column, NormalizeEnv], Any]
    memo: dict[str, Any] | None = None  # text → clean value, for kinds whose values repeat


@dataclass(frozen=True)
class _Failed:
    message: str


_MISS = object()
MEMO_SIZE = 20_000
# Kinds whose clean value depends on the text alone and is immutable (dates, terms, yes/no …):
# bureaus' files repeat these values endlessly, so each spelling is normalised once per import.
MEMO_KINDS = frozenset(
    {
        ColumnKind.DATE,
        ColumnKind.BOOL,
        ColumnKind.CHOICE,
        ColumnKind.CONTRACT_TERM,
        ColumnKind.DECIMAL,
        ColumnKind.INT,
        ColumnKind.REGION_CODE,
    }
)


def _is_personal(column: Column) -> bool:
    """ID numbers and phone numbers: the preview shows them masked, as the ledger does."""
    return column.kind in (ColumnKind.ID_NUMBER, ColumnKind.PHONE) or column.key.endswith("phone")


def _display(value: Any, *, personal: bool = False) -> str:
    """A clean value as the preview shows it. The preview is kept with a background run and
    returned by the API, so ID and phone numbers are always masked (issue 9 defect 2)."""
    if value is None:
        return ""
    if isinstance(value, IdNumberInfo):
        return mask_id_number(value.number)
    if personal:
        return mask_phone(str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, ContractTerm):
        names = {
            "fixed_term": "固定期限",
            "open_ended": "无固定期限",
            "task_based": "以完成一定工作任务为期限",
        }
        text = names.get(value.contract_type, value.contract_type)
        if value.start or value.end:
            text += f" {value.start or ''}至{value.end or ''}"
        elif value.years:
            text += f" {value.years}年"
        return text
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _key_of(value: Any) -> Any:
    if isinstance(value, IdNumberInfo):
        return value.number
    if isinstance(value, str):
        return value.replace(" ", "")
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _is_skip_row(cells: list[Any]) -> bool:
    """A total, signature or note row: its first filled cell (or, in a sparse row of at most
    three filled cells, any of them) starts with 合计, 填表人, 备注: …"""
    filled = len(cells) - cells.count("") - cells.count(None)
    if filled == 0:
        return True
    for cell in cells:
        if cell is None or cell == "":
            continue
        if isinstance(cell, str) and _skip_text(cell):
            return True
        if filled > 3:
            return False
    return False


def _skip_text(text: str) -> bool:
    if text.startswith(SKIP_PREFIXES):
        return True
    if text[:1].isspace() or "　" in text[:4] or " " in text[:4] or "：" in text[:6]:
        text = text.replace(" ", "").replace("\u3000", "").replace("：", ":")
        return text.startswith(SKIP_PREFIXES)
    return False


class _Engine:
    def __init__(
        self, *, spec: ImportSpec, ctx: ImportContext, mode: str, filename: str, progress: Progress | None
    ) -> None:
        self.spec = spec
        self.ctx = ctx
        self.mode = mode
        self.progress = progress
        self.result = ImportResult(kind=spec.kind, filename=filename, mode=mode, dry_run=ctx.dry_run)
        self.env = NormalizeEnv(address_known=AddressCodes())
        self.rejected: list[RejectedRow] = []
        self.seen: dict[Any, tuple[int, Any]] = {}
        self.valid_count = 0
        self.estimate = 1
        self.id_keys: list[str] = []
        self.term_keys: list[str] = []
        self.batches = 0
        self.spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        columns = {c.key: c for c in spec.columns}
        self.key_column = columns.get(spec.key)
        self.match_column = columns.get(spec.same_key_must_match or "")

    # --- pass 1 -------------------------------------------------------------------------------

    def check(self, source: Source, filename: str) -> None:
        sheet = read_rows(source, filename=filename)
        rows = sheet.rows
        head = list(islice(rows, SCAN_ROWS))
        if not head or all(row_is_empty(cells) for _, cells in head):
            raise ReadError(MSG_EMPTY)
        header = find_header(self.spec, head)
        self.header = header
        result = self.result
        result.header_rows = header.header_rows
        result.ignored_columns = header.ignored
        cols = [
            _Col(
                index,
                column,
                header.labels[index] or column.label,
                NORMALIZERS[column.kind],
                {} if column.kind in MEMO_KINDS else None,
            )
            for index, column in sorted(header.columns.items())
        ]
        self.cols = cols
        result.columns = [c.label for c in cols]
        template = {column.key: None for column in self.spec.columns}
        id_keys = self.id_keys = [c.column.key for c in cols if c.column.kind is ColumnKind.ID_NUMBER]
        self.term_keys = [c.column.key for c in cols if c.column.kind is ColumnKind.CONTRACT_TERM]
        key_index = next((c.index for c in cols if c.column.key == self.spec.key), None)
        key_header = normalize_label(header.labels[key_index]) if key_index is not None else None
        label_of = {c.column.key: c.label for c in cols}
        estimate = self.estimate = max(sheet.estimated_rows, 1)
        pending: list[CleanRow] = []
        env = self.env
        spec = self.spec
        read = 0
        for number, cells in chain(head[header.last_header_index + 1 :], rows):
            read += 1
            if self.progress is not None and read % PROGRESS_EVERY == 0:
                self.progress(read, estimate * 2, "")
            if row_is_empty(cells):
                continue
            if _is_skip_row(cells) or (
                key_index is not None
                and key_index < len(cells)
                and isinstance(cells[key_index], str)
                and normalize_label(cells[key_index]) == key_header
            ):
                result.skipped += 1
                continue
            result.rows += 1
            values = dict(template)
            errors: list[CellError] = []
            width = len(cells)
            for col in cols:
                value = cells[col.index] if col.index < width else None
                if value is None or value == "" or (isinstance(value, str) and value.isspace()):
                    if col.column.required:
                        errors.append(CellError(col.label, f"请填写{col.column.label}"))
                    continue
                memo = col.memo
                if memo is not None and type(value) is str:
                    clean = memo.get(value, _MISS)
                    if clean is _MISS:
                        try:
                            clean = col.normalize(value, col.column, env)
                        except CellValueError as exc:
                            clean = _Failed(exc.message)
                        if len(memo) < MEMO_SIZE:
                            memo[value] = clean
                    if type(clean) is _Failed:
                        errors.append(CellError(col.label, clean.message))
                    else:
                        values[col.column.key] = clean
                    continue
                try:
                    values[col.column.key] = col.normalize(value, col.column, env)
                except CellValueError as exc:
                    errors.append(CellError(col.label, exc.message))
            row = CleanRow(row=number, values=values, raw=cells)
            for key in id_keys:
                info = values[key]
                if info is not None and info.warnings:
                    row.warnings.extend(CellError(label_of[key], w) for w in info.warnings)
            if not errors:
                duplicate = self._check_duplicate(row, label_of)
                if duplicate is None:  # an exact duplicate of an earlier row: skipped
                    continue
                errors = duplicate
            if not errors:
                errors = list(spec.check_row(self.ctx, row))
            if errors:
                self._reject(row, errors)
                continue
            self._remember(row)
            self._warn(row)
            self.valid_count += 1
            if len(result.preview) < PREVIEW_ROWS:
                self._preview(row, [])
            pending.append(row)
            if len(pending) >= spec.batch_size:
                self._spill(pending)
                pending = []
        if pending:
            self._spill(pending)
        if self.progress is not None:
            self.progress(
                estimate, estimate * 2, f"已校验 {result.rows:,} 行，其中 {result.rejected:,} 行有错误"
            )

    def _check_duplicate(self, row: CleanRow, label_of: dict[str, str]) -> list[CellError] | None:
        if self.key_column is None:
            return []
        key = row.values.get(self.key_column.key)
        if key is None:
            return []
        earlier = self.seen.get(_key_of(key))
        if earlier is None:
            return []
        earlier_row, earlier_match = earlier
        key_label = label_of.get(self.key_column.key, self.key_column.label)
        if self.match_column is not None:
            mine = row.values.get(self.match_column.key)
            if mine is not None and earlier_match is not None and _key_of(mine) != earlier_match:
                return [
                    CellError(
                        key_label,
                        f"与第{earlier_row}行{self.key_column.label}相同但{self.match_column.label}不同",
                    )
                ]
        message = f"与第{earlier_row}行{self.key_column.label}相同，本行已跳过（以第{earlier_row}行为准）"
        self._add_warning(row.row, key_label, message)
        self.result.unchanged += 1  # a data row, counted as unchanged: nothing is written for it
        return None

    def _remember(self, row: CleanRow) -> None:
        if self.key_column is None:
            return
        key = row.values.get(self.key_column.key)
        if key is None:
            return
        match = row.values.get(self.match_column.key) if self.match_column is not None else None
        self.seen.setdefault(_key_of(key), (row.row, _key_of(match) if match is not None else None))

    def _add_warning(self, row: int, column: str, message: str) -> None:
        self.result.warnings += 1
        if len(self.result.warning_list) < MAX_WARNINGS_KEPT:
            self.result.warning_list.append({"row": row, "column": column, "message": message})

    def _warn(self, row: CleanRow) -> None:
        for warning in row.warnings:
            self._add_warning(row.row, warning.column, warning.message)

    def _reject(self, row: CleanRow, errors: Sequence[CellError]) -> None:
        result = self.result
        result.rejected += 1
        for error in errors:
            result.errors.append({"row": row.row, "column": error.column, "message": error.message})
        self.rejected.append(RejectedRow(row=row.row, raw=row.raw, messages=[_message(e) for e in errors]))
        if len(result.preview) < PREVIEW_ROWS:
            self._preview(row, errors)

    def _preview(self, row: CleanRow, errors: Sequence[CellError]) -> None:
        self.result.preview.append(
            {
                "row": row.row,
                "values": [
                    _display(row.values.get(c.column.key), personal=_is_personal(c.column)) for c in self.cols
                ],
                "errors": "；".join(_message(e) for e in errors),
            }
        )

    def _spill(self, batch: list[CleanRow]) -> None:
        """Pickle a batch of valid rows as plain tuples (pickling dataclasses is ~10× slower)."""
        packed = []
        for row in batch:
            values = row.values
            for key in self.id_keys:
                info = values.get(key)
                if isinstance(info, IdNumberInfo):
                    values[key] = (_PACKED_ID, info.number, info.birth_date, info.sex, info.warnings)
            for key in self.term_keys:
                term = values.get(key)
                if isinstance(term, ContractTerm):
                    values[key] = (_PACKED_TERM, term.contract_type, term.start, term.end, term.years)
            warnings = [(w.column, w.message) for w in row.warnings] if row.warnings else None
            packed.append((row.row, values, row.raw, warnings))
        # Length-prefixed blobs: pickle.load on a spooled file would read it a few bytes at a time.
        blob = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
        self.spool.write(len(blob).to_bytes(8, "little"))
        self.spool.write(blob)
        self.batches += 1

    def _batches(self) -> Iterator[list[CleanRow]]:
        self.spool.seek(0)
        for _ in range(self.batches):
            size = int.from_bytes(self.spool.read(8), "little")
            packed = pickle.loads(self.spool.read(size))  # noqa: S301 — our own spool file, written above
            batch = []
            for number, values, raw, warnings in packed:
                for key in self.id_keys:
                    info = values.get(key)
                    if type(info) is tuple and info and info[0] == _PACKED_ID:
                        values[key] = IdNumberInfo(info[1], info[2], info[3], info[4])
                for key in self.term_keys:
                    term = values.get(key)
                    if type(term) is tuple and term and term[0] == _PACKED_TERM:
                        values[key] = ContractTerm(term[1], term[2], term[3], term[4])
                row = CleanRow(row=number, values=values, raw=raw)
                if warnings:
                    row.warnings = [CellError(c, m) for c, m in warnings]
                batch.append(row)
            yield batch

    # --- pass 2 -------------------------------------------------------------------------------

    def write(self, finalize: Callable[[ImportResult], None] | None) -> None:
        result = self.result
        if self.mode == ALL_OR_NOTHING and result.rejected:
            result.note = f"有 {result.rejected} 行不正确，按“全部正确才导入”未导入任何数据"
            return
        if not self.valid_count:
            if not result.rejected:
                result.note = "没有需要导入的数据行"
            return
        counts = {Outcome.CREATED: 0, Outcome.UPDATED: 0, Outcome.UNCHANGED: 0}
        late_rejects: list[tuple[CleanRow, tuple[CellError, ...]]] = []
        done = 0
        try:
            with transaction.atomic():
                for batch in self._batches():
                    outcomes = self.spec.apply(self.ctx, batch)
                    if len(outcomes) != len(batch):
                        raise RuntimeError(
                            f"{self.spec.kind}.apply returned {len(outcomes)} outcomes for {len(batch)} rows"
                        )
                    for row, outcome in zip(batch, outcomes, strict=True):
                        if outcome.outcome is Outcome.REJECTED:
                            late_rejects.append((row, outcome.errors or (CellError("", "未能导入"),)))
                        else:
                            counts[outcome.outcome] += 1
                    done += len(batch)
                    if self.progress is not None:  # the second half of the bar
                        share = self.estimate * done // self.valid_count
                        self.progress(self.estimate + share, self.estimate * 2, "")
                if self.progress is not None:
                    self.progress(self.estimate * 2, self.estimate * 2, f"已处理 {done:,} 行")
                if self.mode == ALL_OR_NOTHING and late_rejects:
                    raise _Rollback
                if self.ctx.dry_run:
                    raise _Rollback
                result.created = counts[Outcome.CREATED]
                result.updated = counts[Outcome.UPDATED]
                result.unchanged += counts[Outcome.UNCHANGED]
                result.written = True
                for row, errors in late_rejects:
                    self._reject(row, errors)
                if finalize is not None:
                    finalize(result)
        except _Rollback:
            for row, errors in late_rejects:
                self._reject(row, errors)
            if self.mode == ALL_OR_NOTHING and result.rejected:
                result.note = f"有 {result.rejected} 行不正确，按“全部正确才导入”未导入任何数据"
            else:  # a dry run: what would have happened
                result.created = counts[Outcome.CREATED]
                result.updated = counts[Outcome.UPDATED]
                result.unchanged += counts[Outcome.UNCHANGED]
        finally:
            self.spool.close()

    def report(self) -> None:
        if not self.rejected:
            return
        warnings = [(w["row"], w["column"], w["message"]) for w in self.result.warning_list]
        path = write_error_report(
            kind=self.spec.kind, labels=self.header.labels, rejected=self.rejected, warnings=warnings
        )
        self.result.error_report = str(path)


def _message(error: CellError) -> str:
    return f"{error.column}：{error.message}" if error.column else error.message


def run_import(
    *,
    spec: ImportSpec,
    source: Source,
    filename: str = "",
    ctx: ImportContext,
    mode: str = VALID_ROWS,
    progress: Progress | None = None,
    finalize: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Import ``source`` (a path or a seekable binary file) with ``spec`` as ``ctx.actor``.

    ``progress(done, total, message)`` is called every ~1,000 rows; ``finalize(result)`` runs inside
    the write transaction when rows are committed (services write their audit row there).
    Raises ReadError when the file cannot be read at all or its header lacks required columns.
    """
    if mode not in MODES:
        raise ValidationFailed(f"导入方式应为 {' 或 '.join(MODES)}", fields={"mode": ["不支持的导入方式"]})
    engine = _Engine(spec=spec, ctx=ctx, mode=mode, filename=filename, progress=progress)
    try:
        engine.check(source, filename)
    except BaseException:
        engine.spool.close()
        raise
    engine.write(finalize)
    engine.report()
    return engine.result
