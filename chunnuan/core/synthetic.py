"""Synthetic people, employers, rosters and roster spreadsheets, for the demo, tests and benchmarks.

Everything is deterministic for a given ``random.Random`` (and reference date): the same seed gives
the same people, the same ID numbers, the same spreadsheet. Nothing here touches the database, so
tests and benchmarks can generate data before Django is set up.

- :func:`generate_workers` — people with realistic names (Faker zh_CN, seeded), valid resident IDs
  whose address codes are real county codes, birth dates 18–60, phones, help groups, needs, and a
  timeline of one festival season (:class:`Season`) that ends on the day given — so a demo loaded on
  any day shows recent movements.
- :func:`generate_employers` — employers with valid credit codes across the seeds' industries, with
  staff / revenue / assets consistent with their size class (统计上大中小微型企业划分办法 2017).
- :func:`generate_roster` — roster entries (职工名册) and labour contracts with a realistic mix:
  signed fixed-term, open-ended, task-based (construction), unsigned (some past the 1-month rule),
  dispatched (one employer over the 10% cap), contracts ending within 30 days, past spells.
- :func:`roster_sheet_rows` + :func:`write_roster_xlsx` — the official-looking roster spreadsheet
  (title row, 12 filing columns, a few per cent bad rows), written in xlsxwriter's constant-memory
  mode so 200,000 rows take seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from chunnuan.core.identifiers import id_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志春梅海燕波宁辉鹏飞凤霞云莲晶翠福贵顺利成林"
)
TRADES = ["建筑", "机械", "电子", "食品", "纺织", "物流", "餐饮", "家政", "汽修", "农产品加工"]
SUFFIXES = [
    "有限公司",
    "建筑工程有限公司",
    "食品有限公司",
    "劳务有限公司",
    "机械制造有限公司",
    "物流有限公司",
]
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# The reference date of ages and ID numbers (fixed, so the same seed gives the same people on any day).
REFERENCE_DATE = dt.date(2026, 11, 22)

# 吉林省松原市 (the demo city) and its counties.
DEMO_CITY = "220700000000"
DEMO_COUNTIES = ["220702", "220721", "220722", "220723", "220781"]  # 宁江 前郭 长岭 乾安 扶余
# Labour-exporting counties elsewhere (重庆 is loaded by the demo; the others only appear in IDs).
EXPORTING_COUNTIES = ["500101", "500229", "500230", "500233", "500235", "500236", "500242", "500243"]
OTHER_ID_COUNTIES = ["411721", "411623", "341221", "511621", "511725", "230230", "152222"]
# Where people of the demo city go to work besides the city itself.
CHANGCHUN_COUNTIES = ["220102", "220104", "220105", "220106", "220112"]
CHONGQING_DISTRICTS = ["500103", "500105", "500106", "500108", "500112"]
FAR_WORK_PLACES = ["北京市朝阳区", "北京市大兴区", "天津市滨海新区", "辽宁省大连市甘井子区", "山东省青岛市黄岛区",
                   "江苏省苏州市昆山市", "浙江省宁波市北仑区", "广东省深圳市宝安区", "黑龙江省大庆市让胡路区"]  # fmt: skip


# --- simple identifiers (kept for existing callers) ----------------------------------------------


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def birth_date(
    rng: random.Random, *, min_age: int = 18, max_age: int = 60, today: dt.date | None = None
) -> dt.date:
    today = today or dt.date(2026, 1, 1)
    latest = _years_before(today, min_age)
    earliest = _years_before(today, max_age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def id_from_parts(address6: str, birth: dt.date, sequence: int) -> str:
    """An 18-character resident ID with the right check character (GB 11643)."""
    first17 = f"{address6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def id_number(
    rng: random.Random,
    address6: str,
    *,
    min_age: int = 18,
    max_age: int = 60,
    today: dt.date | None = None,
    sex: str | None = None,
) -> str:
    """A valid resident ID for someone aged ``min_age``–``max_age`` on ``today``; ``sex`` "M"/"F"."""
    birth = birth_date(rng, min_age=min_age, max_age=max_age, today=today)
    seq = rng.randint(0, 999)
    if sex is not None and (seq % 2 == 1) != (sex == "M"):
        seq = seq + 1 if seq < 999 else seq - 1
    return id_from_parts(address6, birth, seq)


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "151", "186", "187", "135", "182", "131", "155", "177", "199"])
        + f"{rng.randint(0, 99999999):08d}"
    )


def credit_code(rng: random.Random, address6: str, *, kind: str = "91") -> str:
    """A valid 18-character unified social credit code (``kind`` 91 = enterprise at the market regulator,
    92 = individual business)."""
    body = kind + address6 + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    return body + str(uscc.calc_check_digit(body))


def employer_name(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice('鑫盛恒泰华宏祥瑞丰源隆昌')}{rng.choice('达兴发安诚信和远')}{rng.choice(SUFFIXES)}"


# --- divisions (read from the bundled table; no database needed) --------------------------------

_DIVISIONS_CSV = Path(__file__).resolve().parents[1] / "regions" / "data" / "divisions.csv"


@dataclass(frozen=True)
class Division:
    code: str
    parent_code: str
    level: int
    kind: str
    name: str
    short_name: str


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    with _DIVISIONS_CSV.open(encoding="utf-8", newline="") as fh:
        return {
            r["code"]: Division(
                r["code"], r["parent_code"], int(r["level"]), r["kind"], r["name"], r["short_name"]
            )
            for r in csv.DictReader(fh)
        }


@lru_cache(maxsize=256)
def townships(county6: str) -> tuple[str, ...]:
    """12-digit codes of the townships and streets of a county (6-digit code), in code order."""
    county = county6 + "000000"
    return tuple(sorted(d.code for d in divisions().values() if d.parent_code == county and d.level == 4))


@lru_cache(maxsize=4096)
def full_name(code: str) -> str:
    """``220702001000`` → ``吉林省松原市宁江区团结街道`` (codes missing from the table: empty)."""
    parts: list[str] = []
    table = divisions()
    node = table.get(code.ljust(12, "0"))
    while node is not None:
        if node.kind != "province_city_area" and (not parts or parts[-1] != node.name):
            parts.append(node.name)
        node = table.get(node.parent_code) if node.parent_code else None
    return "".join(reversed(parts))


def demo_city_townships() -> list[str]:
    return [code for county in DEMO_COUNTIES for code in townships(county)]


_VILLAGE_WORDS = "东西南北前后新兴永胜红光和平太平长发富民双庙腰屯三家子五家子榆树靠山"
_STREET_WORDS = ["人民大街", "建设路", "文化路", "民主街", "长宁北街", "沿江东路", "锦江大街", "乌兰大街", "团结路", "工农大街"]  # fmt: skip


def street_address(rng: random.Random, township_code: str) -> str:
    base = full_name(township_code) or "吉林省松原市宁江区"
    if township_code[6:9] < "100":  # street (街道): a city address
        return f"{base}{rng.choice(_STREET_WORDS)}{rng.randint(1, 999)}号"
    village = "".join(rng.choice(_VILLAGE_WORDS) for _ in range(2))
    return f"{base}{village}村{rng.randint(1, 12)}组"


# --- workers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Season:
    """The festival season a timeline tells, placed so that it ends on ``today``.

    The story keeps the shape of a Spring Festival (went out last spring; came home in the five weeks
    before the festival or stayed where they work; went back out after 正月十五), but its festival
    falls ``FESTIVAL_DAYS_AGO`` days before ``today``, so the movements land in the recent weeks that
    a campaign in progress reports on. No event is later than ``today``."""

    today: dt.date

    FESTIVAL_DAYS_AGO = 25

    @classmethod
    def ending(cls, today: dt.date) -> Season:
        return cls(today)

    @property
    def festival(self) -> dt.date:  # the story's 春节 (正月初一)
        return self.today - dt.timedelta(days=self.FESTIVAL_DAYS_AGO)

    @property
    def lantern(self) -> dt.date:  # its 正月十五: most go back out after it
        return self.festival + dt.timedelta(days=14)

    def days(self, first: int, last: int) -> tuple[dt.date, dt.date]:
        """Days ``first``..``last`` from the festival (negative: before it)."""
        return self.festival + dt.timedelta(days=first), self.festival + dt.timedelta(days=last)


HELP_GROUP_RATES: dict[str, float] = {
    "is_poverty_alleviated": 0.10,
    "is_monitored_for_relapse": 0.03,
    "is_low_income": 0.05,
    "is_hardship_family": 0.03,
    "is_zero_employment_family": 0.01,
    "is_disabled": 0.02,
    "has_employment_difficulty": 0.04,
}
NEED_RATES: dict[str, float] = {
    "needs_employment": 0.25,
    "needs_training": 0.15,
    "needs_entrepreneurship": 0.04,
}
EDUCATION_WEIGHTS = {"primary": 12, "junior": 50, "senior": 24, "college": 10, "bachelor": 4}
SKILLS = ["电焊", "瓦工", "木工", "钢筋工", "厨师", "驾驶（B2）", "叉车", "家政", "育婴", "养老护理", "电工", "汽修",
          "农机维修", "挖掘机", "缝纫", ""]  # fmt: skip
JOB_INTENTIONS = [
    "建筑施工",
    "工厂普工",
    "餐饮服务",
    "家政服务",
    "物流配送",
    "保安",
    "本地就近就业",
    "外出务工",
    "",
]


class _Names:
    """Faker zh_CN names, seeded from the caller's rng; a pool is reused for very large counts."""

    POOL = 20_000

    def __init__(self, rng: random.Random, n: int) -> None:
        from faker import Faker

        self._faker = Faker("zh_CN")
        self._faker.seed_instance(rng.getrandbits(32))
        self._rng = rng
        self._pool = [self._faker.name() for _ in range(self.POOL)] if n > self.POOL else None

    def __call__(self, sex: str) -> str:
        if self._pool is not None:
            return self._rng.choice(self._pool)
        return str(self._faker.name_male() if sex == "M" else self._faker.name_female())


