from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from chunnuan.accounts.models import LoginCode, User
from chunnuan.audit.models import AuditEvent
from chunnuan.core.testing import TEST_PASSWORD
from chunnuan.notifications.models import OutboxMessage


def _last_code() -> str:
    body = OutboxMessage.objects.unscoped(reason="test reads the code").latest("id").body
    return re.search(r"\d{6}", body).group(0)


def test_password_login_lands_on_the_region_home(personas, client):
    response = client.post(
        "/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "团结街道" in page
    assert "审计日志" not in page  # the menu shows only what the role allows
    assert AuditEvent.objects.unscoped(reason="test").filter(action="login").exists()


def test_wrong_password_is_refused_in_chinese(personas, client):
    response = client.post("/accounts/login/", {"username": "township_a", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures(personas, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "township_a", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "township_a", "password": TEST_PASSWORD})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout(personas, client):
    client.force_login(personas.township_a)
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_argon2_is_the_production_hasher():
    from config import settings as base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_worker_phone_code_login(personas, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/phone/", {"phone": "138 0013 8000"})
    assert sent.status_code == 200 and 'name="code"' in sent.content.decode()
    message = OutboxMessage.objects.unscoped(reason="test").latest("id")
    assert message.purpose == "login_code" and message.status == "sent"
    response = client.post(
        "/accounts/phone/verify/", {"phone": "13800138000", "code": _last_code()}, follow=True
    )
    assert response.status_code == 200 and "甲镇测试工人" in response.content.decode()
    assert "2207**********1238" in response.content.decode()


def test_code_is_single_use(personas):
    Client().post("/accounts/phone/", {"phone": "13800138000"})
    code = _last_code()
    assert Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": code}).status_code == 302
    again = Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": code})
    assert again.status_code == 400 and "已使用" in again.content.decode()


def test_code_expires(personas):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        Client().post("/accounts/phone/", {"phone": "13800138000"})
        traveller.shift(dt.timedelta(minutes=6))
        late = Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": _last_code()})
    assert late.status_code == 400 and "过期" in late.content.decode()


def test_wrong_codes_are_limited(personas, settings):
    Client().post("/accounts/phone/", {"phone": "13800138000"})
    code = _last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.LOGIN_CODE_MAX_ATTEMPTS):
        assert (
            "验证码不正确"
            in Client()
            .post("/accounts/phone/verify/", {"phone": "13800138000", "code": wrong})
            .content.decode()
        )
    blocked = Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": code})
    assert "次数过多" in blocked.content.decode()


def test_codes_are_throttled_per_number_and_per_address(personas, settings):
    client = Client()
    client.post("/accounts/phone/", {"phone": "13800138000"})
    again = client.post("/accounts/phone/", {"phone": "13800138000"})
    assert again.status_code == 200 and "秒后可重新获取" in again.content.decode()
    settings.LOGIN_CODE_PER_ADDRESS_PER_HOUR = 2
    client.post("/accounts/phone/", {"phone": "13900139000"})
    third = client.post("/accounts/phone/", {"phone": "13700137000"})
    assert "本网络" in third.content.decode()
    assert LoginCode.objects.count() == 2


def test_unregistered_number_gets_the_same_answer_but_no_message(personas):
    before = OutboxMessage.objects.unscoped(reason="test").count()
    response = Client().post("/accounts/phone/", {"phone": "13912345678"})
    assert response.status_code == 200 and 'name="code"' in response.content.decode()
    assert OutboxMessage.objects.unscoped(reason="test").count() == before


@pytest.mark.parametrize("phone", ["", "123", "abcdefghijk"])
def test_bad_phone_numbers_are_refused_in_chinese(personas, phone):
    response = Client().post("/accounts/phone/", {"phone": phone})
    assert response.status_code == 400
    assert LoginCode.objects.count() == 0


def test_first_phone_login_creates_the_worker_account(personas):
    User.objects.filter(worker=personas.worker_record).delete()
    Client().post("/accounts/phone/", {"phone": "13800138000"})
    Client().post("/accounts/phone/verify/", {"phone": "13800138000", "code": _last_code()})
    user = User.objects.get(worker=personas.worker_record)
    assert user.kind == "worker" and list(user.roles.values_list("code", flat=True)) == ["worker"]


def test_asking_again_within_a_minute_shows_the_box_for_the_code_already_sent(
    personas, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/phone/", {"phone": "13800138000"})
    code = _last_code()
    again = client.post("/accounts/phone/", {"phone": "13800138000"})
    html = again.content.decode()
    assert again.status_code == 200 and 'name="code"' in html and 'value="13800138000"' in html
    assert "刚才已获取过验证码" in html and "秒后可重新获取" in html
    assert LoginCode.objects.count() == 1  # no second code was made
    response = client.post("/accounts/phone/verify/", {"phone": "13800138000", "code": code})
    assert response.status_code == 302
