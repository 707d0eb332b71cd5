"""The rules of employers and labour contracts, as data and pure functions (no database).

* Enterprise size: 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号). Thresholds are data
  (``SIZE_RULESETS``), versioned by ``valid_from``; a province may add its own rule set in
  ``PROVINCE_SIZE_RULESETS`` (see docs/decisions/0008-employers.md).
* Above scale (规模以上 / 限额以上): a separate, manual flag; ``above_scale_suggestion`` only suggests.
* Labour contracts (劳动合同法): the one-month rule, double wages, probation caps, dispatch cap.

Units: staff in persons (X), revenue (Y) and assets (Z) in 万元.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from chunnuan.employers.choices import ContractType, EmploymentForm, SizeClass

# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (1-31 → 2-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Enterprise size
# ---------------------------------------------------------------------------------------------

Bounds = Mapping[str, int]  # indicator ("staff" / "revenue" / "assets") → lower bound of the class


@dataclass(frozen=True)
class SectorRule:
    """The lower bounds of large, medium and small for one sector; micro is everything below small."""

    label: str
    large: Bounds
    medium: Bounds
    small: Bounds
    checked: bool = True  # False: "(check)" — recalled, not yet confirmed against the original text

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(self.small)


@dataclass(frozen=True)
class SizeRuleSet:
    valid_from: dt.date
    source: str
    sectors: Mapping[str, SectorRule] = field(default_factory=dict)


def _r(label: str, large: Bounds, medium: Bounds, small: Bounds, *, checked: bool = True) -> SectorRule:
    return SectorRule(label=label, large=large, medium=medium, small=small, checked=checked)


# 统计上大中小微型企业划分办法（2017）, 附表. Large, medium and small must meet every lower bound of
# their class, or they fall a class; micro needs only one of its conditions.
SIZE_2017 = SizeRuleSet(
    valid_from=dt.date(2017, 12, 28),
    source="统计上大中小微型企业划分办法（2017）国统字〔2017〕213号",
    sectors={
        "agriculture": _r("农、林、牧、渔业", {"revenue": 20000}, {"revenue": 500}, {"revenue": 50}),
        "industry": _r(
            "工业",
            {"staff": 1000, "revenue": 40000},
            {"staff": 300, "revenue": 2000},
            {"staff": 20, "revenue": 300},
        ),
        "construction": _r(
            "建筑业",
            {"revenue": 80000, "assets": 80000},
            {"revenue": 6000, "assets": 5000},
            {"revenue": 300, "assets": 300},
        ),
        "wholesale": _r(
            "批发业",
            {"staff": 200, "revenue": 40000},
            {"staff": 20, "revenue": 5000},
            {"staff": 5, "revenue": 1000},
        ),
        "retail": _r(
            "零售业",
            {"staff": 300, "revenue": 20000},
            {"staff": 50, "revenue": 500},
            {"staff": 10, "revenue": 100},
        ),
        "transport": _r(
            "交通运输业",
            {"staff": 1000, "revenue": 30000},
            {"staff": 300, "revenue": 3000},
            {"staff": 20, "revenue": 200},
        ),
        "warehousing": _r(
            "仓储业",
            {"staff": 200, "revenue": 30000},
            {"staff": 100, "revenue": 1000},
            {"staff": 20, "revenue": 100},
        ),
        "post": _r(
            "邮政业",
            {"staff": 1000, "revenue": 30000},
            {"staff": 300, "revenue": 2000},
            {"staff": 20, "revenue": 100},
        ),
        "accommodation": _r(
            "住宿业",
            {"staff": 300, "revenue": 10000},
            {"staff": 100, "revenue": 2000},
            {"staff": 10, "revenue": 100},
        ),
        "catering": _r(
            "餐饮业",
            {"staff": 300, "revenue": 10000},
            {"staff": 100, "revenue": 2000},
            {"staff": 10, "revenue": 100},
        ),
        "telecom": _r(
            "信息传输业",
            {"staff": 2000, "revenue": 100000},
            {"staff": 100, "revenue": 1000},
            {"staff": 10, "revenue": 100},
            checked=False,
        ),
        "software": _r(
            "软件和信息技术服务业",
            {"staff": 300, "revenue": 10000},
            {"staff": 100, "revenue": 1000},
            {"staff": 10, "revenue": 50},
            checked=False,
        ),
        "real_estate": _r(
            "房地产开发经营",
            {"revenue": 200000, "assets": 10000},
            {"revenue": 1000, "assets": 5000},
            {"revenue": 100, "assets": 2000},
            checked=False,
        ),
        "property_management": _r(
            "物业管理",
            {"staff": 1000, "revenue": 5000},
            {"staff": 300, "revenue": 1000},
            {"staff": 100, "revenue": 500},
            checked=False,
        ),
        "leasing_business": _r(
            "租赁和商务服务业",
            {"staff": 300, "assets": 120000},
            {"staff": 100, "assets": 8000},
            {"staff": 10, "assets": 100},
            checked=False,
        ),
        "other": _r("其他未列明行业", {"staff": 300}, {"staff": 100}, {"staff": 10}),
    },
)

SIZE_RULESETS: list[SizeRuleSet] = [SIZE_2017]
# Province prefix (2 digits) → its own rule sets, consulted before the national ones. Empty by default.
PROVINCE_SIZE_RULESETS: dict[str, list[SizeRuleSet]] = {}

# Division (GB/T 4754-2017 大类) → sector of the size table; sections not listed fall to "other".
_SECTION_SECTOR = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry", "E": "construction"}
_DIVISION_SECTOR = {
    "51": "wholesale",
    "52": "retail",
    **{str(d): "transport" for d in range(53, 59)},  # 53–58 铁路 … 多式联运和运输代理
    "59": "warehousing",  # 装卸搬运和仓储业 (装卸搬运 591 belongs to transport — check)
    "60": "post",
    "61": "accommodation",
    "62": "catering",
    "63": "telecom",
    "64": "telecom",
    "65": "software",
    "70": "real_estate",
    "71": "leasing_business",
    "72": "leasing_business",
}


def size_sector(*, section: str, division: str = "", name: str = "") -> str:
    """The size-table sector of an employer from its industry.

    Division 70 holds both 房地产开发经营 (7010) and 物业管理 (7020); with division codes only, an
    employer whose name says 物业 is taken as property management.
    """
    if division == "70" and "物业" in name:
        return "property_management"
    if division in _DIVISION_SECTOR:
        return _DIVISION_SECTOR[division]
    if section == "H":
        return "accommodation"
    return _SECTION_SECTOR.get(section, "other")


def size_ruleset(on: dt.date | None = None, *, region_code: str = "") -> SizeRuleSet:
    """The rule set in force on ``on``: the province's own if it has one, else the national one."""
    on = on or dt.date.today()
    for candidates in (PROVINCE_SIZE_RULESETS.get(region_code[:2], []), SIZE_RULESETS):
        in_force = [r for r in candidates if r.valid_from <= on]
        if in_force:
            return max(in_force, key=lambda r: r.valid_from)
    return SIZE_RULESETS[0]


