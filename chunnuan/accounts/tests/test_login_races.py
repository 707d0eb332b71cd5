"""Parallel-requests tests for the counters that limit sign-in (issue 9 defects 3 and 10).

Each request runs in its own thread with its own database connection, all released together by a
barrier, so a limit that is checked on a stale read lets more guesses through than it allows. The
threads need a real server-side database: on SQLite (an in-memory test database) the parallel
variants are skipped and the same limits are checked serially in test_login.py.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.test import Client

from chunnuan.accounts import services
from chunnuan.accounts.models import FailureCounter, LoginCode
from chunnuan.core.testing import needs_postgres, run_parallel
from chunnuan.notifications.models import OutboxMessage

PARALLEL = 40


def _slow(fn: Callable[..., Any], seconds: float = 0.05) -> Callable[..., Any]:
    """Widen the window between a check and its write, as a slow server would."""

    def slowed(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return fn(*args, **kwargs)

    return slowed


@needs_postgres
def test_parallel_wrong_codes_never_exceed_the_attempt_limit(
    transactional_db, personas, settings, monkeypatch
):
    Client().post("/accounts/phone/", {"phone": "13800138000"})
    body = OutboxMessage.objects.unscoped(reason="test reads the code").latest("id").body
    code = re.search(r"\d{6}", body).group(0)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    monkeypatch.setattr(services, "_code_hash", _slow(services._code_hash))

    def guess(_: int) -> str:
        response = Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": wrong})
        html = response.content.decode()
        return "evaluated" if "验证码不正确" in html else "throttled" if "次数过多" in html else html[:200]

    outcomes = Counter(run_parallel(PARALLEL, guess))
    limit = settings.LOGIN_CODE_MAX_ATTEMPTS
    assert outcomes == {"evaluated": limit, "throttled": PARALLEL - limit}
    assert LoginCode.objects.get().attempts == limit
    # The right code is refused too: the code is spent.
    late = Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": code})
    assert late.status_code == 400 and "次数过多" in late.content.decode()


@needs_postgres
def test_parallel_wrong_passwords_from_many_addresses_never_exceed_the_lockout(
    transactional_db, personas, settings, monkeypatch
):
    from chunnuan.accounts.models import User

    checks: list[int] = []
    lock = threading.Lock()
    original = User.check_password

    def counted_check(user: Any, raw_password: str) -> bool:
        with lock:
            checks.append(1)
        time.sleep(0.05)
        return original(user, raw_password)

    monkeypatch.setattr(User, "check_password", counted_check)

    def guess(i: int) -> int:
        client = Client(REMOTE_ADDR=f"10.0.{i // 200}.{i % 200 + 1}")  # every guess from its own address
        return client.post(
            "/accounts/login/", {"username": "township_a", "password": f"wrong{i}"}
        ).status_code

    statuses = Counter(run_parallel(PARALLEL, guess))
    limit = settings.AXES_FAILURE_LIMIT
    assert len(checks) == limit  # only this many passwords were ever compared
    assert statuses == {200: limit - 1, 429: PARALLEL - limit + 1}  # the last counted guess locks


@needs_postgres
def test_parallel_wrong_tokens_from_one_address_are_throttled_exactly(transactional_db, personas, settings):
    settings.API_TOKEN_FAILURES_PER_ADDRESS = 10

    def guess(i: int) -> int:
        client = Client(REMOTE_ADDR="10.7.7.7")
        return client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer cn_guess{i}").status_code

    statuses = Counter(run_parallel(PARALLEL, guess))
    assert statuses == {401: 10, 429: PARALLEL - 10}
    assert FailureCounter.objects.get(key="api-token:10.7.7.7").count == PARALLEL
