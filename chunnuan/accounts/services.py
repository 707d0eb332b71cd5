from __future__ import annotations

from chunnuan.access.actor import Actor


def api_token_authenticate(*, raw_token: str, ip: str | None) -> Actor | None:
    return None
