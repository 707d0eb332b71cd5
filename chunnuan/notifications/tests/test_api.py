from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chunnuan.accounts.models import User
from chunnuan.notifications.services import message_enqueue
from chunnuan.notifications.tests.conftest import HOME, officer

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/messages"


@pytest.fixture
def messages(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            message_enqueue(
                actor=officer(HOME),
                channel="sms",
                recipient=f"1381234567{n}",
                body=f"验证码 {n}",
                purpose="login_code",
            )


def test_anonymous_gets_401(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_page_shape_and_masking(client: Client, home_user: User, messages: None) -> None:
    client.force_login(home_user)
    response = client.get(URL, {"page_size": 2, "channel": "sms"})
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"]) == (3, 1, 2)
    item = data["items"][0]
    assert item["recipient"].startswith("138****") and item["status"] == "sent"
    assert item["status_label"] == "已发送" and item["channel_label"] == "短信"
    assert set(item) >= {"id", "body", "purpose", "attempts", "created_at", "sent_at", "last_error"}


def test_phone_search(client: Client, home_user: User, messages: None) -> None:
    client.force_login(home_user)
    data = client.get(URL, {"q": "13812345671"}).json()
    assert [i["body"] for i in data["items"]] == ["验证码 1"]


def test_other_region_gets_empty_list(client: Client, other_user: User, messages: None) -> None:
    client.force_login(other_user)
    assert client.get(URL).json()["count"] == 0


def test_without_permission_403(client: Client, plain_user: User, messages: None) -> None:
    client.force_login(plain_user)
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
