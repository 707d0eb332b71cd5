from __future__ import annotations

from typing import Any

import pytest

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.accounts.models import User
from chunnuan.core import testing

HOME = "220702"  # 宁江区
OTHER = "220721"  # 前郭县, a sibling county


def officer(prefix: str = HOME, *perms: Perm, user_id: int | None = None) -> Actor:
    return testing.officer(prefix, *(perms or (Perm.VIEW_OUTBOX,)), user_id=user_id)


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


make_user = testing.make_officer_user


@pytest.fixture
def home_user(db: None) -> User:
    return make_user("home", HOME, [Perm.VIEW_OUTBOX])


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("other", OTHER, [Perm.VIEW_OUTBOX])


@pytest.fixture
def plain_user(db: None) -> User:
    return make_user("plain", HOME, [Perm.RUN_EXPORTS])
