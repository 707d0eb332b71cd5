"""Targets: set by the issuing city, broken down by a county for its townships, inherited otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chunnuan.core.errors import NotFound, PermissionDenied, ValidationFailed
from chunnuan.reporting import selectors, services
from chunnuan.reporting.types import TargetIn


def _set(personas, campaign, who, region, value, segment="all"):
    return services.target_set(
        actor=personas.actor(who),
        campaign=campaign,
        data=TargetIn(
            region_code=region, indicator="contract_signing_rate", segment=segment, value=Decimal(value)
        ),
    )


def test_inherited_then_overridden(personas, campaign):
    _set(personas, campaign, "city", "220700000000", "90")
    _set(personas, campaign, "city", "220700000000", "70", segment="small_micro")
    township = "220702001000"
    found = selectors.effective_targets(
        actor=personas.actor("township_a"), campaign=campaign, region_code=township
    )
    assert found[("contract_signing_rate", "all")].value == Decimal("90")
    assert found[("contract_signing_rate", "all")].inherited
    assert found[("contract_signing_rate", "all")].region_code == "220700000000"

    _set(personas, campaign, "city", "220702000000", "92")  # the city sets the county's target
    _set(personas, campaign, "county", township, "95")
    found = selectors.effective_targets(
        actor=personas.actor("township_a"), campaign=campaign, region_code=township
    )
    assert found[("contract_signing_rate", "all")].value == Decimal("95")
    assert not found[("contract_signing_rate", "all")].inherited
    assert found[("contract_signing_rate", "small_micro")].value == Decimal("70")  # still inherited
    sibling = selectors.effective_targets(
        actor=personas.actor("township_b"), campaign=campaign, region_code="220702002000"
    )
    assert sibling[("contract_signing_rate", "all")].value == Decimal("92")  # from the county


def test_an_officer_cannot_set_their_own_levels_target(personas, campaign):
    with pytest.raises(PermissionDenied):
        _set(personas, campaign, "township_a", "220702001000", "50")


def test_targets_outside_reach_or_out_of_range_are_refused(personas, campaign):
    with pytest.raises(NotFound):
        _set(personas, campaign, "county", "220721100000", "80")  # 前郭 is not under 宁江区
    with pytest.raises(Exception):  # noqa: B017 — pydantic refuses a rate over 100 before the service
        _set(personas, campaign, "city", "220700000000", "120")
    with pytest.raises(ValidationFailed):
        services.target_set(
            actor=personas.actor("city"),
            campaign=campaign,
            data=TargetIn(region_code="220700000000", indicator="nonsense", value=Decimal(1)),
        )


def test_removing_an_override_inherits_again(personas, campaign):
    _set(personas, campaign, "city", "220700000000", "90")
    override = _set(personas, campaign, "county", "220702001000", "99")
    services.target_delete(actor=personas.actor("county"), target=override)
    found = selectors.effective_targets(
        actor=personas.actor("township_a"), campaign=campaign, region_code="220702001000"
    )
    assert found[("contract_signing_rate", "all")].value == Decimal("90")
