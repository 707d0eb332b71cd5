from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chunnuan.accounts.models import User
from chunnuan.notifications.choices import MessageStatus
from chunnuan.notifications.models import OutboxMessage
from chunnuan.notifications.services import message_enqueue
from chunnuan.notifications.tests.conftest import HOME, officer

pytestmark = pytest.mark.django_db
URL = "/notifications/"


@pytest.fixture
def message(django_capture_on_commit_callbacks: Any) -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=True):
        return message_enqueue(
            actor=officer(HOME),
            channel="sms",
            recipient="13812345678",
            body="您的登录验证码是 654321",
            purpose="login_code",
        )


def test_url_name() -> None:
    assert reverse("notifications:message_list") == URL


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_needs_permission(client: Client, plain_user: User) -> None:
    client.force_login(plain_user)
    assert client.get(URL).status_code == 403


def test_lists_masked_recipient_and_body(client: Client, home_user: User, message: OutboxMessage) -> None:
    client.force_login(home_user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "您的登录验证码是 654321" in html


def test_search_by_phone_and_htmx_partial(client: Client, home_user: User, message: OutboxMessage) -> None:
    client.force_login(home_user)
    found = client.get(URL, {"q": "138 1234 5678"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert "<html" not in found.content.decode() and "654321" in found.content.decode()
    missing = client.get(URL, {"q": "13900000000"})
    assert "654321" not in missing.content.decode()


def test_other_region_sees_nothing_and_cannot_retry(
    client: Client, other_user: User, message: OutboxMessage
) -> None:
    OutboxMessage.objects.unscoped(reason="test").filter(pk=message.pk).update(status=MessageStatus.FAILED)
    client.force_login(other_user)
    assert "654321" not in client.get(URL).content.decode()
    response = client.post(reverse("notifications:message_retry", args=[message.pk]))
    assert response.status_code == 404
    assert OutboxMessage.objects.unscoped(reason="test").get(pk=message.pk).status == MessageStatus.FAILED


def test_retry_failed_message(
    client: Client, home_user: User, message: OutboxMessage, django_capture_on_commit_callbacks: Any
) -> None:
    OutboxMessage.objects.unscoped(reason="test").filter(pk=message.pk).update(status=MessageStatus.FAILED)
    client.force_login(home_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:message_retry", args=[message.pk]))
    assert response.status_code == 302
    assert OutboxMessage.objects.unscoped(reason="test").get(pk=message.pk).status == MessageStatus.SENT
