import datetime as dt
from decimal import Decimal

import pytest

from chunnuan.employers import rules
from chunnuan.employers.choices import SizeClass as S

D = dt.date


@pytest.mark.parametrize(
    ("sector", "values", "expected"),
    [
        ("industry", {"staff": 1000, "revenue": 40000}, S.LARGE),
        ("industry", {"staff": 1000, "revenue": 39999}, S.MEDIUM),  # falls a class: one bound missed
        ("industry", {"staff": 300, "revenue": 2000}, S.MEDIUM),
        ("industry", {"staff": 299, "revenue": 50000}, S.SMALL),
        ("industry", {"staff": 20, "revenue": 300}, S.SMALL),
        ("industry", {"staff": 19, "revenue": 100000}, S.MICRO),  # micro: any one condition
        ("industry", {"staff": 5000, "revenue": 299}, S.MICRO),
        ("industry", {"staff": 10, "revenue": None}, S.MICRO),  # one known micro indicator decides
        ("industry", {"staff": 500, "revenue": None}, ""),  # cannot decide
        ("construction", {"revenue": 80000, "assets": 80000}, S.LARGE),
        ("construction", {"revenue": 80000, "assets": 79999}, S.MEDIUM),
        ("construction", {"revenue": 6000, "assets": 4999}, S.SMALL),
        ("construction", {"revenue": 299, "assets": 90000}, S.MICRO),
        ("accommodation", {"staff": 300, "revenue": 10000}, S.LARGE),
        ("catering", {"staff": 100, "revenue": 2000}, S.MEDIUM),
        ("catering", {"staff": 99, "revenue": 9000}, S.SMALL),
        ("catering", {"staff": 10, "revenue": 99}, S.MICRO),
        ("wholesale", {"staff": 200, "revenue": 40000}, S.LARGE),
        ("wholesale", {"staff": 4, "revenue": 40000}, S.MICRO),
        ("retail", {"staff": 50, "revenue": 500}, S.MEDIUM),
        ("retail", {"staff": 9, "revenue": 500}, S.MICRO),
        ("transport", {"staff": 300, "revenue": 3000}, S.MEDIUM),
        ("warehousing", {"staff": 100, "revenue": 1000}, S.MEDIUM),
        ("post", {"staff": 20, "revenue": 100}, S.SMALL),
        ("software", {"staff": 10, "revenue": 50}, S.SMALL),
        ("real_estate", {"revenue": 200000, "assets": 10000}, S.LARGE),
        ("property_management", {"staff": 1000, "revenue": 5000}, S.LARGE),
        ("leasing_business", {"staff": 100, "assets": 8000}, S.MEDIUM),
        ("agriculture", {"revenue": 500}, S.MEDIUM),
        ("other", {"staff": 300}, S.LARGE),
        ("other", {"staff": 9}, S.MICRO),
    ],
)
def test_size_class_by_sector(sector, values, expected):
    kwargs = {k: (Decimal(v) if k != "staff" and v is not None else v) for k, v in values.items()}
    assert rules.size_class_for(sector, **kwargs) == expected


def test_sector_from_industry():
    assert rules.size_sector(section="C", division="13") == "industry"
    assert rules.size_sector(section="E", division="47") == "construction"
    assert rules.size_sector(section="H", division="62") == "catering"
    assert rules.size_sector(section="F", division="52") == "retail"
    assert rules.size_sector(section="K", division="70", name="松原物业管理有限公司") == "property_management"
    assert rules.size_sector(section="O", division="80") == "other"


def test_province_rules_override_national_from_their_date():
    own = rules.SizeRuleSet(
        valid_from=D(2030, 1, 1),
        source="test",
        sectors={
            **rules.SIZE_2017.sectors,
            "other": rules.SectorRule("其他", {"staff": 50}, {"staff": 20}, {"staff": 5}),
        },
    )
    rules.PROVINCE_SIZE_RULESETS["22"] = [own]
    try:
        assert (
            rules.size_class_for("other", staff=60, region_code="220702001000", on=D(2030, 1, 1)) == S.LARGE
        )
        assert (
            rules.size_class_for("other", staff=60, region_code="220702001000", on=D(2029, 12, 31)) == S.SMALL
        )
        assert (
            rules.size_class_for("other", staff=60, region_code="500103000000", on=D(2030, 1, 1)) == S.SMALL
        )
    finally:
        rules.PROVINCE_SIZE_RULESETS.clear()


