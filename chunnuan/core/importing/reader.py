"""Reading the spreadsheets bureaus really have: .xlsx/.xlsm/.xls/.ods (python-calamine) and .csv.

The format is decided by the file's first bytes, not its name (a ".xlsx" that is a CSV, an ".xls"
that is an HTML page). Before calamine opens a zip, its central directory is checked against zip
bombs. Rows come out one at a time with the row number the user sees; a used range that runs to
row 1,048,576 because empty cells were formatted ends after ``MAX_EMPTY_RUN`` empty rows.

Anything unreadable raises :class:`ReadError` with a Chinese message (the command exits 2).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chunnuan.core.errors import DomainError

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_ABOVE = 20 * 1024 * 1024  # a tiny file may compress well; only a big one is a bomb
MAX_EMPTY_RUN = 1000  # consecutive empty rows after which the sheet is taken to have ended

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

MSG_EMPTY = "文件是空的"
MSG_UNKNOWN = "无法识别的文件格式，请上传 .xlsx、.xls 或 .csv 文件"
MSG_ENCRYPTED = "文件已加密，请去掉密码后再导入"
MSG_CORRUPT = "文件已损坏，无法读取"
MSG_BOMB = "文件异常（解压后过大），已拒绝"
MSG_HTML = "该文件实际上是网页（HTML）格式，不是真正的 Excel 文件；请用 Excel 打开后“另存为”.xlsx 再导入"
MSG_ENCODING = "无法识别 CSV 文件的文字编码，请另存为 UTF-8 或 GBK 编码后再导入"
MSG_NO_SHEET = "文件中没有包含数据的工作表"

Source = str | os.PathLike[str] | IO[bytes]


class ReadError(DomainError):
    """The file cannot be read at all (empty, not a spreadsheet, encrypted, corrupt, a zip bomb)."""

    code = "unreadable"
    status = 400
    default_message = MSG_CORRUPT


@dataclass
class SheetRows:
    """The rows of the first visible sheet with data: ``(row number as the user sees it, cells)``."""

    format: str  # "xlsx", "xls", "ods", "csv"
    rows: Iterator[tuple[int, list[Any]]]
    estimated_rows: int  # for progress; exact for spreadsheets, estimated for csv
    sheet_name: str = ""


def _read_head(source: Source, size: int = 8192) -> tuple[bytes, int]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            with path.open("rb") as handle:
                return handle.read(size), path.stat().st_size
        except OSError:
            raise ReadError(MSG_CORRUPT) from None
    source.seek(0, io.SEEK_END)
    total = source.tell()
    source.seek(0)
    head = source.read(size)
    source.seek(0)
    return head, total


def _open_binary(source: Source) -> IO[bytes]:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).open("rb")
    source.seek(0)
    return source


def detect_format(source: Source) -> str:
    """``xlsx`` / ``ods`` / ``xls`` / ``csv`` from the first bytes; ReadError for the rest."""
    head, total = _read_head(source)
    if total == 0 or not head.strip(b"\x00 \t\r\n\xef\xbb\xbf"):
        raise ReadError(MSG_EMPTY)
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return _check_zip(source)
    if head.startswith(OLE2_MAGIC):
        if _ole_is_encrypted(source):
            raise ReadError(MSG_ENCRYPTED)
        return "xls"
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        raise ReadError(MSG_HTML)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 with BOM ("Unicode text" from Excel)
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z")):
        raise ReadError(MSG_UNKNOWN)
    return "csv"


def _check_zip(source: Source) -> str:
    handle = _open_binary(source)
    try:
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ReadError(MSG_CORRUPT) from None
        with archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            uncompressed = sum(info.file_size for info in infos)
            compressed = sum(info.compress_size for info in infos)
            if uncompressed > MAX_UNCOMPRESSED_BYTES:
                raise ReadError(MSG_BOMB)
            if uncompressed > RATIO_CHECK_ABOVE and uncompressed > MAX_COMPRESSION_RATIO * max(compressed, 1):
                raise ReadError(MSG_BOMB)
            for info in infos:
                if info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(
                    info.compress_size, 1
                ):
                    raise ReadError(MSG_BOMB)
            if "mimetype" in names and any(n == "content.xml" for n in names):
                return "ods"
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return "xlsx"
            raise ReadError(MSG_UNKNOWN)
    finally:
        if isinstance(source, (str, os.PathLike)):
            handle.close()
        else:
            handle.seek(0)


def _ole_is_encrypted(source: Source) -> bool:
    """An encrypted .xlsx is an OLE2 compound file holding an ``EncryptedPackage`` stream. The
    directory entries name their streams in UTF-16; scan for the names chunk by chunk."""
    handle = _open_binary(source)
    try:
        tail = b""
        while chunk := handle.read(1 << 20):
            block = tail + chunk
            if any(marker in block for marker in _ENCRYPTED_MARKERS):
                return True
            tail = block[-64:]
        return False
    finally:
        if isinstance(source, (str, os.PathLike)):
            handle.close()
        else:
            handle.seek(0)


def read_rows(source: Source, *, filename: str = "") -> SheetRows:
    """Open ``source`` (a path or a seekable binary file) and stream its first sheet with data."""
    fmt = detect_format(source)
    if fmt == "csv":
        return _read_csv(source)
    return _read_workbook(source, fmt)


def _read_workbook(source: Source, fmt: str) -> SheetRows:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        if isinstance(source, (str, os.PathLike)):
            workbook = CalamineWorkbook.from_path(os.fspath(source))
        else:
            source.seek(0)
            workbook = CalamineWorkbook.from_filelike(source)
        chosen = None
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_index(index)
            if sheet.height > 0 and sheet.start is not None:
                chosen = sheet
                break
    except PasswordError:
        raise ReadError(MSG_ENCRYPTED) from None
    except (CalamineError, ValueError, OSError, RuntimeError):
        raise ReadError(MSG_CORRUPT) from None
    except Exception as exc:  # calamine raises plain exceptions for some malformed files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ReadError(MSG_ENCRYPTED) from None
        raise ReadError(MSG_CORRUPT) from None
    if chosen is None:
        raise ReadError(MSG_NO_SHEET)
    start_row, start_col = chosen.start or (0, 0)
    try:
        merged = chosen.merged_cell_ranges or []
    except Exception:  # merged ranges are optional information
        merged = []
    rows = _numbered(chosen.iter_rows(), start_row + 1)
    if merged:
        rows = _fill_merged_down(rows, merged, start_row, start_col)
    return SheetRows(
        format=fmt,
        rows=_stop_after_empty_run(rows),
        estimated_rows=chosen.height,
        sheet_name=chosen.name,
    )


def _numbered(rows: Iterator[list[Any]], first: int) -> Iterator[tuple[int, list[Any]]]:
    number = first
    for row in rows:
        yield number, row
        number += 1


def _fill_merged_down(
    rows: Iterator[tuple[int, list[Any]]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    start_row: int,
    start_col: int,
) -> Iterator[tuple[int, list[Any]]]:
    """A cell merged down over several rows (乡镇 written once for a block of people) holds its
    value in the top row only; give each row of the block that value, in the block's first column."""
    starts: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, _c1) in merged:
        if r1 > r0 and c0 >= start_col:
            starts.setdefault(r0 + 1, []).append((c0 - start_col, r1 + 1))
    active: list[tuple[int, int, Any]] = []  # (column, last row number, value)
    for number, cells in rows:
        if active:
            active = [a for a in active if a[1] >= number]
            for column, _last, value in active:
                while len(cells) <= column:
                    cells.append("")
                if cells[column] in (None, ""):
                    cells[column] = value
        for column, last in starts.get(number, ()):
            if column < len(cells) and cells[column] not in (None, ""):
                active.append((column, last, cells[column]))
        yield number, cells


