"""Synthetic people and employers with valid check digits, for the demo, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import random

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


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def id_number(
    rng: random.Random, address6: str, *, min_age: int = 18, max_age: int = 60, today: dt.date | None = None
) -> str:
    today = today or dt.date(2026, 1, 1)
    birth = today - dt.timedelta(days=rng.randint(min_age * 365, max_age * 365))
    first17 = f"{address6}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "151", "186", "187", "135", "182"])
        + f"{rng.randint(0, 99999999):08d}"
    )


def credit_code(rng: random.Random, address6: str) -> str:
    """A valid 18-character unified social credit code (registering authority 9 = market regulator)."""
    body = "91" + address6 + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    return body + str(uscc.calc_check_digit(body))


def employer_name(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice('鑫盛恒泰华宏祥瑞丰源隆昌')}{rng.choice('达兴发安诚信和远')}{rng.choice(SUFFIXES)}"
