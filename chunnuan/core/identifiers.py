"""Normalising and checking the identifiers people type: resident ID (GB 11643), phone numbers.

See RULES.md: an unknown address code is a warning, never a rejection; lower-case x, full-width
characters and spaces are normalised; birth dates in the future or before 1900 are errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from stdnum.cn import ric

from chunnuan.core.errors import ValidationFailed

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def to_halfwidth(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s+", "", to_halfwidth(str(value))).upper()


@dataclass
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    warnings: list[str] = field(default_factory=list)


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(
    value: str, *, today: dt.date | None = None, address_known: Callable[[str], bool] | None = None
) -> IdNumberInfo:
    """Check a resident ID number and read its birth date and sex; raise ValidationFailed in Chinese.

    The address code is looked up in python-stdnum's historical table and, when given,
    ``address_known`` (our current division table); unknown to both is a warning only.
    """
    number = normalize_id_number(value)
    warnings: list[str] = []
    if not number:
        raise ValidationFailed("请填写身份证号码")
    if len(number) == 15 and number.isdigit():
        number = number[:6] + "19" + number[6:]
        number += id_check_char(number)
        warnings.append("15位旧身份证号码已转换为18位")
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationFailed(f"身份证号码“{value}”应为18位（最后一位可以是X）")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationFailed(f"身份证号码“{number}”校验位不正确，请核对")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationFailed(f"身份证号码“{number}”中的出生日期不存在") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationFailed(f"身份证号码“{number}”中的出生日期{birth:%Y-%m-%d}不合理")
    if not _address_known(number, address_known):
        warnings.append(f"身份证号码前6位地址码{number[:6]}不在现行区划表中（可能是旧区划码），已接受")
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number=number, birth_date=birth, sex=sex, warnings=warnings)


def _address_known(number: str, address_known: Callable[[str], bool] | None) -> bool:
    try:
        ric.get_birth_place(number)
        return True
    except Exception:  # stdnum raises InvalidComponent for codes missing from its table
        return bool(address_known and address_known(number[:6]))


def normalize_phone(value: str) -> str:
    """Mobile numbers: 11 digits starting with 1 (an optional +86/86 prefix is dropped)."""
    digits = re.sub(r"[\s\-()]", "", to_halfwidth(str(value)))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValidationFailed(f"手机号码“{value}”格式不正确，应为11位手机号")
    return digits


CONTACT_PHONE_FORMATS = "手机号11位，或固定电话“区号-号码”（如 0438-1234567，可加分机号 -123）"
_LANDLINE = re.compile(r"(0(?:[12]\d|[3-9]\d{2}))[\s\-]?([1-9]\d{6,7})(?:(?:[\s\-]|转|ext\.?|#)(\d{1,6}))?")


def normalize_contact_phone(value: str) -> str:
    """A contact number: a mobile (as :func:`normalize_phone`) or a landline with its area code —
    ``0438-1234567``, ``04381234567``, ``0438 1234567``, ``(0438)1234567``, ``010-12345678-123`` →
    ``0438-1234567`` / ``010-12345678-123``. Only mobiles can receive SMS; use ``normalize_phone``
    where a message is sent."""
    text = to_halfwidth(str(value)).strip()
    try:
        return normalize_phone(text)
    except ValidationFailed:
        pass
    compact = re.sub(r"^\((0\d{2,3})\)\s*", r"\1-", text).replace("－", "-").lower()
    match = _LANDLINE.fullmatch(compact)
    if match is None:
        raise ValidationFailed(f"联系电话“{value}”格式不正确，应为{CONTACT_PHONE_FORMATS}")
    area, number, extension = match.groups()
    return f"{area}-{number}" + (f"-{extension}" if extension else "")
