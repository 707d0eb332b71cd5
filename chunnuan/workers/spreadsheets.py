"""The real-name ledger's spreadsheets: the import spec ``workers`` (columns as bureaus head them,
with their common variants), the sample template, and the export columns of the list pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from chunnuan.access.permissions import Perm
from chunnuan.core.errors import NotFound
from chunnuan.core.importing.regions import RegionResolver
from chunnuan.core.importing.spec import (
    CellError,
    CleanRow,
    Column,
    ColumnKind,
    ImportContext,
    ImportSpec,
    RowOutcome,
    register,
)
from chunnuan.core.spreadsheets import xlsx_bytes
from chunnuan.regions.models import Region, RegionLevel
from chunnuan.regions.selectors import region_ancestors, region_children, region_get, region_provinces
from chunnuan.workers.choices import (
    HELP_GROUPS,
    NEEDS,
    Education,
    EmploymentStatus,
    EventKind,
    HukouType,
    Sex,
)
from chunnuan.workers.services import WorkerRow, workers_bulk_upsert

K = ColumnKind
_SPACES = re.compile(r"\s+")


def _bool(key: str, label: str, *aliases: str) -> Column:
    return Column(key, label, K.BOOL, aliases=aliases)


def _choices(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    return {spelling: value for value, spellings in pairs for spelling in spellings}


SEX_CHOICES = _choices([(Sex.MALE, ("男", "男性", "M")), (Sex.FEMALE, ("女", "女性", "F"))])
HUKOU_CHOICES = _choices(
    [
        (HukouType.RURAL, ("农业", "农业户口", "农村", "农村户口", "农业家庭户口")),
        (HukouType.URBAN, ("非农业", "非农业户口", "城镇", "城镇户口", "居民户口", "非农")),
    ]
)
EDUCATION_CHOICES = _choices(
    [
        (Education.PRIMARY, ("小学及以下", "小学", "文盲", "半文盲", "文盲或半文盲", "学前")),
        (Education.JUNIOR, ("初中", "初级中学")),
        (Education.SENIOR, ("高中/中专/技校", "高中", "中专", "技校", "职高", "高中或中专", "中职")),
        (Education.COLLEGE, ("大专", "专科", "高职", "大学专科")),
        (Education.BACHELOR, ("本科及以上", "本科", "大学本科", "大学", "研究生", "硕士", "博士")),
    ]
)
EMPLOYMENT_CHOICES = _choices(
    [
        (EmploymentStatus.EMPLOYED, ("已就业（单位就业）", "已就业", "就业", "单位就业", "务工", "在岗")),
        (EmploymentStatus.FLEXIBLE, ("灵活就业", "零工", "打零工")),
        (EmploymentStatus.SELF_EMPLOYED, ("自主创业", "创业", "个体经营", "个体")),
        (EmploymentStatus.UNEMPLOYED, ("未就业", "失业", "待业", "无业")),
        (EmploymentStatus.OTHER, ("其他",)),
    ]
)

# Help groups and needs: label + the spellings bureaus use ("是否脱贫人口", "脱贫户" …).
GROUP_COLUMNS = [
    _bool("is_poverty_alleviated", "是否脱贫人口", "脱贫人口", "脱贫户", "是否脱贫户", "建档立卡脱贫户"),
    _bool(
        "is_monitored_for_relapse",
        "是否防止返贫监测对象",
        "防止返贫监测对象",
        "监测对象",
        "是否监测对象",
        "防返贫监测对象",
    ),
    _bool("is_low_income", "是否低收入人口", "低收入人口", "低收入", "是否低收入"),
    _bool("is_hardship_family", "是否困难家庭", "困难家庭", "困难户"),
    _bool("is_zero_employment_family", "是否零就业家庭", "零就业家庭"),
    _bool("is_disabled", "是否残疾人", "残疾人", "是否残疾"),
    _bool("has_employment_difficulty", "是否就业困难人员", "就业困难人员", "就业困难"),
]
NEED_COLUMNS = [
    _bool("needs_employment", "就业需求", "是否有就业需求", "有无就业需求"),
    _bool("needs_training", "培训需求", "是否有培训需求", "有无培训需求"),
    _bool("needs_entrepreneurship", "创业需求", "是否有创业需求", "有无创业需求"),
]
INSURANCE_COLUMNS = [
    _bool("has_pension_insurance", "参加养老保险", "养老保险", "是否参加养老保险", "参保养老"),
    _bool("has_medical_insurance", "参加医疗保险", "医疗保险", "是否参加医疗保险", "医保"),
    _bool("has_injury_insurance", "参加工伤保险", "工伤保险", "是否参加工伤保险"),
]
# Timeline dates: a date in one of these columns becomes that event on the person's timeline.
EVENT_COLUMNS = {
    "went_out_date": EventKind.WENT_OUT,
    "returned_date": EventKind.RETURNED,
    "back_to_work_date": EventKind.BACK_TO_WORK,
}

COLUMNS: list[Column] = [
    Column("name", "姓名", required=True, max_length=60, aliases=("农民工姓名", "人员姓名")),
    Column("sex", "性别", K.CHOICE, choices=SEX_CHOICES),
    Column(
        "id_number",
        "身份证号码",
        K.ID_NUMBER,
        required=True,
        aliases=("身份证号", "公民身份号码", "证件号码", "身份证", "身份证件号码", "居民身份证号码"),
    ),
    Column(
        "phone",
        "联系电话",
        K.PHONE,
        aliases=("手机号码", "联系方式", "手机", "手机号", "电话", "联系电话号码"),
    ),
    Column("hukou_type", "户口性质", K.CHOICE, choices=HUKOU_CHOICES, aliases=("户籍性质", "户口类型")),
    Column(
        "origin_address", "户籍地址", max_length=200, aliases=("户籍所在地", "家庭住址", "户籍地", "家庭地址")
    ),
    Column("current_address", "现住址", max_length=200, aliases=("现居住地", "居住地址", "现居住地址")),
    Column(
        "township",
        "乡镇（街道）",
        max_length=60,
        aliases=("乡镇", "街道", "所属乡镇", "乡镇街道", "所在乡镇"),
    ),
    Column("village", "村（社区）", max_length=60, aliases=("村", "社区", "所属村", "村社区", "行政村")),
    Column("region_code", "区划代码", K.REGION_CODE, aliases=("户籍地区划代码", "行政区划代码")),
    Column("work_region_code", "务工地区划代码", K.REGION_CODE),
    Column(
        "work_place",
        "务工地点",
        max_length=200,
        aliases=("务工地", "就业地点", "务工地址", "工作地点", "务工单位所在地"),
    ),
    Column("education", "文化程度", K.CHOICE, choices=EDUCATION_CHOICES, aliases=("学历", "文化")),
    Column("skills", "技能特长", max_length=200, aliases=("技能", "特长", "专业技能")),
    Column("trade", "从事工种", max_length=100, aliases=("工种", "从事行业", "从事工种/行业", "行业")),
    Column("job_intention", "就业意向", max_length=200, aliases=("求职意向", "择业意向", "务工意向")),
    Column("employment_status", "就业状态", K.CHOICE, choices=EMPLOYMENT_CHOICES, aliases=("就业情况",)),
    *GROUP_COLUMNS,
    *NEED_COLUMNS,
    *INSURANCE_COLUMNS,
    Column("went_out_date", "外出时间", K.DATE, aliases=("外出日期", "外出务工时间", "外出务工日期")),
    Column("returned_date", "返乡时间", K.DATE, aliases=("返乡日期", "回乡时间", "返乡回家时间")),
    Column("back_to_work_date", "返岗时间", K.DATE, aliases=("返岗日期", "再次外出时间")),
    Column("note", "备注", max_length=300, aliases=("说明",)),
]
# Columns copied as they are onto the record (when the cell is not empty).
_PLAIN = ("name", "phone", "hukou_type", "origin_address", "current_address", "work_place", "education", "skills",
          "trade", "job_intention", "employment_status", "note",
          *HELP_GROUPS, *NEEDS, "has_pension_insurance", "has_medical_insurance", "has_injury_insurance")  # fmt: skip


def _named_in(nodes: list[Region], text: str) -> tuple[Region, int] | None:
    """The region among ``nodes`` whose name (or short name) ``text`` starts with, longest first."""
    best: tuple[Region, int] | None = None
    for region in nodes:
        for spelling in {region.name, region.short_name} - {""}:
            if text.startswith(spelling) and (best is None or len(spelling) > best[1]):
                best = (region, len(spelling))
    return best


def _walk(nodes: list[Region], text: str) -> Region | None:
    """Read ``text`` from its start down the tree: 吉林省 › 松原市 › 宁江区 › 团结街道. A level that
    the text skips (a municipality's 市辖区) is looked through once."""
    found: Region | None = None
    while text and nodes:
        hit = _named_in(nodes, text)
        if hit is None and found is not None and found.level < RegionLevel.COUNTY:
            hit = _named_in([c for n in nodes for c in region_children(code=n.code)], text)
        if hit is None:
            break
        found, text = hit[0], text[hit[1] :]
        if found.level >= RegionLevel.TOWNSHIP:
            break
        nodes = list(region_children(code=found.code))
    return found


def work_region_of(ctx: ImportContext, text: str) -> str | None:
    """The 务工地 region a 务工地点 text names (county level or finer), or None: a full path read
    from the province (吉林省松原市宁江区, 重庆市渝中区), or a shorter one read from the importing
    region's province, city or county down (宁江区团结街道, 团结街道). Cached per text for the import."""
    key = _SPACES.sub("", text)
    cache: dict[str, str | None] = ctx.cache.setdefault("work_place_regions", {})
    if key in cache:
        return cache[key]
    starts: list[list[Region]] | None = ctx.cache.get("work_place_starts")
    if starts is None:
        starts = [list(region_provinces())]
        home = ctx.region_code or ctx.actor.home_region_code
        if home:
            try:
                path = region_ancestors(region_get(code=home))
            except NotFound:
                path = []
            starts += [list(region_children(code=r.code)) for r in path if r.level < RegionLevel.TOWNSHIP]
        ctx.cache["work_place_starts"] = starts
    found = [r for r in (_walk(nodes, key) for nodes in starts) if r is not None]
    deepest = max(found, key=lambda r: r.level, default=None)
    cache[key] = deepest.code if deepest is not None and deepest.level >= RegionLevel.COUNTY else None
    return cache[key]


def check_row(ctx: ImportContext, row: CleanRow) -> list[CellError]:
    """The sex agrees with the ID; the origin region resolves (code column, else township name within
    the chosen region, else the chosen region) and, with the place of work, is within reach; dates
    are neither in the future nor before the birth date. Puts ``origin_region_code`` on the row, and
    ``work_region_code`` when the 务工地点 text names a region and no code was given."""
    values = row.values
    info = values.get("id_number")
    errors: list[CellError] = []
    if info is None:
        return [CellError("身份证号码", "请填写身份证号码")]
    if values.get("sex") and values["sex"] != info.sex:
        shown = "男" if info.sex == Sex.MALE else "女"
        errors.append(CellError("性别", f"性别与身份证号码不一致（身份证号码显示为{shown}）"))
    resolver = RegionResolver.of(ctx)
    work = values.get("work_region_code")
    if not work and values.get("work_place"):  # a 务工地点 that names a region places the record there
        work = work_region_of(ctx, values["work_place"])
        if work:
            values["work_region_code"] = work
    if work and resolver.by_code(work) is None:
        errors.append(CellError("务工地区划代码", f"区划代码“{work}”不存在或已停用"))
    code = values.get("region_code")
    if code and work and ctx.actor.covers(work):  # a destination's ledger: origin may be anywhere
        if resolver.by_code(code) is None:
            errors.append(CellError("区划代码", f"区划代码“{code}”不存在或已停用"))
        origin: str | None = code
    else:
        origin, region_errors = resolver.resolve(code=code, name=values.get("township"))
        errors += region_errors
    values["origin_region_code"] = origin
    today = timezone.localdate()
    for key in EVENT_COLUMNS:
        date = values.get(key)
        label = next(c.label for c in COLUMNS if c.key == key)
        if date is None:
            continue
        if date > today:
            errors.append(CellError(label, f"{label}{date:%Y-%m-%d}晚于今天"))
        elif date < info.birth_date:
            errors.append(CellError(label, f"{label}{date:%Y-%m-%d}早于出生日期{info.birth_date:%Y-%m-%d}"))
    return errors


def to_worker_row(ctx: ImportContext, row: CleanRow) -> WorkerRow:
    values = row.values
    fields: dict[str, Any] = {k: values[k] for k in _PLAIN if values.get(k) is not None}
    if values.get("origin_region_code"):
        fields["origin_region_code"] = values["origin_region_code"]
    if values.get("work_region_code"):
        fields["work_region_code"] = values["work_region_code"]
    if values.get("village") and not values.get("origin_address"):
        fields["origin_address"] = " ".join(v for v in (values.get("township"), values["village"]) if v)
    events = [(str(kind), values[key]) for key, kind in EVENT_COLUMNS.items() if values.get(key)]
    return WorkerRow(info=values["id_number"], values=fields, events=events)


def apply(ctx: ImportContext, rows: list[CleanRow]) -> list[RowOutcome]:
    return workers_bulk_upsert(ctx=ctx, rows=[to_worker_row(ctx, r) for r in rows])


WORKERS_SPEC = register(
    ImportSpec(
        kind="workers",
        title="农民工实名制台帐",
        columns=COLUMNS,
        key="id_number",
        same_key_must_match="name",
        check_row=check_row,
        apply=apply,
        permission=Perm.MANAGE_WORKERS.value,
    )
)

# --- the sample template ----------------------------------------------------------------------------

_EXAMPLE = {
    "name": "张春生",
    "sex": "男",
    "id_number": "220702199003151238",
    "phone": "13800138000",
    "hukou_type": "农业户口",
    "origin_address": "吉林省松原市宁江区团结街道和平村3组",
    "current_address": "重庆市渝中区解放碑街道",
    "township": "团结街道",
    "village": "和平村",
    "region_code": "",
    "work_region_code": "500103000000",
    "work_place": "重庆市渝中区",
    "education": "初中",
    "skills": "电焊",
    "trade": "建筑",
    "job_intention": "本地建筑工地",
    "employment_status": "已就业",
    "is_poverty_alleviated": "是",
    "needs_employment": "是",
    "needs_training": "是",
    "has_pension_insurance": "是",
    "has_medical_insurance": "是",
    "went_out_date": "2025-03-01",
    "returned_date": "2026-01-20",
    "note": "示例行，导入前请删除",
}


def import_template() -> bytes:
    """A workbook with the header row and one synthetic example row (the ID number is invented)."""
    header = [c.label for c in COLUMNS]
    example = [_EXAMPLE.get(c.key, "否" if c.kind == K.BOOL else "") for c in COLUMNS]
    return xlsx_bytes("实名制台帐", header, [example], title="农民工实名制台帐（导入模板）")


# --- export of the list pages -----------------------------------------------------------------------

EXPORT_HEADER = [
    "姓名", "性别", "出生日期", "身份证号码", "联系电话", "户籍地", "户籍地区划代码", "务工地", "务工地区划代码",
    "户口性质", "户籍地址", "现住址", "务工地点", "文化程度", "技能特长", "从事工种", "就业意向", "就业状态", "流动状态",
    "流动状态日期", *HELP_GROUPS.values(), *NEEDS.values(), "参加养老保险", "参加医疗保险", "参加工伤保险", "备注", "登记时间",
]  # fmt: skip


def export_rows(workers: Iterable[Any], *, names: dict[str, str], reveal: bool) -> Iterator[list[Any]]:
    """One row per person; ID and phone masked unless ``reveal``."""
    from chunnuan.access.personal import masked

    def yes(value: bool) -> str:
        return "是" if value else "否"

    for w in workers:
        yield [
            w.name,
            w.get_sex_display(),
            w.birth_date,
            w.id_number if reveal else masked(w, "id_number"),
            w.phone if reveal else masked(w, "phone"),
            names.get(w.origin_region_code, ""),
            w.origin_region_code,
            names.get(w.work_region_code, ""),
            w.work_region_code,
            w.get_hukou_type_display(),
            w.origin_address,
            w.current_address,
            w.work_place,
            w.get_education_display(),
            w.skills,
            w.trade,
            w.job_intention,
            w.get_employment_status_display(),
            w.get_movement_status_display(),
            w.movement_date or "",
            *(yes(getattr(w, f)) for f in HELP_GROUPS),
            *(yes(getattr(w, f)) for f in NEEDS),
            yes(w.has_pension_insurance),
            yes(w.has_medical_insurance),
            yes(w.has_injury_insurance),
            w.note,
            timezone.localtime(w.created_at).strftime("%Y-%m-%d %H:%M") if w.created_at else "",
        ]
