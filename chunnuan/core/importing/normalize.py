"""One normaliser per :class:`~chunnuan.core.importing.spec.ColumnKind`: a raw cell → a clean value.

Every normaliser takes ``(value, column, env)`` where ``value`` is never empty (the engine turns
``None`` / blank text into ``None`` first) and returns the clean value, or raises
:class:`CellValueError` with a plain-Chinese message. The happy path raises nothing and compiles
nothing: regexes are module constants, lookups are cached per import in :class:`NormalizeEnv`.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import IdNumberInfo, id_check_char, normalize_contact_phone
from chunnuan.core.importing.spec import Column, ColumnKind, ContractTerm

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_ZERO = ord("0") * sum(_ID_WEIGHTS)
_ID_CHECK = "10X98765432"


def _check_char(first17: str) -> str:
    """GB 11643 check character (same as ``identifiers.id_check_char``, without a Python loop)."""
    return _ID_CHECK[(sum(map(operator.mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ID_ZERO) % 11]


class CellValueError(Exception):
    """A cell's value cannot be used; ``message`` is shown to the user with the row and header."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


NUMERIC_ID_MESSAGE = "身份证号码被表格存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写"

_SPACES = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_DATE_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_REGION_DIGITS = re.compile(r"^\d{6}$|^\d{9}$|^\d{12}$")
_TERM_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|–|－|-{1,2})\s*(?=\d{4})")
_TERM_YEARS = re.compile(r"^(?:合同期限)?\s*([0-9]+|[一二两三四五六七八九十]+)\s*年(?:期)?$")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

EXCEL_EPOCH = dt.date(1899, 12, 30)  # 1900 date system, with Lotus's phantom 1900-02-29 folded in
_MAX_SERIAL = 2_958_465  # 9999-12-31

_TRUE = frozenset(
    {"是", "√", "✓", "✔", "☑", "y", "yes", "t", "true", "1", "有", "对", "已", "已签", "已签订"}
)
_FALSE = frozenset(
    {"否", "×", "✗", "✘", "x", "n", "no", "f", "false", "0", "无", "没有", "未", "未签", "未签订"}
)

_OPEN_ENDED = frozenset({"无固定期限", "无固定期限合同", "无固定期", "长期", "无期限"})
_TASK_BASED = frozenset(
    {
        "以完成一定工作任务为期限",
        "以完成一定工作任务为期限合同",
        "以完成一定工作为期限",
        "完成一定工作任务",
        "任务型",
    }
)


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation → half-width (NFKC), skipped when already so."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def number_text(value: float | int) -> str:
    """A number as the text a person typed: 12.0 → "12"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- caches per import ------------------------------------------------------------------------


@dataclass
class NormalizeEnv:
    """What the normalisers share during one import: today, and cached address-code lookups."""

    today: dt.date = field(default_factory=dt.date.today)
    # 6-digit address code → known? (python-stdnum's historical table, then ours); filled lazily.
    address_known: Callable[[str], bool] | None = None
    _address_cache: dict[str, bool] = field(default_factory=dict)
    choice_tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # column key → spelling → value

    def address_ok(self, address6: str) -> bool:
        known = self._address_cache.get(address6)
        if known is None:
            known = _stdnum_knows(address6) or bool(self.address_known and self.address_known(address6))
            self._address_cache[address6] = known
        return known


def _stdnum_knows(address6: str) -> bool:
    from stdnum.cn import ric

    probe = address6 + "19900101001"
    try:
        ric.get_birth_place(probe + id_check_char(probe))
        return True
    except Exception:  # stdnum raises InvalidComponent for codes missing from its table
        return False


class AddressCodes:
    """A cached variant of ``regions.lookups.address_code_known``: one query for every county-level
    (and higher) code, current or retired, the first time an ID's code is unknown to stdnum."""

    def __init__(self) -> None:
        self._codes: set[str] | None = None

    def __call__(self, address6: str) -> bool:
        if self._codes is None:
            from chunnuan.regions.models import Region

            rows = Region.objects.filter(code__endswith="000000").values_list("code", flat=True)
            self._codes = {code[:6] for code in rows}
        return address6 in self._codes


# --- one normaliser per kind -------------------------------------------------------------------


