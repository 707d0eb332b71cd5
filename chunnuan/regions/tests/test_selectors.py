from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunnuan.access.actor import ANONYMOUS, Actor, system_actor
from chunnuan.core.errors import NotFound
from chunnuan.regions.models import Region, RegionLevel
from chunnuan.regions.selectors import (
    jurisdiction_regions,
    picker_state,
    region_ancestors,
    region_children,
    region_get,
    region_list,
)
from chunnuan.regions.tests.conftest import officer
from chunnuan.regions.types import RegionFilter

pytestmark = pytest.mark.usefixtures("loaded")


def test_region_get_and_not_found() -> None:
    assert region_get(code="220700000000").name == "松原市"
    for bad in ("", "2207", "22070000000X", "999999999999"):
        with pytest.raises(NotFound):
            region_get(code=bad)


def test_retired_regions_are_not_current() -> None:
    Region.objects.filter(code="220723000000").update(valid_to="2026-01-01")
    with pytest.raises(NotFound):
        region_get(code="220723000000")
    assert "220723000000" not in [r.code for r in region_children(code="220700000000")]


def test_children_ordered_by_code() -> None:
    codes = [r.code for r in region_children(code="220700000000")]
    assert codes == ["220702000000", "220721000000", "220722000000", "220723000000", "220781000000"]
    assert list(region_children(code="nonsense")) == []


def test_ancestors_from_province() -> None:
    township = region_get(code="220721001000")
    assert [r.code for r in region_ancestors(township)] == [
        "220000000000",
        "220700000000",
        "220721000000",
        "220721001000",
    ]
    yuzhong = region_get(code="500103000000")
    assert [r.name for r in region_ancestors(yuzhong)] == ["重庆市", "渝中区"]


def test_jurisdiction_regions(ningjiang_officer: Actor) -> None:
    assert [r.name for r in jurisdiction_regions(ningjiang_officer)] == ["宁江区"]
    several = officer("220702").__class__(
        kind=ningjiang_officer.kind, label="gw", region_prefixes=("220702001", "220721")
    )
    assert [r.code for r in jurisdiction_regions(several)] == ["220702001000", "220721000000"]
    assert {r.code for r in jurisdiction_regions(system_actor("x"))} == {"220000000000", "500000000000"}
    assert jurisdiction_regions(ANONYMOUS) == []


def test_region_list_is_limited_to_jurisdiction(ningjiang_officer: Actor, qianguo_officer: Actor) -> None:
    mine = list(region_list(actor=ningjiang_officer))
    assert mine[0].code == "220702000000" and all(r.code.startswith("220702") for r in mine)
    assert not region_list(actor=qianguo_officer, filters=RegionFilter(q="宁江")).exists()
    assert region_list(actor=ANONYMOUS).count() == 0
    assert region_list(actor=system_actor("x")).count() == Region.objects.count()


def test_region_list_filters(songyuan_officer: Actor) -> None:
    by_name = region_list(actor=songyuan_officer, filters=RegionFilter(q="前郭"))
    assert [r.code for r in by_name][:2] == [
        "220721000000",
        "220721100000",
    ]  # the county and its 前郭尔罗斯镇
    by_code = region_list(actor=songyuan_officer, filters=RegionFilter(q="2207021"))
    assert by_code.count() > 0 and all(r.code.startswith("2207021") for r in by_code)
    counties = region_list(actor=songyuan_officer, filters=RegionFilter(level=RegionLevel.COUNTY))
    assert counties.count() == 5
    cities = region_list(actor=songyuan_officer, filters=RegionFilter(kind="county_city"))
    assert [r.name for r in cities] == ["扶余市"]
    children = region_list(actor=songyuan_officer, filters=RegionFilter(parent="220721000000"))
    assert children.count() > 5 and all(r.parent.code == "220721000000" for r in children)


def test_region_list_has_no_n_plus_one(songyuan_officer: Actor) -> None:
    with CaptureQueriesContext(connection) as ctx:
        names = [r.parent.name for r in region_list(actor=songyuan_officer)[:200] if r.parent_id]
    assert len(names) > 100 and len(ctx.captured_queries) == 1


def test_picker_whole_country_nothing_chosen() -> None:
    state = picker_state(roots=[], value="")
    assert state.value == "" and state.fixed == []
    assert len(state.levels) == 1
    assert [r.code for r in state.levels[0].choices] == ["220000000000", "500000000000"]


def test_picker_path_to_a_township() -> None:
    state = picker_state(roots=[], value="220721001000")
    assert state.value == "220721001000"
    assert [level.chosen for level in state.levels] == [
        "220000000000",
        "220700000000",
        "220721000000",
        "220721001000",
    ]
    assert [level.parent_code for level in state.levels] == [
        "",
        "220000000000",
        "220700000000",
        "220721000000",
    ]


def test_picker_stops_at_max_level_and_offers_next() -> None:
    state = picker_state(roots=[], value="220700000000", max_level=RegionLevel.COUNTY)
    assert state.value == "220700000000"
    assert [level.chosen for level in state.levels] == ["220000000000", "220700000000", ""]
    deep = picker_state(roots=[], value="220721001000", max_level=RegionLevel.COUNTY)
    assert deep.value == ""  # deeper than allowed: ignored


def test_picker_with_a_county_root(ningjiang_officer: Actor) -> None:
    root = jurisdiction_regions(ningjiang_officer)
    state = picker_state(roots=root, value="")
    assert [r.name for r in state.fixed] == ["吉林省", "松原市", "宁江区"]
    assert state.value == "220702000000" and len(state.levels) == 1
    chosen = picker_state(roots=root, value="220702001000")
    assert chosen.value == "220702001000" and chosen.levels[0].chosen == "220702001000"
    outside = picker_state(roots=root, value="220721001000")
    assert outside.value == "220702000000" and outside.levels[0].chosen == ""


def test_picker_with_several_roots() -> None:
    roots = [region_get(code="220702000000"), region_get(code="220721000000")]
    state = picker_state(roots=roots, value="220721001000")
    assert [level.chosen for level in state.levels] == ["220721000000", "220721001000"]
    assert state.value == "220721001000"
    assert [r.code for r in state.levels[0].choices] == ["220702000000", "220721000000"]
