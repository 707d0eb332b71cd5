"""The units an actor fills for or oversees, and the unit level a region code stands for."""

from __future__ import annotations

from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import code_prefix, ensure_in_scope, get_visible
from chunnuan.core.errors import ValidationFailed
from chunnuan.employers.models import Employer
from chunnuan.regions.models import Region
from chunnuan.regions.selectors import region_get
from chunnuan.reporting.definitions import FormDef, UnitLevel
from chunnuan.reporting.units import UNIT_DEPTH, UNIT_REGION_LEVEL, Unit, employer_unit, region_unit


def unit_of_actor(*, actor: Actor, form: FormDef, region_code: str = "") -> Unit:
    """The unit the actor fills for: their employer, or a region in reach at a level the form has."""
    if actor.employer_id:
        employer = get_visible(actor, Employer, pk=actor.employer_id)
        unit = employer_unit(employer)
    else:
        region = region_get(code=region_code)
        ensure_in_scope(actor, region.code)
        found = region_unit(region)
        if found is None:
            raise ValidationFailed("该地区级别不填报此表", fields={"region": ["级别不对"]})
        unit = found
    if unit.level not in form.levels:
        raise ValidationFailed(
            f"“{form.short_name}”不由{unit.name}这一级填报", fields={"region": ["该级别不填报此表"]}
        )
    return unit


def unit_for_employer(*, actor: Actor, employer_id: Any) -> Unit:
    return employer_unit(get_visible(actor, Employer, pk=employer_id))


def expected_units(*, actor: Actor, level: UnitLevel, region_code: str) -> list[Unit]:
    """Every unit at ``level`` under the region that should report."""
    prefix = region_code[: UNIT_DEPTH.get(_region_level(region_code), 12)]
    if level is UnitLevel.EMPLOYER:
        employers = (
            Employer.objects.visible_to(actor)
            .filter(region_code__startswith=prefix)
            .only("id", "name", "region_code", "industry_section", "size_class", "is_above_scale")
            .order_by("region_code", "name")
        )
        return [employer_unit(e) for e in employers]
    regions = Region.objects.filter(
        valid_to__isnull=True, level=UNIT_REGION_LEVEL[level], code__startswith=prefix
    ).order_by("code")
    return [u for r in regions if (u := region_unit(r)) is not None and actor.covers(r.code)]


_LEVEL_OF_DEPTH = {UNIT_DEPTH[lv]: lv for lv in (UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP)}


def _region_level(code: str) -> UnitLevel:
    """City / county / township for a region code (a province counts as a city); else employer."""
    depth = max(len(code_prefix(code)), UNIT_DEPTH[UnitLevel.CITY])
    return _LEVEL_OF_DEPTH.get(depth, UnitLevel.EMPLOYER)


def region_unit_level(code: str) -> UnitLevel:
    """The unit level a 12-digit region code stands for (city / county / township)."""
    return _region_level(code)


def _prefix(code: str) -> str:
    return code_prefix(code) if len(code) == 12 else code