def row_is_empty(cells: list[Any]) -> bool:
    for value in cells:
        if value is None or value == "":
            continue
        if isinstance(value, str) and value.isspace():
            continue
        return False
    return True


def _stop_after_empty_run(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """Pass rows through; end after MAX_EMPTY_RUN consecutive empty rows (formatted empty cells)."""
    empty_run = 0
    pending: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if row_is_empty(cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return
            if empty_run <= 2:  # keep a blank row or two in place; the engine skips them
                pending.append((number, cells))
            continue
        empty_run = 0
        if pending:
            yield from pending
            pending.clear()
        yield number, cells


# --- CSV --------------------------------------------------------------------------------------


def _detect_encoding(source: Source, head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        handle = _open_binary(source)
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        finally:
            if isinstance(source, (str, os.PathLike)):
                handle.close()
            else:
                handle.seek(0)
    raise ReadError(MSG_ENCODING)


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";"):
        counts = [line.count(delimiter) for line in lines]
        # the delimiter that splits most lines, most consistently
        score = sum(1 for c in counts if c) * 1000 + max(counts, default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(source: Source) -> SheetRows:
    head, total = _read_head(source, 64 * 1024)
    encoding = _detect_encoding(source, head)
    handle = _open_binary(source)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = text.read(64 * 1024)
    text.seek(0)
    if encoding == "utf-8-sig" or sample.startswith("\ufeff"):
        sample = sample.lstrip("\ufeff")
    delimiter = _sniff_delimiter(sample)
    sample_lines = max(1, sample.count("\n"))
    estimated = total * sample_lines // max(1, len(sample.encode(encoding, errors="ignore")))

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            reader = csv.reader(text, delimiter=delimiter)
            for number, cells in enumerate(reader, start=1):
                if number == 1 and cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]
                yield number, list(cells)
        except csv.Error:
            raise ReadError(MSG_CORRUPT) from None
        finally:
            text.detach()
            if isinstance(source, (str, os.PathLike)):
                handle.close()

    return SheetRows(format="csv", rows=_stop_after_empty_run(rows()), estimated_rows=max(estimated, 1))