def test_above_scale_suggestion():
    assert rules.above_scale_suggestion(sector="industry", section="C", revenue=Decimal(2000)) is True
    assert rules.above_scale_suggestion(sector="industry", section="C", revenue=Decimal(1999)) is False
    assert rules.above_scale_suggestion(sector="catering", section="H", revenue=Decimal(200)) is True
    assert rules.above_scale_suggestion(sector="construction", section="E", revenue=Decimal(99999)) is None


@pytest.mark.parametrize(
    ("today", "days", "double", "deemed"),
    [
        (D(2024, 1, 30), 30, 0, False),  # day 30: within the first month
        (D(2024, 1, 31), 31, 0, False),  # day 31: last day of the month to sign
        (D(2024, 2, 1), 32, 1, False),  # day 32: double wages begin
        (D(2024, 12, 31), 366, 335, False),  # the day before the one-year mark
        (D(2025, 1, 1), 367, 335, True),  # one year: deemed open-ended; exposure capped
        (D(2026, 6, 1), 883, 335, True),
    ],
)
def test_double_wage_exposure_at_the_boundaries(today, days, double, deemed):
    exposure = rules.no_contract_exposure(D(2024, 1, 1), today)
    assert (exposure.days_without_contract, exposure.double_wage_days, exposure.is_deemed_open_ended) == (
        days,
        double,
        deemed,
    )
    assert exposure.double_wage_from == D(2024, 2, 1) and exposure.double_wage_until == D(2024, 12, 31)


def test_double_wage_is_at_most_eleven_months():
    exposure = rules.no_contract_exposure(D(2023, 3, 1), D(2030, 1, 1))
    assert exposure.double_wage_from == D(2023, 4, 1) and exposure.double_wage_until == D(2024, 2, 29)
    assert exposure.double_wage_days == (D(2024, 2, 29) - D(2023, 4, 1)).days + 1


def test_overdue_from_the_day_after_the_month():
    assert not rules.is_contract_overdue(D(2024, 1, 1), D(2024, 1, 31))
    assert rules.is_contract_overdue(D(2024, 1, 1), D(2024, 2, 1))


@pytest.mark.parametrize(
    ("kind", "start", "end", "cap"),
    [
        ("fixed_term", D(2024, 1, 1), D(2024, 3, 30), 0),  # under 3 months
        ("fixed_term", D(2024, 1, 1), D(2024, 3, 31), 1),  # 3 months
        ("fixed_term", D(2024, 1, 1), D(2024, 12, 30), 1),
        ("fixed_term", D(2024, 1, 1), D(2024, 12, 31), 2),  # 1 year
        ("fixed_term", D(2024, 1, 1), D(2026, 12, 30), 2),
        ("fixed_term", D(2024, 1, 1), D(2026, 12, 31), 6),  # 3 years
        ("open_ended", D(2024, 1, 1), None, 6),
        ("task_based", D(2024, 1, 1), None, 0),
    ],
)
def test_probation_caps(kind, start, end, cap):
    assert rules.probation_cap_months(kind, start, end) == cap


def test_contract_term_rules():
    assert "end_date" in rules.contract_term_errors(
        contract_type="fixed_term", start=D(2024, 1, 1), end=None, probation_months=None
    )
    assert "end_date" in rules.contract_term_errors(
        contract_type="fixed_term", start=D(2024, 1, 1), end=D(2024, 1, 1), probation_months=None
    )
    assert "end_date" in rules.contract_term_errors(
        contract_type="open_ended", start=D(2024, 1, 1), end=D(2025, 1, 1), probation_months=None
    )
    assert not rules.contract_term_errors(
        contract_type="task_based", start=D(2024, 1, 1), end=None, probation_months=None
    )
    errors = rules.contract_term_errors(
        contract_type="fixed_term", start=D(2024, 1, 1), end=D(2024, 12, 31), probation_months=3
    )
    assert errors["probation_months"] == ["按合同期限，试用期最长2个月"]
    assert rules.contract_term_errors(
        contract_type="fixed_term",
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
        probation_months=1,
        employment_form="part_time",
    )


def test_dispatch_cap_boundary_and_rounding():
    assert not rules.dispatch_over_cap(10, 90)  # exactly 10%
    assert rules.dispatch_over_cap(11, 90)
    assert not rules.dispatch_over_cap(0, 0)
    assert (
        rules.whole_percent(2, 3) == 67
        and rules.whole_percent(1, 8) == 13
        and rules.whole_percent(1, 200) == 1
    )
    assert rules.whole_percent(1, 0) is None


def test_add_months_clamps_to_month_end():
    assert rules.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert rules.add_months(D(2024, 12, 15), 1) == D(2025, 1, 15)
    assert rules.add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
