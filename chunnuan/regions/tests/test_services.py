from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chunnuan.access.actor import Actor
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.core.errors import NotFound, PermissionDenied, ValidationFailed
from chunnuan.regions.models import Region, RegionKind, RegionLevel
from chunnuan.regions.services import region_add_unit, region_retire
from chunnuan.regions.tests.conftest import VIEW, officer
from chunnuan.regions.types import RegionUnitIn

pytestmark = pytest.mark.usefixtures("loaded")


def unit(**overrides: Any) -> RegionUnitIn:
    data = {
        "parent_code": "220700000000",
        "code": "220771000000",
        "name": "松原经济技术开发区",
        "kind": "development_zone",
    }
    data.update(overrides)
    return RegionUnitIn(**data)


def state() -> tuple[int, int]:
    return Region.objects.count(), AuditEvent.objects.unscoped(reason="test").count()


def test_city_officer_adds_county_level_zone(songyuan_officer: Actor) -> None:
    region = region_add_unit(actor=songyuan_officer, data=unit(short_name="松原经开区"))
    assert (region.level, region.kind, region.parent.code) == (
        RegionLevel.COUNTY,
        "development_zone",
        "220700000000",
    )
    assert region.scope_prefix == "220771" and region.short_name == "松原经开区"
    assert region.valid_from is not None and region.source == "手工维护"
    event = AuditEvent.objects.unscoped(reason="test").get(object_id=str(region.pk))
    assert event.action == AuditAction.CREATE and event.region_code == "220771000000"
    assert event.changes["name"] == [None, "松原经济技术开发区"]


def test_township_level_unit_and_townships_under_a_zone(
    songyuan_officer: Actor, ningjiang_officer: Actor
) -> None:
    zone = region_add_unit(actor=songyuan_officer, data=unit())
    park = region_add_unit(
        actor=songyuan_officer,
        data=unit(parent_code=zone.code, code="220771400000", name="化工园区", kind="industrial_park"),
    )
    assert (park.level, park.parent) == (RegionLevel.TOWNSHIP, zone)
    street = region_add_unit(
        actor=songyuan_officer,
        data=unit(parent_code=zone.code, code="220771001000", name="开发区街道", kind="street"),
    )
    assert street.level == RegionLevel.TOWNSHIP and street.short_name == "开发区街道"
    committee = region_add_unit(
        actor=ningjiang_officer,
        data=unit(
            parent_code="220702000000", code="220702500000", name="哈达山管委会", kind="admin_committee"
        ),
    )
    assert committee.parent.code == "220702000000"


def test_municipality_takes_county_level_zone(chongqing_officer: Actor) -> None:
    zone = region_add_unit(
        actor=chongqing_officer,
        data=unit(parent_code="500000000000", code="500171000000", name="两江新区", kind="development_zone"),
    )
    assert (zone.level, zone.parent.code) == (RegionLevel.COUNTY, "500000000000")


def test_full_width_code_is_normalised(songyuan_officer: Actor) -> None:
    region = region_add_unit(actor=songyuan_officer, data=unit(code="２２０７７１００００００"))
    assert region.code == "220771000000"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "22077100000"}, "code", "12位数字"),
        ({"code": "22077100000X"}, "code", "12位数字"),
        ({"code": "220871000000"}, "code", "2207"),
        ({"code": "220700000000"}, "code", "2207"),
        ({"code": "220702000000"}, "code", "已被使用"),
        ({"code": "220700100000"}, "code", "第5–6位"),
        ({"name": ""}, "name", "请填写名称"),
        ({"name": "区" * 101}, "name", "100"),
        ({"kind": "castle"}, "kind", "请选择类型"),
        ({"kind": "street"}, "kind", "开发区"),
        (
            {"parent_code": "220702000000", "code": "220702001000", "kind": "development_zone"},
            "code",
            "400–599",
        ),
        ({"parent_code": "220702000000", "code": "220702100000", "kind": "town"}, "kind", "只能添加"),
        (
            {"parent_code": "220702000000", "code": "220702400001", "kind": "development_zone"},
            "code",
            "后3位",
        ),
    ],
)
def test_add_unit_rejections_leave_nothing(
    songyuan_officer: Actor, overrides: dict[str, Any], field: str, message: str
) -> None:
    before = state()
    with pytest.raises(ValidationFailed) as caught:
        region_add_unit(actor=songyuan_officer, data=unit(**overrides))
    assert field in caught.value.fields, caught.value.fields
    assert any(message in text for text in caught.value.fields[field]), caught.value.fields
    assert state() == before


