"""Finding the header row(s): below title rows and notes, one row or two (merged parent cells).

Each of the first ``SCAN_ROWS`` rows — and each pair of adjacent rows — is scored by how many of
the spec's columns its cells name (after :func:`normalize_label`); the best wins. In a pair, the
lower row's label is used where it names a column, else the upper row's (a vertically merged cell
keeps its text in the upper row only; a merged parent such as 基本信息 names nothing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chunnuan.core.importing.reader import ReadError
from chunnuan.core.importing.spec import Column, ImportSpec

SCAN_ROWS = 30

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>")
_DROP = re.compile(r"[\s*:：·.、_\-]+")


def normalize_label(value: Any) -> str:
    """``"身份证号码\\n(18位)*"`` → ``"身份证号码"``: half-width, no spaces, stars, notes in brackets."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.replace("必填", "").replace("选填", "")
    text = _PARENS.sub("", text)
    return _DROP.sub("", text).lower()


@dataclass
class HeaderMap:
    """Where the header is and which spreadsheet column feeds which spec column."""

    header_rows: list[int]  # row numbers as the user sees them (one or two)
    columns: dict[int, Column]  # spreadsheet column index → spec column
    labels: list[str]  # the header text per spreadsheet column index (for the error report)
    ignored: list[str] = field(default_factory=list)  # headers that name no spec column
    last_header_index: int = 0  # index into the scanned rows of the (lower) header row


def label_table(spec: ImportSpec) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for column in spec.columns:
        for name in (column.label, *column.aliases):
            table.setdefault(normalize_label(name), column)
    table.pop("", None)
    return table


def _match_row(cells: Sequence[Any], table: dict[str, Column]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    for index, cell in enumerate(cells):
        column = table.get(normalize_label(cell)) if cell not in (None, "") else None
        if column is not None:
            found[index] = column
    return found


def _distinct(found: dict[int, Column]) -> int:
    return len({column.key for column in found.values()})


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def find_header(spec: ImportSpec, rows: Sequence[tuple[int, list[Any]]]) -> HeaderMap:
    """The best header among ``rows`` (the first rows of the sheet); ReadError when the required
    columns are not all there."""
    table = label_table(spec)
    matches = [_match_row(cells, table) for _, cells in rows]
    best: tuple[int, int, int] | None = None  # (score, -rows used, index)
    best_found: dict[int, Column] = {}
    for index, found in enumerate(matches):
        candidates = [(found, 1)]
        if index + 1 < len(rows):
            lower = matches[index + 1]
            upper_cells, lower_cells = rows[index][1], rows[index + 1][1]
            combined: dict[int, Column] = {}
            for col in range(max(len(upper_cells), len(lower_cells))):
                lower_text = lower_cells[col] if col < len(lower_cells) else None
                if col in lower:
                    combined[col] = lower[col]
                elif col in found and lower_text in (None, ""):
                    combined[col] = found[col]
            candidates.append((combined, 2))
        for candidate, used in candidates:
            key = (_distinct(candidate), -used, -index)
            if best is None or key > best:
                best, best_found = key, candidate
    required = [c for c in spec.columns if c.required]
    if best is None or best[0] == 0:
        names = "、".join(c.label for c in (required or spec.columns))
        raise ReadError(f"在表格前{SCAN_ROWS}行中找不到表头，请确认表头包含：{names}")
    index = -best[2]
    used = -best[1]
    # Keep the first spreadsheet column of each spec column; later duplicates are ignored.
    columns: dict[int, Column] = {}
    seen: set[str] = set()
    for col in sorted(best_found):
        column = best_found[col]
        if column.key not in seen:
            seen.add(column.key)
            columns[col] = column
    missing = [c.label for c in required if c.key not in seen]
    if missing:
        raise ReadError(f"表格缺少必填的列：{'、'.join(missing)}（请检查表头的列名）")
    upper: list[Any] = rows[index][1]
    lower_row: list[Any] = rows[index + 1][1] if used == 2 else []
    width = max(len(upper), len(lower_row))
    lower_found = matches[index + 1] if used == 2 else {}
    labels: list[str] = []
    for col in range(width):
        low = _text(lower_row[col]) if col < len(lower_row) else ""
        up = _text(upper[col]) if col < len(upper) else ""
        if col in columns:  # the text of the row that named the column
            named = low if col in lower_found else up
            labels.append(named or columns[col].label)
        else:
            labels.append(low or up)
    ignored = [labels[col] for col in range(width) if col not in columns and labels[col]]
    return HeaderMap(
        header_rows=[rows[index][0]] + ([rows[index + 1][0]] if used == 2 else []),
        columns=columns,
        labels=labels,
        ignored=ignored,
        last_header_index=index + used - 1,
    )