def norm_text(value: Any, column: Column, env: NormalizeEnv) -> str:
    if isinstance(value, str):
        text = halfwidth(value).strip()
    elif isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, (int, float)):
        text = number_text(value)
    elif isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time() else f"{value:%Y-%m-%d}"
    elif isinstance(value, dt.date):
        text = f"{value:%Y-%m-%d}"
    else:
        text = str(value).strip()
    if column.max_length and len(text) > column.max_length:
        raise CellValueError(f"内容过长（最多{column.max_length}个字）")
    return text


def norm_id_number(value: Any, column: Column, env: NormalizeEnv) -> IdNumberInfo:
    """GB 11643: the same rules and messages as ``core.identifiers.parse_id_number``, with the
    address-code lookup cached per import (stdnum's table lookup is slow)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) or value >= 10**15:
            raise CellValueError(NUMERIC_ID_MESSAGE)
        value = str(value)  # a 15-digit old number survives as an int
    raw = str(value)
    number = _SPACES.sub("", halfwidth(raw)).upper()
    if _SCIENTIFIC.match(number):
        raise CellValueError(NUMERIC_ID_MESSAGE)
    warnings: list[str] = []
    if len(number) == 15 and number.isdigit():
        number = number[:6] + "19" + number[6:]
        number += id_check_char(number)
        warnings.append("15位旧身份证号码已转换为18位")
    if not _ID_SHAPE.match(number):
        raise CellValueError(f"身份证号码“{raw}”应为18位（最后一位可以是X）")
    if _check_char(number[:17]) != number[17]:
        raise CellValueError(f"身份证号码“{number}”校验位不正确，请核对")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise CellValueError(f"身份证号码“{number}”中的出生日期不存在") from None
    if birth > env.today or birth.year < 1900:
        raise CellValueError(f"身份证号码“{number}”中的出生日期{birth:%Y-%m-%d}不合理")
    if not env.address_ok(number[:6]):
        warnings.append(f"身份证号码前6位地址码{number[:6]}不在现行区划表中（可能是旧区划码），已接受")
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number=number, birth_date=birth, sex=sex, warnings=warnings)


def norm_phone(value: Any, column: Column, env: NormalizeEnv) -> str:
    text = number_text(value) if isinstance(value, (int, float)) else str(value)
    try:
        return normalize_contact_phone(text)
    except ValidationFailed as exc:
        raise CellValueError(exc.message) from None


def _serial_date(serial: float) -> dt.date:
    if not 1 <= serial <= _MAX_SERIAL:
        raise CellValueError(f"“{number_text(serial)}”不是有效的日期")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date_text(text: str) -> dt.date:
    """``2024-03-01``, ``2024/3/1``, ``2024.3.1``, ``2024年3月1日``, ``20240301`` (also with a time)."""
    match = _DATE_YMD.match(text) or _DATE_COMPACT.match(text)
    if match is None:
        raise ValueError(text)
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def norm_date(value: Any, column: Column, env: NormalizeEnv) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 29991231 and float(value).is_integer():  # 20240301 typed as a number
            value = str(int(value))
        else:
            return _serial_date(value)
    text = halfwidth(str(value)).strip()
    try:
        return parse_date_text(text)
    except ValueError:
        pass
    if _NUMBER.match(text):
        return _serial_date(float(text))
    raise CellValueError(f"日期“{value}”无法识别，请写成 2024-03-01 这样的格式")


def norm_bool(value: Any, column: Column, env: NormalizeEnv) -> bool:
    if isinstance(value, bool):
        return value
    text = number_text(value) if isinstance(value, (int, float)) else halfwidth(str(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellValueError(f"“{value}”无法识别，请填写“是”或“否”")


def norm_int(value: Any, column: Column, env: NormalizeEnv) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = halfwidth(str(value)).strip().replace(",", "")
        if not _NUMBER.match(text) or not float(text).is_integer():
            raise CellValueError(f"“{value}”应为整数")
        number = int(float(text))
    if number < 0:
        raise CellValueError(f"“{value}”不能为负数")
    return number


def norm_decimal(value: Any, column: Column, env: NormalizeEnv) -> Decimal:
    if isinstance(value, bool):
        raise CellValueError(f"“{value}”应为数字")
    if isinstance(value, int):
        return Decimal(value)
    text = repr(value) if isinstance(value, float) else halfwidth(str(value)).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellValueError(f"“{value}”应为数字") from None
    if not number.is_finite():
        raise CellValueError(f"“{value}”应为数字")
    return number


def norm_credit_code(value: Any, column: Column, env: NormalizeEnv) -> str:
    from stdnum.cn import uscc

    code = _SPACES.sub("", halfwidth(str(value))).upper()
    if len(code) != 18:
        raise CellValueError(f"统一社会信用代码“{value}”应为18位")
    if not uscc.is_valid(code):
        raise CellValueError(f"统一社会信用代码“{code}”校验位不正确或含有无效字符，请核对")
    return code


def norm_region_code(value: Any, column: Column, env: NormalizeEnv) -> str:
    text = number_text(value) if isinstance(value, (int, float)) else _SPACES.sub("", halfwidth(str(value)))
    if not _REGION_DIGITS.match(text):
        raise CellValueError(f"区划代码“{value}”应为12位数字（或6位县级代码）")
    return text.ljust(12, "0")


def _choice_key(text: str) -> str:
    return _SPACES.sub("", halfwidth(text)).lower()


def norm_choice(value: Any, column: Column, env: NormalizeEnv) -> Any:
    choices = column.choices or {}
    text = number_text(value) if isinstance(value, (int, float)) else str(value)
    if text in choices:
        return choices[text]
    table = env.choice_tables.get(column.key)
    if table is None:
        table = {_choice_key(k): v for k, v in choices.items()}
        for stored in choices.values():  # the stored value itself is accepted too
            table.setdefault(_choice_key(str(stored)), stored)
        env.choice_tables[column.key] = table
    key = _choice_key(text)
    if key in table:
        return table[key]
    shown = "、".join(list(dict.fromkeys(choices))[:12])
    raise CellValueError(f"“{text}”不是可选的值，可选：{shown}")


def _years(text: str) -> int | None:
    match = _TERM_YEARS.match(text)
    if match is None:
        return None
    word = match[1]
    if word.isdigit():
        return int(word)
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + _CN_DIGITS.get(word[1:], 0)
    if word.endswith("十"):
        return _CN_DIGITS.get(word[:-1], 0) * 10
    if "十" in word:
        tens, ones = word.split("十", 1)
        return _CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(word)


def norm_contract_term(value: Any, column: Column, env: NormalizeEnv) -> ContractTerm:
    text = _SPACES.sub("", halfwidth(str(value)))
    if text in _OPEN_ENDED:
        return ContractTerm(contract_type="open_ended")
    if text in _TASK_BASED or text.startswith("以完成一定工作"):
        return ContractTerm(contract_type="task_based")
    years = _years(text)
    if years is not None:
        if not 0 < years <= 50:
            raise CellValueError(f"合同期限“{value}”不合理")
        return ContractTerm(contract_type="fixed_term", years=years)
    parts = _TERM_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        try:
            start, end = parse_date_text(parts[0]), parse_date_text(parts[1])
        except ValueError:
            pass
        else:
            if end < start:
                raise CellValueError(f"合同期限“{value}”的终止日期早于起始日期")
            return ContractTerm(contract_type="fixed_term", start=start, end=end)
    raise CellValueError(
        f"合同期限“{value}”无法识别；请写成“2024.3.1-2027.2.28”、“三年”、“无固定期限”或“以完成一定工作任务为期限”"
    )


Normalizer = Callable[[Any, Column, NormalizeEnv], Any]

NORMALIZERS: dict[ColumnKind, Normalizer] = {
    ColumnKind.TEXT: norm_text,
    ColumnKind.ID_NUMBER: norm_id_number,
    ColumnKind.PHONE: norm_phone,
    ColumnKind.DATE: norm_date,
    ColumnKind.BOOL: norm_bool,
    ColumnKind.INT: norm_int,
    ColumnKind.DECIMAL: norm_decimal,
    ColumnKind.CREDIT_CODE: norm_credit_code,
    ColumnKind.REGION_CODE: norm_region_code,
    ColumnKind.CHOICE: norm_choice,
    ColumnKind.CONTRACT_TERM: norm_contract_term,
}


def normalize_cell(value: Any, column: Column, env: NormalizeEnv | None = None) -> Any:
    """The clean value of one cell (None when blank); raises CellValueError."""
    if is_blank(value):
        return None
    return NORMALIZERS[column.kind](value, column, env or NormalizeEnv())
