from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from chunnuan.access import context_processors
from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.permissions import Perm
from chunnuan.accounts.models import Role, User
from chunnuan.regions.models import Region

HOME = "220702"  # 宁江区
OTHER = "220721"  # 前郭县, a sibling county


def officer(prefix: str = HOME, *perms: Perm, user_id: int | None = None) -> Actor:
    return Actor(
        kind=ActorKind.OFFICER,
        label=f"officer-{prefix}",
        region_prefixes=(prefix,),
        permissions=frozenset(p.value for p in (perms or (Perm.VIEW_OUTBOX,))),
        user_id=user_id,
    )


@pytest.fixture(autouse=True)
def _outbox_log(settings: Any, tmp_path: Any) -> Any:
    settings.NOTIFICATION_LOG_FILE = tmp_path / "outbox.log"
    settings.NOTIFICATION_CHANNELS = {
        "sms": "chunnuan.notifications.channels.ConsoleChannel",
        "wechat": "chunnuan.notifications.channels.ConsoleChannel",
    }
    return settings.NOTIFICATION_LOG_FILE


@pytest.fixture
def home_actor() -> Actor:
    return officer(HOME, Perm.VIEW_OUTBOX)


@pytest.fixture
def other_actor() -> Actor:
    return officer(OTHER, Perm.VIEW_OUTBOX)


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


def make_user(username: str, prefix: str, perms: list[Perm]) -> User:
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
    return make_user("home", HOME, [Perm.VIEW_OUTBOX])


@pytest.fixture
def other_user(db: None, reachable_menu: None) -> User:
    return make_user("other", OTHER, [Perm.VIEW_OUTBOX])


@pytest.fixture
def plain_user(db: None, reachable_menu: None) -> User:
    return make_user("plain", HOME, [Perm.RUN_EXPORTS])
