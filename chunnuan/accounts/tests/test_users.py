from __future__ import annotations

import json

import pytest

from chunnuan.accounts.models import ApiToken, User
from chunnuan.accounts.services import api_token_issue, api_token_revoke, user_create
from chunnuan.accounts.types import ApiTokenIn, UserIn
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import PermissionDenied, ValidationFailed


def test_admin_creates_a_user_in_their_region(personas):
    user = user_create(
        actor=personas.actor("admin"),
        data=UserIn(
            username="new_officer",
            kind="officer",
            role_codes=["township_officer"],
            region_codes=["220702001000"],
            password="Sp3cial-pass-2026",
        ),
    )
    assert list(user.regions.values_list("code", flat=True)) == ["220702001000"]
    event = AuditEvent.objects.unscoped(reason="test").get(object_id=str(user.pk), action="create")
    assert event.changes["regions"] == [None, ["220702001000"]] and "password" not in event.changes


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"region_codes": ["500103000000"]}, "region_codes"),  # outside the admin's jurisdiction
        ({"region_codes": ["999999999999"]}, "region_codes"),  # no such region
        ({"region_codes": []}, "region_codes"),  # an officer needs a region
        ({"role_codes": ["no_such_role"]}, "role_codes"),
        ({"password": "123"}, "password"),
    ],
)
def test_bad_user_input_changes_nothing(personas, data, field):
    before = User.objects.count()
    payload = {
        "username": "someone",
        "kind": "officer",
        "role_codes": ["township_officer"],
        "region_codes": ["220702001000"],
        **data,
    }
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=personas.actor("admin"), data=UserIn(**payload))
    assert field in caught.value.fields
    assert User.objects.count() == before


def test_cannot_grant_more_than_you_have(personas):
    county = personas.actor("county")
    with pytest.raises(PermissionDenied):  # county officers do not manage users at all
        user_create(
            actor=county, data=UserIn(username="xyz1", role_codes=["admin"], region_codes=["220702001000"])
        )


def test_user_list_is_scoped(personas, client):
    client.force_login(personas.admin)  # admin of 松原市
    page = client.get("/accounts/users/").content.decode()
    assert "township_a" in page and "elsewhere" not in page
    assert client.get(f"/accounts/users/{personas.elsewhere.pk}/").status_code == 404


def test_user_pages_create_and_edit(personas, client):
    client.force_login(personas.admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "page_user",
            "full_name": "页面用户",
            "kind": "officer",
            "role_codes": ["township_officer"],
            "region_codes": "220702002000",
            "password": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="page_user")
    bad = client.post(
        f"/accounts/users/{user.pk}/",
        {"username": "page_user", "kind": "officer", "region_codes": "500103000000", "is_active": "on"},
    )
    assert bad.status_code == 400 and "不在您的管辖范围内" in bad.content.decode()
    assert list(user.regions.values_list("code", flat=True)) == ["220702002000"]


def test_api_tokens(personas, client):
    admin = personas.actor("admin")
    with pytest.raises(ValidationFailed):  # only integration clients get tokens
        api_token_issue(actor=admin, user_id=personas.township_a.pk, data=ApiTokenIn(name="x"))
    token, raw = api_token_issue(
        actor=admin, user_id=personas.integration.pk, data=ApiTokenIn(name="人社数据交换")
    )
    assert raw not in repr(list(ApiToken.objects.values_list()))
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["region_prefixes"] == ["220702002"]
    api_token_revoke(actor=admin, token_id=token.pk)
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer cn_forged").status_code == 401


def test_users_api(personas, client):
    client.force_login(personas.admin)
    listing = client.get("/api/v1/accounts/users?q=township").json()
    assert {u["username"] for u in listing["items"]} == {"township_a", "township_b"}
    created = client.post(
        "/api/v1/accounts/users",
        data=json.dumps(
            {
                "username": "api_user",
                "kind": "officer",
                "role_codes": ["leader"],
                "region_codes": ["220700000000"],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["regions"] == ["220700000000"]
    refused = client.post(
        "/api/v1/accounts/users",
        data=json.dumps({"username": "api_user2", "kind": "officer", "region_codes": ["500103000000"]}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "region_codes" in refused.json()["fields"]
