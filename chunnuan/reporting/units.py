"""报送单位: who fills a form — an employer (基层表) or a region (乡镇 / 县 / 市)."""

from __future__ import annotations

from dataclasses import dataclass

from chunnuan.employers.models import Employer
from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel
from chunnuan.reporting.definitions import LEVEL_ORDER, UnitLevel

REGION_UNIT_LEVEL = {
    RegionLevel.TOWNSHIP: UnitLevel.TOWNSHIP,
    RegionLevel.COUNTY: UnitLevel.COUNTY,
    RegionLevel.CITY: UnitLevel.CITY,
}
UNIT_REGION_LEVEL = {v: k for k, v in REGION_UNIT_LEVEL.items()}
# How many leading code digits name a unit of each level; an employer sits below its township.
UNIT_DEPTH = {
    UnitLevel.EMPLOYER: 12,
    UnitLevel.TOWNSHIP: PREFIX_LENGTH[RegionLevel.TOWNSHIP],
    UnitLevel.COUNTY: PREFIX_LENGTH[RegionLevel.COUNTY],
    UnitLevel.CITY: PREFIX_LENGTH[RegionLevel.CITY],
}


@dataclass(frozen=True)
class Unit:
    level: UnitLevel
    region_code: str
    name: str
    employer_id: int | None = None
    industry_section: str = ""
    size_class: str = ""
    is_above_scale: bool = False

    @property
    def key(self) -> str:
        return f"E{self.employer_id}" if self.employer_id else self.region_code

    @property
    def prefix(self) -> str:
        """Codes at or under this unit (for a region unit); an employer's own region code."""
        return self.region_code[: UNIT_DEPTH[self.level]]

    @property
    def parent_level(self) -> UnitLevel | None:
        i = LEVEL_ORDER.index(self.level)
        return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None

    def parent_code(self) -> str | None:
        """The 12-digit code of the region one level up (an employer's township, a township's county)."""
        parent = self.parent_level
        if parent is None:
            return None
        return self.region_code[: UNIT_DEPTH[parent]].ljust(12, "0")


def employer_unit(employer: Employer) -> Unit:
    return Unit(
        level=UnitLevel.EMPLOYER,
        region_code=employer.region_code,
        name=employer.name,
        employer_id=employer.pk,
        industry_section=employer.industry_section,
        size_class=employer.size_class,
        is_above_scale=employer.is_above_scale,
    )


def region_unit(region: Region) -> Unit | None:
    level = REGION_UNIT_LEVEL.get(RegionLevel(region.level))
    if level is None:
        return None
    return Unit(level=level, region_code=region.code, name=region.name)