def _pick_weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def generate_workers(
    rng: random.Random,
    n: int,
    region_codes: Sequence[str] | None = None,
    *,
    today: dt.date = REFERENCE_DATE,
    outside_region_codes: Sequence[str] = (),
    outside_share: float = 0.0,
    local_work_codes: Sequence[str] | None = None,
    timeline: bool = True,
    season: Season | None = None,
    unique_ids: set[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` people as dicts (Worker field names, plus ``events``: the timeline).

    ``region_codes`` — 12-digit origin townships (default: the demo city's). A share
    ``outside_share`` of people come from ``outside_region_codes`` instead (people of other
    provinces working in the demo city). ``local_work_codes`` — townships where local work is
    (default: ``region_codes``). ``season`` — the festival season of the timelines (default: the one
    ending on ``today``); the timelines draw from their own generator, so the people (names, IDs)
    are the same whatever the season. ``unique_ids`` — IDs already taken (updated in place).
    """
    origins = list(region_codes or demo_city_townships())
    local_work = list(local_work_codes or origins)
    outside = list(outside_region_codes)
    names = _Names(rng, n)
    story = season or Season.ending(today)
    story_rng = random.Random(rng.getrandbits(64))
    taken = unique_ids if unique_ids is not None else set()
    changchun = [c for county in CHANGCHUN_COUNTIES for c in townships(county)]
    chongqing = [c for d in CHONGQING_DISTRICTS for c in townships(d)] or [
        d + "000000" for d in CHONGQING_DISTRICTS
    ]
    for _ in range(n):
        from_outside = bool(outside) and rng.random() < outside_share
        origin = rng.choice(outside if from_outside else origins)
        sex = "M" if rng.random() < 0.62 else "F"
        number = ""
        birth = today
        while not number or number in taken:
            birth = birth_date(rng, min_age=18, max_age=60, today=today)
            seq = rng.randint(0, 499) * 2 + (1 if sex == "M" else 0)
            number = id_from_parts(origin[:6], birth, seq)
        taken.add(number)
        person: dict[str, Any] = {
            "name": names(sex),
            "id_number": number,
            "sex": sex,
            "birth_date": birth,
            "phone": phone(rng),
            "origin_region_code": origin,
            "hukou_type": "rural" if rng.random() < 0.85 else "urban",
            "origin_address": street_address(rng, origin),
            "education": _pick_weighted(rng, EDUCATION_WEIGHTS),
            "skills": rng.choice(SKILLS),
            "job_intention": rng.choice(JOB_INTENTIONS),
        }
        for key, rate in HELP_GROUP_RATES.items():
            person[key] = rng.random() < rate
        if person["is_monitored_for_relapse"]:
            person["is_poverty_alleviated"] = person["is_poverty_alleviated"] or rng.random() < 0.5
        for key, rate in NEED_RATES.items():
            person[key] = rng.random() < rate
        # Where they work: people from outside work in the city; locals locally, further away, or not.
        roll = rng.random()
        if from_outside or roll < 0.45:
            place, work_code = "local", rng.choice(local_work)
        elif roll < 0.60:
            place, work_code = "province", rng.choice(changchun) if changchun else ""
        elif roll < 0.72:
            place, work_code = "chongqing", rng.choice(chongqing)
        elif roll < 0.88:
            place, work_code = "far", ""
        else:
            place, work_code = "home", ""
        work_place = (
            rng.choice(FAR_WORK_PLACES) if place == "far" else (full_name(work_code) if work_code else "")
        )
        person["work_region_code"] = work_code
        person["work_place"] = work_place
        person["current_address"] = (
            street_address(rng, work_code) if work_code else (work_place or person["origin_address"])
        )
        person["trade"] = rng.choice(TRADES) if place != "home" else ""
        if place == "home":
            status = _pick_weighted(rng, {"unemployed": 5, "flexible": 3, "self_employed": 1, "other": 1})
        else:
            status = _pick_weighted(rng, {"employed": 8, "flexible": 2})
        person["employment_status"] = status
        insured = status == "employed" and rng.random() < 0.7
        person["has_pension_insurance"] = insured
        person["has_medical_insurance"] = insured or rng.random() < 0.8
        person["has_injury_insurance"] = insured and rng.random() < 0.9
        person["note"] = ""
        events = _timeline(story_rng, story, place, work_place, work_code, status) if timeline else []
        person["events"] = events
        movement = {"went_out": "working_away", "returned": "returned", "staying": "staying",
                    "back_to_work": "back_to_work"}  # fmt: skip
        moving = [e for e in events if e["kind"] in movement]
        if moving:
            person["movement_status"] = movement[moving[-1]["kind"]]
            person["movement_date"] = moving[-1]["date"]
        else:
            person["movement_status"] = "at_home" if place == "home" else ""
            person["movement_date"] = None
        yield person


def _timeline(
    rng: random.Random, season: Season, place: str, work_place: str, work_code: str, status: str
) -> list[dict[str, Any]]:
    """Movements of one festival season (``season``), in date order, none after its ``today``."""

    def event(kind: str, date: dt.date, where: str = "", code: str = "", note: str = "") -> dict[str, Any]:
        return {"kind": kind, "date": date, "place": where, "region_code": code, "note": note}

    def day(first: int, last: int) -> dt.date:
        return _day_between(rng, *season.days(first, last))

    if place == "local":  # works in the city: most have no movements; some were hired this year
        if rng.random() < 0.3:
            hired = _day_between(
                rng, season.today - dt.timedelta(days=270), season.today - dt.timedelta(days=3)
            )
            return [event("employed", hired, work_place, work_code)]
        return []
    if place == "home":
        events = []
        if rng.random() < 0.5:  # came back for the festival and stayed
            events.append(event("returned", day(-36, -3)))
        if status == "unemployed" and rng.random() < 0.6:
            events.append(event("unemployed_registered", day(2, Season.FESTIVAL_DAYS_AGO - 1)))
        return events
    events = [event("went_out", day(-353, -303), work_place, work_code)]
    if rng.random() < 0.25:  # stays at the place of work for the festival (就地过年)
        events.append(event("staying", day(-12, -1), work_place, work_code, "就地过年"))
        return events
    events.append(event("returned", day(-36, -2)))
    roll = rng.random()
    if roll < 0.12:  # early birds, before 正月十五
        back = day(5, 14)
    elif roll < 0.92:
        back = day(15, Season.FESTIVAL_DAYS_AGO - 1)
    else:  # still at home
        return events
    events.append(event("back_to_work", back, work_place, work_code))
    return events


# --- employers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    section: str
    divisions: tuple[str, ...]
    suffixes: tuple[str, ...]
    posts: tuple[str, ...]
    # per size class: (staff range, revenue range 万元, assets range 万元)
    bands: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]
    above_scale_revenue: int | None  # revenue (万元) from which the unit is "above scale"; None: by size


_INDUSTRY_BANDS = {
    "micro": ((5, 19), (50, 290), (50, 800)),
    "small": ((20, 290), (300, 1900), (300, 3000)),
    "medium": ((300, 990), (2000, 39000), (2000, 30000)),
    "large": ((1000, 3000), (40000, 120000), (40000, 150000)),
}
SECTORS: dict[str, Sector] = {
    "E": Sector("E", ("47", "48", "49", "50"),
                ("建筑工程有限公司", "建设集团有限公司", "建筑安装工程有限公司", "装饰工程有限公司"),
                ("钢筋工", "木工", "瓦工", "架子工", "电焊工", "混凝土工", "力工", "水暖工"),
                {"micro": ((5, 40), (50, 290), (50, 290)), "small": ((20, 200), (300, 5900), (300, 4900)),
                 "medium": ((100, 800), (6000, 79000), (5000, 79000)),
                 "large": ((800, 3000), (80000, 200000), (80000, 200000))}, None),
    "B": Sector("B", ("07", "11", "10"), ("石油技术服务有限公司", "油田工程技术有限公司", "矿业有限公司"),
                ("采油工", "井下作业工", "司钻", "集输工", "维修工"), _INDUSTRY_BANDS, 2000),
    "C": Sector("C", ("13", "14", "18", "26", "33", "36"),
                ("食品有限公司", "粮油有限公司", "机械制造有限公司", "服装有限公司", "化工有限公司", "汽车配件有限公司"),
                ("操作工", "包装工", "质检员", "叉车司机", "机修工", "普工"), _INDUSTRY_BANDS, 2000),
    "H": Sector("H", ("61", "62"), ("大酒店有限公司", "餐饮管理有限公司", "宾馆", "饭店"),
                ("厨师", "服务员", "保洁员", "客房服务员", "收银员", "传菜员"),
                {"micro": ((3, 9), (20, 95), (10, 200)), "small": ((10, 99), (100, 1900), (50, 2000)),
                 "medium": ((100, 290), (2000, 9500), (1000, 10000)),
                 "large": ((300, 800), (10000, 30000), (8000, 40000))}, 200),
    "O": Sector("O", ("80", "81"), ("家政服务有限公司", "物业服务有限公司", "保安服务有限公司", "汽车维修有限公司"),
                ("家政服务员", "保洁员", "保安", "护工", "维修工"),
                {"micro": ((3, 9), (10, 90), (5, 100)), "small": ((10, 99), (100, 900), (50, 800)),
                 "medium": ((100, 290), (1000, 5000), (500, 5000)),
                 "large": ((300, 1000), (5000, 20000), (3000, 20000))}, 1000),
    "F": Sector("F", ("51", "52"), ("商贸有限公司", "超市有限公司", "农资有限公司", "购物中心有限公司"),
                ("营业员", "理货员", "配送员", "仓管员", "收银员"),
                {"micro": ((3, 9), (20, 95), (10, 200)), "small": ((10, 49), (100, 490), (50, 1000)),
                 "medium": ((50, 290), (500, 19000), (300, 10000)),
                 "large": ((300, 1000), (20000, 60000), (10000, 50000))}, 500),
    "G": Sector("G", ("54", "59"), ("物流有限公司", "运输有限公司", "仓储有限公司"),
                ("货车司机", "装卸工", "快递员", "仓管员", "调度员"),
                {"micro": ((5, 19), (50, 190), (50, 500)), "small": ((20, 290), (200, 2900), (200, 3000)),
                 "medium": ((300, 990), (3000, 29000), (2000, 30000)),
                 "large": ((1000, 2000), (30000, 80000), (30000, 100000))}, 1000),
    "L": Sector("L", ("72",), ("人力资源服务有限公司", "劳务派遣有限公司"), ("派遣员工",),
                {"micro": ((3, 9), (20, 90), (10, 100)), "small": ((10, 99), (100, 900), (50, 800)),
                 "medium": ((100, 290), (1000, 5000), (500, 5000)),
                 "large": ((300, 1000), (5000, 20000), (3000, 20000))}, 1000),
}  # fmt: skip
SECTION_WEIGHTS = {"C": 25, "E": 20, "H": 15, "F": 14, "O": 10, "G": 8, "B": 6, "L": 2}
ECONOMIC_TYPE_WEIGHTS = {"private": 80, "state": 6, "collective": 3, "foreign": 2, "hmt": 1, "other": 8}
SIZE_WEIGHTS = {"micro": 40, "small": 40, "medium": 16, "large": 4}
_FIRMS = "鑫盛恒泰华宏祥瑞丰源隆昌金福兴旺长顺亿达通润嘉和宇晟"


def generate_employers(
    rng: random.Random,
    n: int,
    region_codes: Sequence[str] | None = None,
    *,
    section_weights: dict[str, int] | None = None,
    taken_codes: set[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` employers as dicts (Employer field names, plus ``industry_division`` and ``posts``).

    Staff, revenue (万元) and assets (万元) are drawn inside the band of the chosen size class, so the
    2017 statistical rule computes that class again (``size_class``)."""
    regions = list(region_codes or demo_city_townships())
    weights = section_weights or SECTION_WEIGHTS
    taken = taken_codes if taken_codes is not None else set()
    names = _Names(rng, 2 * n)
    used_names: set[str] = set()
    for _ in range(n):
        region = rng.choice(regions)
        section = _pick_weighted(rng, weights)
        sector = SECTORS[section]
        size = _pick_weighted(rng, SIZE_WEIGHTS)
        (x0, x1), (y0, y1), (z0, z1) = sector.bands[size]
        staff, revenue, assets = rng.randint(x0, x1), rng.randint(y0 * 10, y1 * 10) / 10, rng.randint(z0, z1)
        if sector.above_scale_revenue is None:
            above = size in ("medium", "large") or (size == "small" and rng.random() < 0.3)
        else:
            above = revenue >= sector.above_scale_revenue
        code = ""
        while not code or code in taken:
            code = credit_code(rng, region[:6])
        taken.add(code)
        county = divisions().get(region[:6] + "000000")
        place = county.short_name if county else "松原"
        name = ""
        while not name or name in used_names:
            name = f"{place}{rng.choice(_FIRMS)}{rng.choice(_FIRMS)}{rng.choice(sector.suffixes)}"
        used_names.add(name)
        yield {
            "credit_code": code,
            "name": name,
            "region_code": region,
            "industry_section": section,
            "industry_division": rng.choice(sector.divisions),
            "economic_type": _pick_weighted(rng, ECONOMIC_TYPE_WEIGHTS),
            "address": street_address(rng, region),
            "legal_representative": names("M" if rng.random() < 0.8 else "F"),
            "contact_person": names("M" if rng.random() < 0.5 else "F"),
            "contact_phone": phone(rng),
            "staff_count": staff,
            "revenue": revenue,
            "assets": float(assets),
            "size_class": size,
            "is_above_scale": above,
            "is_key_contact": above and rng.random() < 0.4,
            "is_in_difficulty": rng.random() < 0.04,
            "is_dispatch_agency": section == "L",
            "posts": sector.posts,
        }


# --- rosters and contracts -----------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def generate_roster(
    rng: random.Random,
    employers: Sequence[dict[str, Any]],
    workers: Sequence[dict[str, Any]],
    *,
    today: dt.date = REFERENCE_DATE,
    past_spells: float = 0.15,
    dispatch_violator: int | None = 0,
    current: Sequence[bool] | None = None,
) -> list[dict[str, Any]]:
    """Put each worker on one employer's roster (and some also on a past one); return the entries.

    ``current[i]`` False: worker ``i`` has no job there now, only (with chance ``past_spells``) a
    past one.

    Each entry: ``employer`` and ``worker`` (indexes into the given sequences), ``employment_form``,
    ``post``, ``start_date``, ``end_date``, ``is_migrant_worker``, ``is_on_post``, ``is_insured`` and
    ``contract`` (None when unsigned, else a dict with ``contract_type``, ``signed_date``,
    ``start_date``, ``end_date``, ``probation_months``, ``status``, ``ended_date``, ``events``).

    The mix (of current entries): ~15% without a written contract (most past the 1-month rule),
    ~4% part-time, ~4% dispatched (the employer at index ``dispatch_violator`` well over the 10% cap),
    of the signed: open-ended ~8%, task-based for a third of construction, the rest fixed-term with
    ~6% ending within 30 days of ``today``."""
    if not employers or not workers:
        return []
    hosts = [i for i, e in enumerate(employers) if not e.get("is_dispatch_agency")] or list(
        range(len(employers))
    )
    weights = [min(int(employers[i].get("staff_count") or 10), 400) for i in hosts]
    dispatching = set(rng.sample(hosts, k=max(1, len(hosts) // 12)))
    entries: list[dict[str, Any]] = []
    for w_index in range(len(workers)):
        e_index = rng.choices(hosts, weights=weights)[0]
        if current is None or current[w_index]:
            entries.append(_entry(rng, employers, e_index, w_index, today, current=True,
                                  dispatch_rate=0.06 if e_index in dispatching else 0.0))  # fmt: skip
        if rng.random() < past_spells:
            other = rng.choices(hosts, weights=weights)[0]
            if other != e_index:
                entries.append(
                    _entry(rng, employers, other, w_index, today, current=False, dispatch_rate=0.0)
                )
    if dispatch_violator is not None and entries:
        target = hosts[dispatch_violator % len(hosts)]
        staff = [en for en in entries if en["employer"] == target and en["is_on_post"]]
        for en in staff[: max(1, (len(staff) * 3) // 10)]:  # ~30% dispatched: over the 10% cap
            en["employment_form"] = "dispatched"
    return entries


def _entry(
    rng: random.Random,
    employers: Sequence[dict[str, Any]],
    e_index: int,
    w_index: int,
    today: dt.date,
    *,
    current: bool,
    dispatch_rate: float,
) -> dict[str, Any]:
    employer = employers[e_index]
    section = employer.get("industry_section", "C")
    posts = employer.get("posts") or SECTORS.get(section, SECTORS["C"]).posts
    roll = rng.random()
    form = "full_time"
    if roll < dispatch_rate:
        form = "dispatched"
    elif section in ("H", "O", "F") and roll > 0.88:
        form = "part_time"
    entry: dict[str, Any] = {
        "employer": e_index,
        "worker": w_index,
        "employment_form": form,
        "post": rng.choice(posts),
        "is_migrant_worker": rng.random() < 0.9,
        "is_on_post": current,
        "is_insured": False,
        "end_date": None,
        "contract": None,
    }
    if not current:  # a past spell: 1–3 years, ended before this year
        start = _day_between(rng, dt.date(2019, 1, 1), dt.date(2023, 6, 30))
        years = rng.choice((1, 2, 3))
        end = _add_years(start, years) - dt.timedelta(days=1)
        entry.update(start_date=start, end_date=end)
        kind = "terminated" if rng.random() < 0.7 else "dissolved"
        ended = end if kind == "terminated" else _day_between(rng, start + dt.timedelta(days=90), end)
        entry["end_date"] = ended
        entry["contract"] = {
            "contract_type": "fixed_term", "signed_date": start, "start_date": start, "end_date": end,
            "probation_months": 1 if years < 3 else 3, "status": kind, "ended_date": ended,
            "events": [("signed", start, None), (kind, ended, None)],
        }  # fmt: skip
        return entry
    if form == "part_time":  # oral agreement allowed: no written contract expected
        entry["start_date"] = _day_between(rng, today - dt.timedelta(days=900), today - dt.timedelta(days=7))
        return entry
    roll = rng.random()
    if roll < 0.15:  # no written contract yet: some within the month, most past it (double wages)
        if rng.random() < 0.3:
            start = today - dt.timedelta(days=rng.randint(3, 28))
        else:
            start = today - dt.timedelta(days=rng.randint(35, 330))
        entry["start_date"] = start
        return entry
    entry["is_insured"] = rng.random() < 0.8
    start = _day_between(rng, today - dt.timedelta(days=5 * 365), today - dt.timedelta(days=10))
    signed = (
        start - dt.timedelta(days=rng.randint(0, 7))
        if rng.random() < 0.8
        else start + dt.timedelta(days=rng.randint(1, 25))
    )
    events: list[tuple[str, dt.date, dt.date | None]] = [("signed", signed, None)]
    contract: dict[str, Any]
    if section == "E" and rng.random() < 0.35:
        contract = {"contract_type": "task_based", "end_date": None, "probation_months": None}
    elif rng.random() < 0.08:
        contract = {
            "contract_type": "open_ended",
            "end_date": None,
            "probation_months": rng.choice((None, 6)),
        }
    else:
        years = rng.choice((1, 2, 3, 3, 3, 5))
        if rng.random() < 0.06:  # ends within the next 30 days
            end = today + dt.timedelta(days=rng.randint(1, 30))
            start = _add_years(end + dt.timedelta(days=1), -years)
            signed = start - dt.timedelta(days=rng.randint(0, 5))
            events = [("signed", signed, None)]
        else:
            end = _add_years(start, years) - dt.timedelta(days=1)
            while end < today:  # renewed until in force
                new_end = _add_years(end + dt.timedelta(days=1), years) - dt.timedelta(days=1)
                events.append(("renewed", end - dt.timedelta(days=rng.randint(5, 30)), new_end))
                end = new_end
        probation = 1 if years < 3 else rng.choice((2, 3, 6))
        contract = {"contract_type": "fixed_term", "end_date": end, "probation_months": probation}
    entry["start_date"] = start
    contract.update(signed_date=signed, start_date=start, status="in_force", ended_date=None, events=events)
    entry["contract"] = contract
    return entry


SHOWCASE_MIX = ("fixed", "unsigned_late", "ending", "fixed", "open_ended", "ending", "unsigned_new", "fixed",
                "fixed", "unsigned_late", "ending", "fixed")  # fmt: skip


def showcase_roster(
    rng: random.Random,
    employers: Sequence[dict[str, Any]],
    e_index: int,
    worker_indexes: Sequence[int],
    *,
    today: dt.date = REFERENCE_DATE,
) -> list[dict[str, Any]]:
    """Current roster entries of one employer with every case its clerk should see, in the
    :data:`SHOWCASE_MIX` order: fixed-term contracts in force, open-ended, contracts ending within
    30 days of ``today``, people without a written contract past the 1-month rule and one still
    within it. Entries have the shape of :func:`generate_roster`'s."""
    employer = employers[e_index]
    posts = employer.get("posts") or SECTORS.get(employer.get("industry_section") or "C", SECTORS["C"]).posts
    entries: list[dict[str, Any]] = []
    for n, w_index in enumerate(worker_indexes):
        kind = SHOWCASE_MIX[n % len(SHOWCASE_MIX)]
        entry: dict[str, Any] = {
            "employer": e_index, "worker": w_index, "employment_form": "full_time", "post": rng.choice(posts),
            "is_migrant_worker": n % 7 != 5, "is_on_post": True, "is_insured": False, "end_date": None,
            "contract": None,
        }  # fmt: skip
        if kind == "unsigned_late":
            entry["start_date"] = today - dt.timedelta(days=rng.randint(40, 200))
        elif kind == "unsigned_new":
            entry["start_date"] = today - dt.timedelta(days=rng.randint(3, 20))
        else:
            end: dt.date | None
            if kind == "ending":
                ends = today + dt.timedelta(days=rng.randint(3, 28))
                start, end = _add_years(ends + dt.timedelta(days=1), -rng.choice((1, 3))), ends
                contract_type, probation = "fixed_term", 1
            elif kind == "open_ended":
                start, end = today - dt.timedelta(days=rng.randint(800, 2000)), None
                contract_type, probation = "open_ended", None
            else:
                start = today - dt.timedelta(days=rng.randint(60, 900))
                end = _add_years(start, 3) - dt.timedelta(days=1)
                contract_type, probation = "fixed_term", 3
            signed = start - dt.timedelta(days=rng.randint(0, 3))
            entry.update(start_date=start, is_insured=rng.random() < 0.85)
            entry["contract"] = {
                "contract_type": contract_type, "signed_date": signed, "start_date": start, "end_date": end,
                "probation_months": probation, "status": "in_force", "ended_date": None,
                "events": [("signed", signed, None)],
            }  # fmt: skip
        entries.append(entry)
    return entries


# --- the roster spreadsheet (职工名册) -----------------------------------------------------------

ROSTER_HEADERS = ["序号", "姓名", "性别", "身份证号码", "户籍地址", "现住址", "联系电话", "用工形式", "岗位",
                  "入职日期", "合同期限", "是否参加社会保险"]  # fmt: skip
FORM_LABELS = {"full_time": "全日制", "part_time": "非全日制", "dispatched": "劳务派遣", "other": "其他"}
BAD_KINDS = ("check_digit", "numeric_id", "missing_name", "future_birth", "duplicate_id")


def roster_sheet_rows(
    rng: random.Random,
    n: int,
    region_codes: Sequence[str] | None = None,
    *,
    today: dt.date = REFERENCE_DATE,
    section: str = "C",
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` rows for :func:`write_roster_xlsx`: one employer's roster, people from
    ``region_codes`` (default: the demo city's townships, a tenth from labour-exporting counties)."""
    origins = list(region_codes or demo_city_townships())
    outside = [c for county in (*EXPORTING_COUNTIES[:4], *OTHER_ID_COUNTIES) for c in townships(county)]
    fake_employers = [{"industry_section": section, "posts": SECTORS[section].posts, "staff_count": 100}]
    workers = generate_workers(rng, n, origins, today=today, outside_region_codes=outside, outside_share=0.1,
                               timeline=False)  # fmt: skip
    for i, person in enumerate(workers, start=1):
        entry = _entry(rng, fake_employers, 0, 0, today, current=True, dispatch_rate=0.04)
        contract = entry["contract"]
        if contract is None:
            term = ""
        elif contract["contract_type"] == "open_ended":
            term = "无固定期限"
        elif contract["contract_type"] == "task_based":
            term = "以完成一定工作任务为期限"
        else:
            s, e = contract["start_date"], contract["end_date"]
            term = rng.choice((f"{s:%Y.%-m.%-d}-{e:%Y.%-m.%-d}", f"{s:%Y-%m-%d}至{e:%Y-%m-%d}",
                               f"{s:%Y/%-m/%-d}-{e:%Y/%-m/%-d}"))  # fmt: skip
        yield {
            "seq": i,
            "name": person["name"],
            "sex": "男" if person["sex"] == "M" else "女",
            "id_number": person["id_number"],
            "origin_address": person["origin_address"],
            "current_address": person["current_address"]
            if person["work_region_code"]
            else person["origin_address"],
            "phone": person["phone"],
            "employment_form": FORM_LABELS[entry["employment_form"]],
            "post": entry["post"],
            "start_date": entry["start_date"],
            "contract_term": term,
            "insured": "是" if entry["is_insured"] else "否",
        }


@dataclass
class RosterFileStats:
    path: Path
    rows: int = 0  # data rows written (not counting title, header, footer)
    header_row: int = 3  # 1-based row number of the header
    bad: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BAD_KINDS, 0))
    bad_rows: list[int] = field(default_factory=list)  # 1-based spreadsheet row numbers

    @property
    def bad_total(self) -> int:
        return sum(self.bad.values())


def write_roster_xlsx(
    path: str | Path,
    rows: Iterable[dict[str, Any]],
    *,
    bad_fraction: float = 0.03,
    rng: random.Random | None = None,
    employer_name: str = "松原市鑫达食品有限公司",
    today: dt.date = REFERENCE_DATE,
    footer: bool = True,
) -> RosterFileStats:
    """Write an official-looking roster (职工名册) workbook and return what was written.

    Layout: a merged title row "XX单位职工名册", a line with the employer and filing date, the header
    row of the 12 filing columns (:data:`ROSTER_HEADERS`), the data rows, and (``footer``) a
    signature line (填表人 / 审核人) that an importer must skip. A share ``bad_fraction`` of rows is
    spoiled, spread over :data:`BAD_KINDS`: wrong check digit, ID stored as a number (lost digits,
    shows as 2.20702E+17), missing name, birth date in the future, and an ID repeated from an earlier
    row under another name. Dates are real date cells; ID numbers text cells.
    """
    import xlsxwriter  # dev dependency: only the generator needs it

    rng = rng or random.Random(0)
    target = Path(path)
    stats = RosterFileStats(path=target)
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("职工名册")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#DDEBF7"})
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 2, 8)
    sheet.set_column(3, 3, 21)
    sheet.set_column(4, 5, 36)
    sheet.set_column(6, 6, 13)
    sheet.set_column(7, 8, 10)
    sheet.set_column(9, 9, 12)
    sheet.set_column(10, 10, 24)
    sheet.set_column(11, 11, 10)
    sheet.merge_range(0, 0, 0, len(ROSTER_HEADERS) - 1, f"{employer_name}职工名册", title)
    sheet.write_string(1, 0, f"填报单位（盖章）：{employer_name}")
    sheet.write_string(1, 8, f"填报日期：{today:%Y年%-m月%-d日}")
    for col, label in enumerate(ROSTER_HEADERS):
        sheet.write_string(2, col, label, head)
    earlier: list[str] = []  # a sample of earlier IDs, for duplicates
    r = 3
    for row in rows:
        values = dict(row)
        kind = rng.choice(BAD_KINDS) if rng.random() < bad_fraction else None
        if kind == "duplicate_id" and not earlier:
            kind = "check_digit"
        if kind == "check_digit":
            good = values["id_number"]
            values["id_number"] = good[:17] + next(c for c in "0123456789X" if c != good[17])
        elif kind == "missing_name":
            values["name"] = ""
        elif kind == "future_birth":
            birth = today + dt.timedelta(days=rng.randint(30, 3000))
            values["id_number"] = id_from_parts(
                values["id_number"][:6], birth, int(values["id_number"][14:17])
            )
        elif kind == "duplicate_id":
            values["id_number"] = rng.choice(earlier)  # the name stays: same ID, another name
        if kind:
            stats.bad[kind] += 1
            stats.bad_rows.append(r + 1)
        elif len(earlier) < 5000:
            earlier.append(values["id_number"])
        elif rng.random() < 0.01:
            earlier[rng.randrange(len(earlier))] = values["id_number"]
        sheet.write_number(r, 0, values["seq"])
        sheet.write_string(r, 1, values["name"])
        sheet.write_string(r, 2, values["sex"])
        if kind == "numeric_id":  # what Excel keeps of an 18-digit number: 15 significant digits
            sheet.write_number(r, 3, float(values["id_number"][:15] + "000"))
        else:
            sheet.write_string(r, 3, values["id_number"], text)
        sheet.write_string(r, 4, values["origin_address"])
        sheet.write_string(r, 5, values["current_address"])
        sheet.write_string(r, 6, values["phone"], text)
        sheet.write_string(r, 7, values["employment_form"])
        sheet.write_string(r, 8, values["post"])
        start = values["start_date"]
        if isinstance(start, dt.date):
            sheet.write_datetime(r, 9, dt.datetime(start.year, start.month, start.day), date)
        else:
            sheet.write_string(r, 9, str(start))
        sheet.write_string(r, 10, values["contract_term"])
        sheet.write_string(r, 11, values["insured"])
        r += 1
    stats.rows = r - 3
    if footer:
        sheet.write_string(r + 1, 0, "填表人：")
        sheet.write_string(r + 1, 4, "审核人：")
        sheet.write_string(r + 1, 8, "联系电话：")
    book.close()
    return stats