def size_class_for(
    sector: str,
    *,
    staff: int | None = None,
    revenue: Decimal | int | None = None,
    assets: Decimal | int | None = None,
    on: dt.date | None = None,
    region_code: str = "",
) -> str:
    """The size class (``SizeClass`` value), or "" when the indicators given cannot decide it.

    Large, medium, small: every lower bound of the class must be met, otherwise the next class down
    is tried. Micro: any one indicator below the small bound suffices — so a known small indicator
    decides "micro" even when another is missing.
    """
    rule = size_ruleset(on, region_code=region_code).sectors.get(sector)
    if rule is None:
        rule = size_ruleset(on, region_code=region_code).sectors["other"]
    values: dict[str, Decimal | int | None] = {"staff": staff, "revenue": revenue, "assets": assets}
    known = {k: values[k] for k in rule.indicators if values[k] is not None}
    if any(v < rule.small[k] for k, v in known.items()):  # type: ignore[operator]
        return SizeClass.MICRO
    if len(known) < len(rule.indicators):
        return ""
    for size, bounds in ((SizeClass.LARGE, rule.large), (SizeClass.MEDIUM, rule.medium)):
        if all(known[k] >= bound for k, bound in bounds.items()):  # type: ignore[operator]
            return size
    return SizeClass.SMALL


# 规模以上 / 限额以上: revenue thresholds (万元) by sector, for the *suggestion* shown beside the
# manual flag. Construction keys on a contracting qualification and real-estate development on a
# development qualification — not computable, so no suggestion. (check) for the service sectors.
ABOVE_SCALE_REVENUE: dict[str, int] = {
    "industry": 2000,
    "wholesale": 2000,
    "retail": 500,
    "accommodation": 200,
    "catering": 200,
    "transport": 2000,  # 规模以上服务业: 交通运输、仓储和邮政业 (check)
    "warehousing": 2000,
    "post": 2000,
    "telecom": 2000,  # 信息传输、软件和信息技术服务业 (check)
    "software": 2000,
    "leasing_business": 1000,  # 租赁和商务服务业 (check)
    "property_management": 500,  # 物业管理 (check)
    "other": 500,  # 居民服务、文化体育娱乐、卫生和社会工作 … (check)
}
ABOVE_SCALE_SECTION_REVENUE: dict[str, int] = {"M": 1000, "N": 2000, "P": 1000}  # (check)


