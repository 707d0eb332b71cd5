from __future__ import annotations

from typing import Any

import pytest

from chunnuan.access.permissions import Perm
from chunnuan.core.errors import PermissionDenied
from chunnuan.notifications.selectors import message_list
from chunnuan.notifications.services import message_enqueue
from chunnuan.notifications.tests.conftest import HOME, OTHER, officer
from chunnuan.notifications.types import MessageFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message_enqueue(
            actor=officer(HOME), channel="sms", recipient="13812345678", body="验证码 1", purpose="login_code"
        )
        message_enqueue(
            actor=officer(HOME), channel="wechat", recipient="oAbC123", body="岗位推送", purpose="job_push"
        )
        message_enqueue(
            actor=officer(OTHER),
            channel="sms",
            recipient="13912345678",
            body="验证码 2",
            purpose="login_code",
        )


def test_lists_only_the_actors_region(messages: None) -> None:
    assert {m.body for m in message_list(actor=officer(HOME))} == {"验证码 1", "岗位推送"}
    assert {m.body for m in message_list(actor=officer(OTHER))} == {"验证码 2"}
    assert list(message_list(actor=officer("220703"))) == []


def test_filters_and_phone_search(messages: None) -> None:
    actor = officer(HOME)
    assert [m.body for m in message_list(actor=actor, filters=MessageFilter(q="138 1234 5678"))] == [
        "验证码 1"
    ]
    assert [m.body for m in message_list(actor=actor, filters=MessageFilter(q="13912345678"))] == []
    assert [m.body for m in message_list(actor=actor, filters=MessageFilter(q="oAbC123"))] == ["岗位推送"]
    assert [m.body for m in message_list(actor=actor, filters=MessageFilter(channel="wechat"))] == [
        "岗位推送"
    ]
    assert [m.body for m in message_list(actor=actor, filters=MessageFilter(purpose="login_code"))] == [
        "验证码 1"
    ]
    assert len(message_list(actor=actor, filters=MessageFilter(status="sent"))) == 2


def test_needs_the_outbox_permission(messages: None) -> None:
    with pytest.raises(PermissionDenied):
        message_list(actor=officer(HOME, Perm.RUN_EXPORTS))
