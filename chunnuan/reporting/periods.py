"""报表期间 and 工作日: report periods (旬, week, month, quarter, year, campaign window) and deadlines.

A period key is what users type and what the command line takes: ``2026`` · ``2026Q1`` ·
``2026-02`` · ``2026-02D2`` (the second 旬 of February: days 11–20) · ``2026W07`` (ISO week) ·
a campaign code. 旬 = days 1–10, 11–20, 21–end of month.

Working days come from chinese-calendar (statutory holidays off, 调休 make-up days on). A date
outside its tables is an explicit error, never a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar

from chunnuan.core.errors import ValidationFailed

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class PeriodKind(StrEnum):
    DEKAD = "dekad"  # 旬
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CAMPAIGN = "campaign"  # 专项行动期间


PERIOD_KIND_LABELS = {
    PeriodKind.DEKAD: "旬",
    PeriodKind.WEEK: "周",
    PeriodKind.MONTH: "月",
    PeriodKind.QUARTER: "季度",
    PeriodKind.YEAR: "年",
    PeriodKind.CAMPAIGN: "行动期间",
}

DEKAD_NAMES = {1: "上旬", 2: "中旬", 3: "下旬"}

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DEKAD = re.compile(r"^(\d{4})-(\d{2})D([1-3])$")
_WEEK = re.compile(r"^(\d{4})W(\d{2})$")
CAMPAIGN_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{1,39}$")


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    key: str
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


CampaignLookup = Callable[[str], "Period | None"]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2100:
        raise ValidationFailed(f"年份 {year} 不在可填报范围内", fields={"period": ["年份不正确"]})


def year_period(year: int) -> Period:
    _check_year(year)
    return Period(PeriodKind.YEAR, f"{year}", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def quarter_period(year: int, quarter: int) -> Period:
    _check_year(year)
    first = 3 * (quarter - 1) + 1
    return Period(
        PeriodKind.QUARTER,
        f"{year}Q{quarter}",
        dt.date(year, first, 1),
        _month_end(year, first + 2),
        f"{year}年第{quarter}季度",
    )


def month_period(year: int, month: int) -> Period:
    _check_year(year)
    if not 1 <= month <= 12:
        raise ValidationFailed(f"月份 {month} 不存在", fields={"period": ["月份不正确"]})
    return Period(
        PeriodKind.MONTH,
        f"{year}-{month:02d}",
        dt.date(year, month, 1),
        _month_end(year, month),
        f"{year}年{month}月",
    )


def dekad_period(year: int, month: int, dekad: int) -> Period:
    month_period(year, month)  # validates
    start_day = {1: 1, 2: 11, 3: 21}[dekad]
    end = dt.date(year, month, start_day + 9) if dekad < 3 else _month_end(year, month)
    return Period(
        PeriodKind.DEKAD,
        f"{year}-{month:02d}D{dekad}",
        dt.date(year, month, start_day),
        end,
        f"{year}年{month}月{DEKAD_NAMES[dekad]}",
    )


def week_period(year: int, week: int) -> Period:
    _check_year(year)
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationFailed(f"{year} 年没有第 {week} 周", fields={"period": ["周次不正确"]}) from None
    return Period(
        PeriodKind.WEEK, f"{year}W{week:02d}", start, start + dt.timedelta(days=6), f"{year}年第{week}周"
    )


def parse_period(text: str, *, campaign: CampaignLookup | None = None) -> Period:
    """The period a key names. Raises ValidationFailed (in Chinese) for anything else."""
    key = (text or "").strip()
    if m := _YEAR.match(key):
        return year_period(int(m[1]))
    if m := _QUARTER.match(key):
        return quarter_period(int(m[1]), int(m[2]))
    if m := _MONTH.match(key):
        return month_period(int(m[1]), int(m[2]))
    if m := _DEKAD.match(key):
        return dekad_period(int(m[1]), int(m[2]), int(m[3]))
    if m := _WEEK.match(key):
        return week_period(int(m[1]), int(m[2]))
    if campaign is not None and CAMPAIGN_CODE.match(key):
        found = campaign(key)
        if found is not None:
            return found
        raise ValidationFailed(f"没有代码为“{key}”的专项行动", fields={"period": ["专项行动不存在"]})
    raise ValidationFailed(
        f"报表期间“{key}”的格式不正确：应为 2026、2026Q1、2026-02、2026-02D2（2月中旬）、2026W07 或专项行动代码",
        fields={"period": ["期间格式不正确"]},
    )


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    if kind is PeriodKind.YEAR:
        return year_period(day.year)
    if kind is PeriodKind.QUARTER:
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.MONTH:
        return month_period(day.year, day.month)
    if kind is PeriodKind.DEKAD:
        return dekad_period(day.year, day.month, 1 if day.day <= 10 else 2 if day.day <= 20 else 3)
    if kind is PeriodKind.WEEK:
        iso = day.isocalendar()
        return week_period(iso.year, iso.week)
    raise ValueError("a campaign period is not found from a date")


def periods_between(kind: PeriodKind, start: dt.date, end: dt.date) -> list[Period]:
    """Every period of ``kind`` that overlaps [start, end], in order."""
    result: list[Period] = []
    day = start
    while day <= end:
        period = period_containing(kind, day)
        result.append(period)
        day = period.end + dt.timedelta(days=1)
    return result


def previous_period(period: Period) -> Period:
    if period.kind is PeriodKind.CAMPAIGN:
        raise ValueError("a campaign has no previous period")
    return period_containing(period.kind, period.start - dt.timedelta(days=1))


# --- working days --------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """A Chinese working day (调休 make-up Saturdays count; statutory holidays do not)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise ValidationFailed(
            f"工作日历尚未收录 {day.year} 年的法定节假日安排，无法计算工作日，请升级 chinese-calendar 后再试",
            code="calendar_unknown",
            fields={"period": [f"{day.year} 年节假日安排未知"]},
        ) from None


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted; 0 → ``day``)."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def deadline_moment(day: dt.date) -> dt.datetime:
    """The last day stays open until 23:59 local time (inclusive of that minute)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=LOCAL_TZ)


def local_today(now: dt.datetime | None = None) -> dt.date:
    moment = now or dt.datetime.now(tz=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ).date()


def days_late(deadline: dt.date, done: dt.datetime | None, now: dt.datetime | None = None) -> int:
    """Calendar days past the deadline (0 when on time): of the submission, or of now if not yet in."""
    moment = done or now or dt.datetime.now(tz=LOCAL_TZ)
    if moment <= deadline_moment(deadline):
        return 0
    return (moment.astimezone(LOCAL_TZ).date() - deadline).days