def above_scale_suggestion(*, sector: str, section: str, revenue: Decimal | int | None) -> bool | None:
    """True / False when revenue decides it; None when it cannot be computed (construction,
    real-estate development, agriculture, unknown revenue)."""
    if revenue is None or sector in {"construction", "real_estate", "agriculture"}:
        return None
    threshold = ABOVE_SCALE_SECTION_REVENUE.get(section) if sector == "other" else None
    threshold = threshold or ABOVE_SCALE_REVENUE.get(sector)
    if threshold is None:
        return None
    return revenue >= threshold


# ---------------------------------------------------------------------------------------------
# Labour contracts
# ---------------------------------------------------------------------------------------------

WRITTEN_CONTRACT_MONTHS = 1  # 劳动合同法 第十条: within one month of the start of work
DEEMED_OPEN_ENDED_MONTHS = 12  # 第十四条: a year without a written contract → deemed open-ended
DISPATCH_CAP_PERCENT = 10  # 劳务派遣暂行规定 第四条
ENDING_SOON_DAYS = 30


@dataclass(frozen=True)
class NoContractExposure:
    """Working without a written contract (劳动合同法 第八十二条, 实施条例 第六、七条)."""

    days_without_contract: int  # days worked so far (the start day is day 1)
    double_wage_days: int  # from the day after the first month to the day before the 1-year mark
    double_wage_from: dt.date
    double_wage_until: dt.date
    is_deemed_open_ended: bool  # a year without a written contract


def no_contract_exposure(start: dt.date, today: dt.date) -> NoContractExposure:
    """Double-wage exposure of a person working since ``start`` without a written contract.

    Start 2024-03-01: the month to sign runs to 03-31; double wages from 04-01 to 2025-02-28
    (11 months at most); on 2025-03-01 an open-ended contract is deemed concluded.
    """
    double_from = add_months(start, WRITTEN_CONTRACT_MONTHS)
    one_year = add_months(start, DEEMED_OPEN_ENDED_MONTHS)
    double_until = one_year - dt.timedelta(days=1)
    last = min(today, double_until)
    double_days = max(0, (last - double_from).days + 1)
    return NoContractExposure(
        days_without_contract=max(0, (today - start).days + 1),
        double_wage_days=double_days,
        double_wage_from=double_from,
        double_wage_until=double_until,
        is_deemed_open_ended=today >= one_year,
    )


def is_contract_overdue(start: dt.date, today: dt.date) -> bool:
    """True once the first month of work is over (the written contract is due)."""
    return today >= add_months(start, WRITTEN_CONTRACT_MONTHS)


def probation_cap_months(
    contract_type: str, start: dt.date, end: dt.date | None, employment_form: str = ""
) -> int:
    """The longest probation allowed (劳动合同法 第十九条、第七十条) *(check)*.

    Task-based, part-time and terms under 3 months: none; 3 months–1 year: 1; 1–3 years: 2;
    3 years or more, and open-ended: 6.
    """
    if contract_type == ContractType.TASK_BASED or employment_form == EmploymentForm.PART_TIME:
        return 0
    if contract_type == ContractType.OPEN_ENDED or end is None:
        return 6
    after_end = end + dt.timedelta(days=1)
    if after_end < add_months(start, 3):
        return 0
    if after_end < add_months(start, 12):
        return 1
    if after_end < add_months(start, 36):
        return 2
    return 6


def contract_term_errors(
    *,
    contract_type: str,
    start: dt.date,
    end: dt.date | None,
    probation_months: int | None,
    employment_form: str = "",
) -> dict[str, list[str]]:
    """The contract's own rules, as ``{field: [Chinese message]}`` (empty when it is fine)."""
    errors: dict[str, list[str]] = {}
    if contract_type == ContractType.FIXED_TERM and end is None:
        errors["end_date"] = ["固定期限劳动合同须填写终止日期"]
    elif contract_type == ContractType.OPEN_ENDED and end is not None:
        errors["end_date"] = ["无固定期限劳动合同不应填写终止日期"]
    elif end is not None and end <= start:
        errors["end_date"] = ["合同终止日期应晚于起始日期"]
    if probation_months and "end_date" not in errors:
        cap = probation_cap_months(contract_type, start, end, employment_form)
        if probation_months > cap:
            errors["probation_months"] = [
                f"按合同期限，试用期最长{cap}个月" if cap else "该合同不得约定试用期"
            ]
    return errors


def dispatch_over_cap(dispatched: int, contracted: int) -> bool:
    """Dispatched workers above 10% of the workforce (contracted + dispatched); exactly 10% is allowed."""
    total = dispatched + contracted
    return total > 0 and dispatched * 100 > DISPATCH_CAP_PERCENT * total


def whole_percent(part: int, whole: int) -> int | None:
    """A rate as a whole percentage, rounded half up (2/3 → 67, 1/8 → 13); None when whole is 0."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
