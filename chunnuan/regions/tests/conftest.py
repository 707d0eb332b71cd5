"""Region test fixtures: 吉林 (22) and 重庆 (50) loaded from the shipped CSV once per module, and
named personas over them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chunnuan.access.actor import Actor, ActorKind, system_actor
from chunnuan.access.permissions import Perm
from chunnuan.audit.models import AuditEvent
from chunnuan.regions.models import Region
from chunnuan.regions.services import regions_load

VIEW = frozenset({Perm.VIEW_REGIONS.value})
MANAGE = frozenset({Perm.VIEW_REGIONS.value, Perm.MANAGE_REGIONS.value})


def officer(prefix: str, permissions: frozenset[str] = MANAGE, label: str = "t") -> Actor:
    return Actor(kind=ActorKind.OFFICER, label=label, region_prefixes=(prefix,), permissions=permissions)


@pytest.fixture(scope="module")
def jilin_chongqing(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Provinces 22 and 50, loaded outside the per-test transactions; what it added is removed
    afterwards (regions other fixtures made are left alone)."""
    with django_db_blocker.unblock():
        last_region = Region.objects.order_by("-id").values_list("id", flat=True).first() or 0
        last_event = AuditEvent.objects.unscoped(reason="test cleanup").order_by("-id").first()
        regions_load(actor=system_actor("tests"), provinces=["22", "50"])
        yield
        for level in (5, 4, 3, 2, 1):
            Region.objects.filter(id__gt=last_region, level=level).delete()
        AuditEvent.objects.unscoped(reason="test cleanup").filter(
            id__gt=last_event.pk if last_event else 0
        ).delete()


@pytest.fixture
def loaded(jilin_chongqing: None, db: None) -> None:
    """Use in tests that read the loaded provinces (each test still rolls back its own writes)."""


@pytest.fixture
def songyuan_officer() -> Actor:
    """市人社局: 松原市 (2207), may add functional units."""
    return officer("2207", label="songyuan")


@pytest.fixture
def ningjiang_officer() -> Actor:
    """县人社局: 宁江区 (220702), may add functional units."""
    return officer("220702", label="ningjiang")


@pytest.fixture
def qianguo_officer() -> Actor:
    """The sibling county: 前郭尔罗斯蒙古族自治县 (220721)."""
    return officer("220721", label="qianguo")


@pytest.fixture
def chongqing_officer() -> Actor:
    """Another province: 重庆市 (50)."""
    return officer("50", label="chongqing")


@pytest.fixture
def viewer() -> Actor:
    """宁江区, read only."""
    return officer("220702", permissions=VIEW, label="viewer")


@pytest.fixture
def login(client: object) -> object:
    """``login(region_code, perms)`` signs a new officer in on the test client and returns it."""
    from chunnuan.accounts.models import Role, User

    counter = {"n": 0}

    def make(region_code: str | None, permissions: frozenset[str] = MANAGE) -> object:
        counter["n"] += 1
        role = Role.objects.create(code=f"r{counter['n']}", name="测试角色", permissions=sorted(permissions))
        user = User.objects.create_user(username=f"u{counter['n']}", password="x")
        user.roles.add(role)
        if region_code:
            user.regions.add(Region.objects.get(code=region_code, valid_to__isnull=True))
        client.force_login(user)  # type: ignore[attr-defined]
        return client

    return make
