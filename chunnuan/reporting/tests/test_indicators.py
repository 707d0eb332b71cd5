"""Indicators of a campaign: actual values from the reported roll-up against the targets in effect."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
import time_machine

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.core import synthetic
from chunnuan.core.errors import NotFound
from chunnuan.employers.services import employer_register
from chunnuan.employers.types import EmployerIn
from chunnuan.reporting import indicators, services
from chunnuan.reporting.periods import LOCAL_TZ
from chunnuan.reporting.types import SubmissionValuesIn, TargetIn

BASE = {
    "on_roll": 10,
    "on_post": 10,
    "migrant": 8,
    "due": 10,
    "signed": 9,
    "signed_fixed": 9,
    "signed_open": 0,
    "signed_task": 0,
    "filed": 10,
    "insured": 6,
}


def _reasons(values):
    return {k: "核对纸质名册" for k in values}


def _employer(name, township, *, above_scale=False, size="small"):
    with actor_scope(system_actor("test")):
        employer = employer_register(
            actor=system_actor("test"),
            data=EmployerIn(
                credit_code=synthetic.credit_code(random.Random(name), township[:6]),
                name=name,
                region_code=township,
            ),
        )
    employer.is_above_scale, employer.size_class = above_scale, size
    employer.save(update_fields=["is_above_scale", "size_class"])
    return employer


def _base(personas, campaign, *, actor_name, employer=None, values=BASE):
    actor = personas.actor(actor_name)
    sub = services.submission_open(
        actor=actor,
        form_code="CN_CONTRACT_BASE",
        period_key=campaign.code,
        employer_id=employer.pk if employer is not None else None,
    )
    sub = services.submission_submit(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(values=values, reasons=_reasons(values), filler_name="张三"),
    )
    return services.submission_approve(actor=personas.actor("county"), submission=sub)


def _township_summary(personas, campaign, actor_name, code):
    actor = personas.actor(actor_name)
    sub = services.submission_open(
        actor=actor, form_code="CN_CONTRACT_SUMMARY", period_key=campaign.code, region_code=code
    )
    sub = services.submission_submit(
        actor=actor, submission=sub, data=SubmissionValuesIn(filler_name="李四", missing_note="其余未报")
    )
    return services.submission_approve(actor=personas.actor("county"), submission=sub)


@pytest.fixture
def reported(personas, campaign):
    """团结街道: the clerk's employer (9/10 signed) and a big above-scale one filled by the township
    (18/20); 文化街道: one employer (5/10). Both township summaries approved by the county — all on
    time, in March 2026."""
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=LOCAL_TZ)):
        return _report(personas, campaign)


def _report(personas, campaign):
    big = _employer("团结大型制造有限公司", "220702001000", above_scale=True, size="large")
    other = _employer("文化小微商贸有限公司", "220702002000", size="micro")
    personas.employer.size_class = "small"
    personas.employer.save(update_fields=["size_class"])
    _base(personas, campaign, actor_name="clerk")
    _base(
        personas,
        campaign,
        actor_name="township_a",
        employer=big,
        values=BASE
        | {
            "on_roll": 20,
            "on_post": 20,
            "due": 20,
            "signed": 18,
            "signed_fixed": 18,
            "filed": 20,
            "insured": 20,
        },
    )
    _base(
        personas,
        campaign,
        actor_name="township_b",
        employer=other,
        values=BASE | {"signed": 5, "signed_fixed": 5},
    )
    _township_summary(personas, campaign, "township_a", "220702001000")
    _township_summary(personas, campaign, "township_b", "220702002000")
    city = personas.actor("city")
    for indicator, segment, value in [
        ("contract_signing_rate", "all", 90),
        ("contract_signing_rate", "above_scale", 95),
        ("contract_signing_rate", "small_micro", 70),
        ("insured_rate", "all", 80),
    ]:
        services.target_set(
            actor=city,
            campaign=campaign,
            data=TargetIn(region_code="220700000000", indicator=indicator, segment=segment, value=value),
        )
    services.target_set(  # the county breaks the city's target down for one township
        actor=personas.actor("county"),
        campaign=campaign,
        data=TargetIn(region_code="220702002000", indicator="contract_signing_rate", value=Decimal("40")),
    )
    return campaign


def _by(values, indicator, segment="all"):
    return next(v for v in values if v.indicator == indicator and v.segment == segment)


def test_indicator_values_of_a_county_against_inherited_targets(personas, reported):
    values = indicators.indicator_values(
        actor=personas.actor("county"), campaign=reported, region_code="220702000000"
    )
    signing = _by(values, "contract_signing_rate")
    assert signing.measure.numerator == 9 + 18 + 5 and signing.measure.denominator == 40
    assert signing.actual == Decimal("80.0")
    assert signing.target.value == 90 and signing.inherited and signing.target_region_name == "松原市"
    assert signing.met is False and signing.gap == Decimal("-10.0")
    insured = _by(values, "insured_rate")
    assert insured.actual == Decimal("80.0") and insured.met is True  # 32 / 40: reaching it is meeting it
    # by segment: the above-scale employer alone, the small and micro ones together
    assert _by(values, "contract_signing_rate", "above_scale").actual == Decimal("90.0")
    assert _by(values, "contract_signing_rate", "small_micro").measure.numerator == 14


def test_an_overridden_target_is_the_township_own(personas, reported):
    values = indicators.indicator_values(
        actor=personas.actor("county"), campaign=reported, region_code="220702002000"
    )
    signing = _by(values, "contract_signing_rate")
    assert signing.inherited is False and signing.target.value == 40
    assert signing.actual == Decimal("50.0") and signing.met is True
    # the township next door keeps the city's target
    other = indicators.indicator_values(
        actor=personas.actor("county"), campaign=reported, region_code="220702001000"
    )
    assert _by(other, "contract_signing_rate").inherited is True


def test_ranking_orders_townships_best_first_each_with_its_target(personas, reported):
    rows = indicators.ranking(
        actor=personas.actor("county"),
        campaign=reported,
        region_code="220702000000",
        indicator="contract_signing_rate",
        segment="all",
    )
    assert [(r.name, r.rank, r.actual) for r in rows] == [
        ("团结街道", 1, Decimal("90.0")),
        ("文化街道", 2, Decimal("50.0")),
    ]
    assert rows[0].target.value == 90 and rows[1].target.value == 40 and rows[1].met is True


def test_city_ranking_lists_counties_without_figures_last(personas, reported):
    county = services.submission_open(
        actor=personas.actor("county"),
        form_code="CN_CONTRACT_SUMMARY",
        period_key="CN2026",
        region_code="220702000000",
    )
    county = services.submission_submit(
        actor=personas.actor("county"), submission=county, data=SubmissionValuesIn(filler_name="王五")
    )
    services.submission_approve(actor=personas.actor("city"), submission=county)
    rows = indicators.ranking(
        actor=personas.actor("city"), campaign=reported, region_code="220700000000", indicator="insured_rate"
    )
    assert [r.name for r in rows] == ["宁江区", "前郭尔罗斯蒙古族自治县"]
    assert rows[0].actual == Decimal("80.0") and rows[1].actual is None and rows[1].rank is None


def test_township_ranking_and_drilldown_list_its_employers(personas, reported):
    rows = indicators.ranking(
        actor=personas.actor("county"),
        campaign=reported,
        region_code="220702001000",
        indicator="contract_signing_rate",
    )
    assert [(r.rank, r.actual) for r in rows] == [(1, Decimal("90.0")), (2, Decimal("90.0"))]  # ties by name
    assert [r.name for r in rows] == sorted(["团结测试建筑有限公司", "团结大型制造有限公司"])
    assert all(r.target.value == 90 for r in rows)
    drill = indicators.drilldown(
        actor=personas.actor("county"), campaign=reported, region_code="220702001000"
    )
    assert {e.name for e in drill.employers} == {"团结测试建筑有限公司", "团结大型制造有限公司"}
    assert all(e.employer_id for e in drill.employers)
    county = indicators.drilldown(
        actor=personas.actor("county"), campaign=reported, region_code="220702000000"
    )
    assert [(r.name, r.values["signed"]) for r in county.regions] == [("团结街道", 27), ("文化街道", 5)]


def test_report_completeness_and_trend(personas, reported):
    services.target_set(
        actor=personas.actor("city"),
        campaign=reported,
        data=TargetIn(region_code="220700000000", indicator="report_completeness", value=100),
    )
    values = indicators.indicator_values(
        actor=personas.actor("county"), campaign=reported, region_code="220702000000"
    )
    completeness = _by(values, "report_completeness")
    assert completeness.measure.denominator == 3 and completeness.measure.numerator == 3
    trend = indicators.trend(actor=personas.actor("county"), campaign=reported, region_code="220702000000")
    assert [f.code for f in trend.fields] == ["returnees", "stayers", "gone_out", "p2p_passengers"]
    assert trend.points[0].period.key == "2026-01D1" and len(trend.points) == 9


def test_a_region_out_of_reach_is_not_found(personas, reported):
    with pytest.raises(NotFound):
        indicators.indicator_values(
            actor=personas.actor("township_a"), campaign=reported, region_code="220702002000"
        )
