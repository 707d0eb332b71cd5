from __future__ import annotations

import pytest

from chunnuan.regions.models import Region, RegionLevel


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("220000000000", RegionLevel.PROVINCE, "22"),
        ("220700000000", RegionLevel.CITY, "2207"),
        ("220702000000", RegionLevel.COUNTY, "220702"),
        ("220702001000", RegionLevel.TOWNSHIP, "220702001"),
        ("220702001001", RegionLevel.VILLAGE, "220702001001"),
        ("500103000000", RegionLevel.COUNTY, "500103"),
        ("130273000000", RegionLevel.COUNTY, "130273"),
    ],
)
def test_scope_prefix_per_level(code: str, level: RegionLevel, prefix: str) -> None:
    region = Region(code=code, name="x", level=level, kind="other")
    assert region.scope_prefix == prefix
    assert region.region_code == code
    assert region.is_current
