from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from chunnuan.access.actor import system_actor
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import PermissionDenied, ValidationFailed
from chunnuan.regions.models import Region, RegionKind, RegionLevel
from chunnuan.regions.services import COLUMNS, DATA_FILE, regions_load
from chunnuan.regions.tests.conftest import officer

pytestmark = pytest.mark.django_db

SYSTEM = system_actor("tests")
SONGYUAN_COUNTIES = {
    "220702000000": ("宁江区", "宁江", RegionKind.DISTRICT),
    "220721000000": ("前郭尔罗斯蒙古族自治县", "前郭尔罗斯", RegionKind.COUNTY),
    "220722000000": ("长岭县", "长岭", RegionKind.COUNTY),
    "220723000000": ("乾安县", "乾安", RegionKind.COUNTY),
    "220781000000": ("扶余市", "扶余", RegionKind.COUNTY_CITY),
}


def _file_rows(prefixes: tuple[str, ...]) -> list[dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["code"][:2] in prefixes]


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "divisions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_load_jilin_and_chongqing_counts_and_songyuan() -> None:
    expected = len(_file_rows(("22", "50")))
    counts = regions_load(actor=SYSTEM, provinces=["22", "50"])
    assert counts == {"created": expected, "updated": 0, "unchanged": 0}
    assert Region.objects.count() == expected
    assert not Region.objects.exclude(code__startswith="22").exclude(code__startswith="50").exists()

    jilin = Region.objects.get(code="220000000000")
    assert (jilin.name, jilin.short_name, jilin.level, jilin.kind, jilin.parent) == (
        "吉林省",
        "吉林",
        RegionLevel.PROVINCE,
        RegionKind.PROVINCE,
        None,
    )
    songyuan = Region.objects.get(code="220700000000")
    assert (songyuan.name, songyuan.short_name, songyuan.parent, songyuan.kind) == (
        "松原市",
        "松原",
        jilin,
        RegionKind.CITY,
    )
    counties = {r.code: (r.name, r.short_name, r.kind) for r in songyuan.children.all()}
    assert counts and counties == SONGYUAN_COUNTIES
    for code in SONGYUAN_COUNTIES:
        townships = Region.objects.filter(parent__code=code)
        assert townships.count() >= 5
        assert all(t.level == RegionLevel.TOWNSHIP and t.code.startswith(code[:6]) for t in townships)
    assert Region.objects.get(code="220702001000").name == "团结街道"
    assert Region.objects.get(code="220702001000").kind == RegionKind.STREET
    assert Region.objects.get(code="220702100000").kind == RegionKind.TOWN


def test_municipality_counties_hang_under_the_province() -> None:
    regions_load(actor=SYSTEM, provinces=["50"])
    chongqing = Region.objects.get(code="500000000000")
    assert chongqing.kind == RegionKind.MUNICIPALITY
    yuzhong = Region.objects.get(code="500103000000")
    assert (yuzhong.name, yuzhong.parent, yuzhong.level) == ("渝中区", chongqing, RegionLevel.COUNTY)
    assert not Region.objects.filter(level=RegionLevel.CITY).exists()


def test_second_run_changes_nothing() -> None:
    first = regions_load(actor=SYSTEM, provinces=["22"])
    before = list(Region.objects.values_list("id", "code", "name", "parent_id").order_by("id"))
    second = regions_load(actor=SYSTEM, provinces=["22"])
    assert second == {"created": 0, "updated": 0, "unchanged": first["created"]}
    assert list(Region.objects.values_list("id", "code", "name", "parent_id").order_by("id")) == before


def test_changed_name_kind_and_parent_are_updated(tmp_path: Path) -> None:
    regions_load(actor=SYSTEM, provinces=["22"])
    rows = _file_rows(("22",))
    for row in rows:
        if row["code"] == "220722000000":
            row["name"], row["short_name"] = "长岭新县", "长岭新"
        if row["code"] == "220702001000":  # moved under 前郭 and made a town, for the test's sake
            row["parent_code"], row["kind"] = "220721000000", "town"
    counts = regions_load(actor=SYSTEM, provinces=["22"], path=_write(tmp_path, rows))
    assert counts["created"] == 0 and counts["updated"] == 2
    assert Region.objects.get(code="220722000000").name == "长岭新县"
    moved = Region.objects.get(code="220702001000")
    assert (moved.parent.code, moved.kind) == ("220721000000", RegionKind.TOWN)
    # and the shipped file puts them back
    assert regions_load(actor=SYSTEM, provinces=["22"])["updated"] == 2
    assert Region.objects.get(code="220722000000").name == "长岭县"


def test_regions_missing_from_the_file_are_kept(tmp_path: Path) -> None:
    regions_load(actor=SYSTEM, provinces=["22"])
    rows = [row for row in _file_rows(("22",)) if row["code"] != "220723100000"]
    counts = regions_load(actor=SYSTEM, provinces=["22"], path=_write(tmp_path, rows))
    assert counts["created"] == counts["updated"] == 0
    assert Region.objects.filter(code="220723100000", valid_to__isnull=True).exists()


def test_load_writes_one_audit_row() -> None:
    regions_load(actor=SYSTEM, provinces=["22"])
    events = list(AuditEvent.objects.unscoped(reason="test").filter(object_type="regions.Region"))
    assert len(events) == 1
    assert events[0].actor_label == "system:tests" and events[0].changes["created"] > 1000


def test_bad_file_is_rejected_and_nothing_written(tmp_path: Path) -> None:
    rows = _file_rows(("22",))
    rows[5]["code"] = "22070"
    rows[9]["kind"] = "castle"
    with pytest.raises(ValidationFailed) as caught:
        regions_load(actor=SYSTEM, path=_write(tmp_path, rows))
    assert "第7行" in caught.value.message and "第11行" in caught.value.message
    assert not Region.objects.exists()

    orphan = [
        {
            "code": "220799001000",
            "parent_code": "220799000000",
            "level": "4",
            "kind": "street",
            "name": "无主街道",
            "short_name": "无主",
        }
    ]
    with pytest.raises(ValidationFailed, match="上级不存在"):
        regions_load(actor=SYSTEM, path=_write(tmp_path, orphan))
    assert not Region.objects.exists()


def test_bad_province_argument_and_permission() -> None:
    with pytest.raises(ValidationFailed):
        regions_load(actor=SYSTEM, provinces=["2x"])
    with pytest.raises(PermissionDenied):
        regions_load(actor=officer("22", permissions=frozenset({"view_regions"})), provinces=["22"])
    assert not Region.objects.exists()


def test_command_json_and_idempotent() -> None:
    out = io.StringIO()
    call_command("load_regions", "--province", "22", "--province", "50", "--json", stdout=out)
    first = json.loads(out.getvalue())
    assert first["created"] == len(_file_rows(("22", "50"))) and first["updated"] == 0
    out = io.StringIO()
    call_command("load_regions", "--province", "22", "--province", "50", "--json", stdout=out)
    second = json.loads(out.getvalue())
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, first["created"])


def test_whole_country_loads() -> None:
    """Correctness only; how fast it loads is a benchmark's business, not a test's."""
    counts = regions_load(actor=SYSTEM)
    assert counts["created"] == sum(1 for _ in DATA_FILE.open(encoding="utf-8")) - 1
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() > 38000
    assert Region.objects.get(code="441900000000").name == "东莞市"
    assert Region.objects.get(code="469001000000").parent.code == "460000000000"  # 五指山市, 省直辖
