"""Region test fixtures: 吉林 (22) and 重庆 (50) loaded from the shipped CSV once per module, and
named personas over them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chunnuan.access.actor import Actor, ActorKind, system_actor
from chunnuan.access.permissions import Perm
from chunnuan.regions.models import Region
from chunnuan.regions.services import regions_load

VIEW = frozenset({Perm.VIEW_REGIONS.value})
MANAGE = frozenset({Perm.VIEW_REGIONS.value, Perm.MANAGE_REGIONS.value})


def officer(prefix: str, permissions: frozenset[str] = MANAGE, label: str = "t") -> Actor:
    return Actor(kind=ActorKind.OFFICER, label=label, region_prefixes=(prefix,), permissions=permissions)


def delete_all_regions() -> None:
    for level in (5, 4, 3, 2, 1):
        Region.objects.filter(level=level).delete()


@pytest.fixture(scope="module")
def jilin_chongqing(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Provinces 22 and 50, loaded outside the per-test transactions and removed afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        regions_load(actor=system_actor("tests"), provinces=["22", "50"])
        yield
        delete_all_regions()


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
