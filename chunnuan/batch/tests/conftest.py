from __future__ import annotations

from typing import Any

import pytest

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.accounts.models import User
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, run_handler
from chunnuan.core import testing
from chunnuan.core.errors import ValidationFailed

HOME = "220702"  # 宁江区
OTHER = "220721"  # 前郭县, a sibling county
EXPORTER = (Perm.RUN_EXPORTS, Perm.VIEW_AUDIT)


@run_handler("test_count", title="测试计数")
def count_handler(*, run: Run, actor: Actor, progress: Progress) -> None:
    total = int(run.params.get("n", 3))
    for i in range(1, total + 1):
        progress.step(i, total)
    progress.log(f"actor={actor.label}")
    progress.attach("计数.txt", f"{total}".encode())


@run_handler("test_crash", title="测试出错")
def crash_handler(*, run: Run, actor: Actor, progress: Progress) -> None:
    progress.step(1, 4, "处理第一批")
    raise RuntimeError("boom")


@run_handler("test_refuse", title="测试拒绝")
def refuse_handler(*, run: Run, actor: Actor, progress: Progress) -> None:
    raise ValidationFailed("第3行身份证号码不正确")


def officer(prefix: str = HOME, *perms: Perm, user_id: int | None = None) -> Actor:
    return testing.officer(prefix, *(perms or EXPORTER), user_id=user_id)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


make_user = testing.make_officer_user


@pytest.fixture
def home_user(db: None) -> User:
    return make_user("home", HOME, EXPORTER)


@pytest.fixture
def colleague(db: None) -> User:
    """Same region, may run exports but not read the audit log."""
    return make_user("colleague", HOME, (Perm.RUN_EXPORTS,))


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("other", OTHER, EXPORTER)