def test_add_unit_under_a_province_or_township_is_refused(songyuan_officer: Actor) -> None:
    before = state()
    with pytest.raises(ValidationFailed) as caught:
        region_add_unit(actor=officer("22"), data=unit(parent_code="220000000000", code="227100000000"))
    assert "parent_code" in caught.value.fields
    with pytest.raises(ValidationFailed):
        region_add_unit(actor=songyuan_officer, data=unit(parent_code="220702001000", code="220702001400"))
    assert state() == before


def test_out_of_jurisdiction_parent_is_not_found(qianguo_officer: Actor, chongqing_officer: Actor) -> None:
    before = state()
    with pytest.raises(NotFound):
        region_add_unit(actor=qianguo_officer, data=unit(parent_code="220702000000", code="220702400000"))
    with pytest.raises(NotFound):  # the city above one's county is out of reach too
        region_add_unit(actor=qianguo_officer, data=unit())
    with pytest.raises(NotFound):
        region_add_unit(actor=chongqing_officer, data=unit())
    with pytest.raises(NotFound):
        region_add_unit(actor=chongqing_officer, data=unit(parent_code="229900000000"))
    assert state() == before


def test_add_unit_needs_manage_permission() -> None:
    before = state()
    with pytest.raises(PermissionDenied):
        region_add_unit(actor=officer("2207", permissions=VIEW), data=unit())
    assert state() == before


def test_retire_sets_valid_to_and_frees_the_code(songyuan_officer: Actor) -> None:
    zone = region_add_unit(actor=songyuan_officer, data=unit(valid_from=date(2026, 1, 1)))
    retired = region_retire(actor=songyuan_officer, code=zone.code, valid_to=date(2026, 6, 30))
    assert retired.valid_to == date(2026, 6, 30)
    assert Region.objects.filter(code=zone.code).count() == 1  # kept, not deleted
    event = AuditEvent.objects.unscoped(reason="test").filter(action=AuditAction.UPDATE).get()
    assert event.changes == {"valid_to": [None, "2026-06-30"]}
    again = region_add_unit(actor=songyuan_officer, data=unit(name="松原新区"))
    assert again.pk != zone.pk


def test_retire_refusals(songyuan_officer: Actor, qianguo_officer: Actor) -> None:
    zone = region_add_unit(actor=songyuan_officer, data=unit(valid_from=date(2026, 1, 1)))
    region_add_unit(
        actor=songyuan_officer,
        data=unit(parent_code=zone.code, code="220771400000", name="化工园区", kind="industrial_park"),
    )
    before = state()
    with pytest.raises(ValidationFailed, match="下级"):
        region_retire(actor=songyuan_officer, code=zone.code, valid_to=date(2026, 6, 30))
    with pytest.raises(ValidationFailed, match="早于"):
        region_retire(actor=songyuan_officer, code="220771400000", valid_to=date(2025, 6, 30))
    with pytest.raises(ValidationFailed, match="本人"):
        region_retire(actor=songyuan_officer, code="220700000000", valid_to=date(2026, 6, 30))
    with pytest.raises(NotFound):
        region_retire(actor=qianguo_officer, code=zone.code, valid_to=date(2026, 6, 30))
    with pytest.raises(NotFound):
        region_retire(actor=songyuan_officer, code="999999999999", valid_to=date(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        region_retire(actor=officer("2207", permissions=VIEW), code=zone.code, valid_to=date(2026, 6, 30))
    assert state() == before
    assert Region.objects.get(code=zone.code).valid_to is None


def test_unit_kinds_are_the_functional_ones() -> None:
    from chunnuan.regions.models import UNIT_KINDS

    assert set(UNIT_KINDS) == {
        RegionKind.DEVELOPMENT_ZONE,
        RegionKind.INDUSTRIAL_PARK,
        RegionKind.ADMIN_COMMITTEE,
    }
