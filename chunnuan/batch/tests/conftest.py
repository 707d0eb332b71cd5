from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from chunnuan.access import context_processors
from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.permissions import Perm
from chunnuan.accounts.models import Role, User
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, run_handler
from chunnuan.core.errors import ValidationFailed
from chunnuan.regions.models import Region

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
    return Actor(
        kind=ActorKind.OFFICER,
        label=f"officer-{prefix}",
        region_prefixes=(prefix,),
        permissions=frozenset(p.value for p in (perms or EXPORTER)),
        user_id=user_id,
    )


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reachable_menu(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages render the site menu; keep only entries whose pages exist while other apps are built."""
    entries = []
    for entry in context_processors.MENU:
        try:
            reverse(entry[1])
        except NoReverseMatch:
            continue
        entries.append(entry)
    monkeypatch.setattr(context_processors, "MENU", entries)


def make_user(username: str, prefix: str, perms: tuple[Perm, ...]) -> User:
    region, _ = Region.objects.get_or_create(
        code=prefix.ljust(12, "0"), defaults={"name": f"区{prefix}", "level": 3, "kind": "district"}
    )
    role = Role.objects.create(code=f"role-{username}", name=username, permissions=[p.value for p in perms])
    user = User.objects.create_user(username=username, password="x-secret-123", kind="officer")
    user.roles.add(role)
    user.regions.add(region)
    return user


@pytest.fixture
def home_user(db: None, reachable_menu: None) -> User:
    return make_user("home", HOME, EXPORTER)


@pytest.fixture
def colleague(db: None, reachable_menu: None) -> User:
    """Same region, may run exports but not read the audit log."""
    return make_user("colleague", HOME, (Perm.RUN_EXPORTS,))


@pytest.fixture
def other_user(db: None, reachable_menu: None) -> User:
    return make_user("other", OTHER, EXPORTER)
