"""Shared Pydantic field types of the service inputs (``types.py``) and query schemas, free of ninja.

A ``Decimal`` field is documented by Pydantic as "a number, or any string": the API then refused, with a
422, strings its own document allowed (issue 9 defect 7, found by Schemathesis). These types say what
is accepted: a number within the bounds with at most two decimals, or the same as a plain decimal string.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    # Pydantic alone takes "0" or 1700000000 as a date (seconds since 1970): only YYYY-MM-DD is one.
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("日期格式不正确，应为 YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
"""A date given as YYYY-MM-DD (never a number of seconds)."""

_AMOUNT_TEXT = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"

Amount = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 999999999999.99, "multipleOf": 0.01},
                {"type": "string", "pattern": _AMOUNT_TEXT},
            ]
        }
    ),
]
"""A sum of money in yuan (≥ 0, at most 12 digits before the point and 2 after)."""

Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, max_digits=6, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$"},
            ]
        }
    ),
]
"""A percentage from 0 to 100 with at most two decimals."""
