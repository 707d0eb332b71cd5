"""The API's request parser: JSON bodies and query/form values, refusing the NUL character.

Pages refuse NUL through Django's ``ProhibitNullCharactersValidator`` (every form ``CharField``); the
API refuses it here, once for every operation, so that no string the form refuses is stored through
the API (issue 9 defect 11). The refusal is a 422 with the field's path, like any validation error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

NUL_ERROR = "nul_character"


def _nul_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield (*path, key)
            yield from _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def _refuse_nul(data: Any, where: str) -> Any:
    errors = [
        {"type": NUL_ERROR, "loc": (where, *path), "msg": "不能包含空字符（NUL）"}
        for path in _nul_paths(data)
    ]
    if errors:
        raise ValidationError(errors)
    return data


class NulRefusingParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # ninja turns any exception here into a 400; config/api.py answers its cause (this 422) instead.
        return _refuse_nul(json.loads(request.body), "body")  # type: ignore[no-any-return]

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        return _refuse_nul(super().parse_querydict(data, list_fields, request), "query")  # type: ignore[no-any-return]
