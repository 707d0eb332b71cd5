"""Masking what a run keeps: the import outcome stored in ``Run.params["result"]`` (shown on the
run page and by ``GET /api/v1/runs/{id}``) never holds a whole ID number or phone number.

The engine masks its preview at the source (``core.importing.engine._display``); messages quote
the cell they complain about (身份证号码“…”校验位不正确), so they are scrubbed here with the
ledger's masks (``core.crypto.mask_id_number`` / ``mask_phone``).
"""

from __future__ import annotations

import re
from typing import Any

from chunnuan.core.crypto import mask_id_number, mask_phone

# 18-character (last may be X) and 15-digit ID numbers, and mainland mobile numbers, not inside a
# longer run of letters or digits (a credit code or a bank account is left alone).
_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """``text`` with every whole ID or mobile number in it masked."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_result(result: dict[str, Any]) -> dict[str, Any]:
    """An import outcome (``ImportResult.to_dict()``) ready to keep with a run: messages and
    preview cells masked, no server path."""
    out = dict(result)
    for key in ("errors", "warning_list"):
        out[key] = [
            {**item, "message": mask_text(str(item.get("message", "")))} for item in out.get(key) or []
        ]
    out["preview"] = [
        {
            **row,
            "values": [mask_text(str(v)) for v in row.get("values") or []],
            "errors": mask_text(str(row.get("errors", ""))),
        }
        for row in out.get("preview") or []
    ]
    out["error_report"] = None
    return out
