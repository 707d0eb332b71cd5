"""Import specs of employers (``employers``) and rosters with contracts (``roster``).

Each ``apply`` writes one batch with a constant number of queries: one SELECT per kind of existing
record (employers; or workers, roster entries, contracts), then bulk INSERT/UPDATE and one INSERT
of audit rows. One ``RowOutcome`` per row, in order.

The employers an import wrote have their roster tallies (名册统计) recounted once, when the
import's transaction commits (:func:`recount_on_commit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import get_visible
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_bulk, diff, snapshot
from chunnuan.core import crypto
from chunnuan.core.bulk import bulk_insert
from chunnuan.core.errors import DomainError
from chunnuan.core.importing.regions import RegionResolver
from chunnuan.core.importing.spec import (
    CellError,
    CleanRow,
    Column,
    ColumnKind,
    ContractTerm,
    ImportContext,
    ImportSpec,
    Outcome,
    RowOutcome,
    register,
)
from chunnuan.employers import rules
from chunnuan.employers.choices import (
    ContractEventKind,
    ContractStatus,
    ContractType,
    EconomicType,
    EmploymentForm,
)
from chunnuan.employers.models import ContractEvent, Employer, Employment, Industry, LabourContract
from chunnuan.employers.services import apply_size, normalize_contact_phone
from chunnuan.regions.models import Region
from chunnuan.reporting.tallies import roster_tallies_refresh
from chunnuan.workers.decide import worker_decide
from chunnuan.workers.models import Worker
from chunnuan.workers.tallies import worker_tallies_move_on_commit

NOTE = "表格导入"


def recount_on_commit(ctx: ImportContext, employer_ids: list[int]) -> None:
    """Recount the roster tallies of the employers this import wrote, once for the whole import.

    The engine calls ``apply`` per batch inside one write transaction, with no hook after the last
    batch; recounting per batch would count a large roster again for every 1,000 rows. So the
    batches add their employers to one set in ``ctx.cache`` and the first registers one
    ``transaction.on_commit`` that recounts the whole set (a dry run or a rolled-back import
    discards it). The daily recount repairs a tally should the process die right after the commit.
    """
    pending: set[int] | None = ctx.cache.get("tally_employers")
    if pending is None:
        pending = ctx.cache["tally_employers"] = set()
        ids = pending
        transaction.on_commit(lambda: roster_tallies_refresh(employer_ids=ids))
    pending.update(pk for pk in employer_ids if pk)


# ---------------------------------------------------------------------------------------------
# employers
# ---------------------------------------------------------------------------------------------

ECONOMIC_TYPES = {
    **{str(c.label): c.value for c in EconomicType},
    "国有": EconomicType.STATE,
    "国企": EconomicType.STATE,
    "集体": EconomicType.COLLECTIVE,
    "私营": EconomicType.PRIVATE,
    "民营": EconomicType.PRIVATE,
    "民营企业": EconomicType.PRIVATE,
    "有限责任公司": EconomicType.PRIVATE,
    "外资": EconomicType.FOREIGN,
    "外商投资": EconomicType.FOREIGN,
    "港澳台": EconomicType.HMT,
    "个体": EconomicType.INDIVIDUAL,
    "个体户": EconomicType.INDIVIDUAL,
    "事业单位": EconomicType.INSTITUTION,
    "机关": EconomicType.INSTITUTION,
}

EMPLOYER_COLUMNS = (
    Column(
        "name",
        "单位名称",
        aliases=("企业名称", "用人单位名称", "用人单位", "单位全称"),
        required=True,
        max_length=200,
    ),
    Column(
        "credit_code",
        "统一社会信用代码",
        ColumnKind.CREDIT_CODE,
        aliases=("信用代码", "社会信用代码", "统一代码", "统一社会信用代码证"),
        required=True,
    ),
    Column("industry", "行业", aliases=("所属行业", "行业代码", "行业类别", "行业门类"), max_length=60),
    Column(
        "economic_type",
        "经济类型",
        ColumnKind.CHOICE,
        aliases=("企业类型", "登记注册类型", "单位类型", "单位性质"),
        choices=ECONOMIC_TYPES,
    ),
    Column("address", "地址", aliases=("单位地址", "注册地址", "经营地址", "详细地址"), max_length=200),
    Column("legal_representative", "法定代表人", aliases=("法人代表", "法人", "负责人"), max_length=60),
    Column("contact_person", "联系人", aliases=("经办人",), max_length=60),
    Column("contact_phone", "联系电话", aliases=("联系方式", "手机号码", "电话", "手机"), max_length=30),
    Column(
        "staff_count", "从业人数", ColumnKind.INT, aliases=("从业人员", "从业人员数", "职工人数", "用工人数")
    ),
    Column("revenue", "营业收入", ColumnKind.DECIMAL, aliases=("主营业务收入", "年营业收入")),
    Column("assets", "资产总额", ColumnKind.DECIMAL, aliases=("总资产",)),
    Column("township", "乡镇（街道）", aliases=("乡镇", "街道", "乡镇街道", "所属乡镇", "所在乡镇")),
    Column("region_code", "区划代码", ColumnKind.REGION_CODE, aliases=("所在地区划代码", "行政区划代码")),
    Column(
        "is_above_scale",
        "规模以上",
        ColumnKind.BOOL,
        aliases=("是否规模以上", "规上企业", "是否规上", "限额以上"),
    ),
    Column("is_key_contact", "重点联系单位", ColumnKind.BOOL, aliases=("是否重点联系单位", "重点联系")),
    Column("is_in_difficulty", "生产经营困难", ColumnKind.BOOL, aliases=("是否困难企业", "困难企业")),
    Column(
        "is_dispatch_agency", "劳务派遣机构", ColumnKind.BOOL, aliases=("是否劳务派遣单位", "劳务派遣单位")
    ),
)

_EMPLOYER_PLAIN = (
    "name",
    "economic_type",
    "address",
    "legal_representative",
    "contact_person",
    "staff_count",
    "revenue",
    "assets",
    "is_above_scale",
    "is_key_contact",
    "is_in_difficulty",
    "is_dispatch_agency",
)


def _industries(ctx: ImportContext) -> dict[str, Industry]:
    """Divisions by code and by name (one query per import)."""
    table = ctx.cache.get("industries")
    if table is None:
        table = {}
        for industry in Industry.objects.all():
            if not industry.is_section:
                table[industry.code] = industry
                table[industry.name] = industry
        ctx.cache["industries"] = table
    return table


def _industry(ctx: ImportContext, text: str) -> Industry | None:
    table = _industries(ctx)
    value = text.strip().upper()
    digits = value.lstrip("ABCDEFGHIJKLMNOPQRST")
    if digits[:2].isdigit():
        return table.get(digits[:2])
    return table.get(text.strip())


def check_employer_row(ctx: ImportContext, row: CleanRow) -> list[CellError]:
    values = row.values
    errors: list[CellError] = []
    if values.get("industry"):
        industry = _industry(ctx, values["industry"])
        if industry is None:
            errors.append(
                CellError(
                    "行业",
                    f"行业“{values['industry']}”不在GB/T 4754-2017大类中，请填写大类代码（如47）或名称",
                )
            )
        values["industry_obj"] = industry
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = normalize_contact_phone(values["contact_phone"])
        except DomainError as exc:
            errors.append(CellError("联系电话", exc.message))
    if ctx.actor.kind is ActorKind.EMPLOYER:
        return [*errors, CellError("", "用人单位经办人不能导入用人单位名录")]
    code, region_errors = RegionResolver.of(ctx).resolve(
        code=values.get("region_code"),
        name=values.get("township"),
        code_label="区划代码",
        name_label="乡镇（街道）",
    )
    if region_errors:
        return [*errors, *region_errors]
    values["region_code"] = code
    return errors


def _may_touch(actor: Actor, employer: Employer) -> bool:
    if actor.kind is ActorKind.EMPLOYER:
        return employer.pk == actor.employer_id
    return actor.covers(employer.region_code)


def apply_employers(ctx: ImportContext, rows: list[CleanRow]) -> list[RowOutcome]:
    actor = ctx.actor
    if not actor.can(Perm.MANAGE_EMPLOYERS):
        return [RowOutcome(Outcome.REJECTED, (CellError("", "您的角色无权维护用人单位"),)) for _ in rows]
    codes = {r.values["credit_code"] for r in rows}
    existing = {
        e.credit_code: e
        for e in Employer.objects.unscoped(reason="import upsert by credit code; reach checked per row")
        .filter(credit_code__in=codes)
        .select_related("industry")
    }
    outcomes: list[RowOutcome] = []
    to_create: dict[str, Employer] = {}
    to_update: dict[int, Employer] = {}
    befores: dict[int, dict[str, Any]] = {}
    fields: set[str] = set()
    for row in rows:
        values = row.values
        code = values["credit_code"]
        employer = existing.get(code) or to_create.get(code)
        if employer is not None and employer.pk and not _may_touch(actor, employer):
            outcomes.append(
                RowOutcome(
                    Outcome.REJECTED,
                    (CellError("统一社会信用代码", "该单位已由其他地区登记，不在您的管辖范围内"),),
                )
            )
            continue
        new = employer is None
        if employer is None:
            employer = Employer(credit_code=code)
            to_create[code] = employer
        elif employer.pk and employer.pk not in befores:
            befores[employer.pk] = snapshot(employer)
        wanted: dict[str, Any] = {k: values[k] for k in _EMPLOYER_PLAIN if values.get(k) is not None}
        if values.get("contact_phone"):
            wanted["contact_phone"] = values["contact_phone"]
        wanted["region_code"] = values["region_code"]
        if values.get("industry_obj") is not None:
            industry = values["industry_obj"]
            wanted["industry_id"] = industry.pk
            wanted["industry_section"] = industry.section
        changed = {k for k, v in wanted.items() if getattr(employer, k) != v}
        for name in changed:
            setattr(employer, name, wanted[name])
            if name == "industry_id":
                employer.industry = values["industry_obj"]
        before_size = (employer.size_class_computed, employer.size_class)
        apply_size(employer)
        if (employer.size_class_computed, employer.size_class) != before_size:
            changed |= {"size_class_computed", "size_class"}
        if new:
            employer.refresh_lookup_hashes()
            outcomes.append(RowOutcome(Outcome.CREATED))
        elif not changed:
            outcomes.append(RowOutcome(Outcome.UNCHANGED))
        else:
            if "contact_phone" in changed:
                employer.refresh_lookup_hashes()
                changed.add("contact_phone_hash")
            if employer.pk:
                to_update[employer.pk] = employer
                fields.update(changed)
            outcomes.append(RowOutcome(Outcome.UPDATED))
    if ctx.dry_run:
        return outcomes
    audits: list[tuple[str, Any, dict[str, Any]]] = []
    if to_create:
        created = list(to_create.values())
        bulk_insert(Employer, created, key_fields=("credit_code",))
        audits += [(AuditAction.CREATE, e, {k: [None, v] for k, v in snapshot(e).items()}) for e in created]
    if to_update:
        now = timezone.now()
        for employer in to_update.values():
            employer.updated_at = now
            audits.append((AuditAction.UPDATE, employer, diff(befores[employer.pk], snapshot(employer))))
            employer.version = F("version") + 1  # an import write is a write: the version moves
        fields_written = sorted(fields | {"updated_at", "version"})
        Employer.plain.bulk_update(list(to_update.values()), fields_written, batch_size=500)
    if audits:
        audit_bulk(actor=actor, entries=[(str(a), o, c) for a, o, c in audits], note=NOTE)
    recount_on_commit(ctx, [e.pk for e in to_create.values()] + list(to_update))
    return outcomes


EMPLOYERS_SPEC = register(
    ImportSpec(
        kind="employers",
        title="用人单位名录",
        columns=EMPLOYER_COLUMNS,
        key="credit_code",
        check_row=check_employer_row,
        apply=apply_employers,
        same_key_must_match="name",
        permission=Perm.MANAGE_EMPLOYERS.value,
    )
)

# ---------------------------------------------------------------------------------------------
# roster (an employer's 职工名册 with contracts)
# ---------------------------------------------------------------------------------------------

SEXES = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}
HUKOU = {
    "农业": "rural",
    "农业户口": "rural",
    "农村": "rural",
    "农村户口": "rural",
    "非农业": "urban",
    "非农业户口": "urban",
    "城镇": "urban",
    "城镇户口": "urban",
    "非农": "urban",
}
FORMS = {
    **{str(c.label): c.value for c in EmploymentForm},
    "全职": EmploymentForm.FULL_TIME,
    "全日制用工": EmploymentForm.FULL_TIME,
    "非全日制用工": EmploymentForm.PART_TIME,
    "兼职": EmploymentForm.PART_TIME,
    "小时工": EmploymentForm.PART_TIME,
    "派遣": EmploymentForm.DISPATCHED,
    "劳务派遣用工": EmploymentForm.DISPATCHED,
}
FIXED_TERM_WORDS = {"固定期限", "固定期限合同", "有固定期限", "固定期", "定期"}

ROSTER_COLUMNS = (
    Column("name", "姓名", aliases=("职工姓名", "员工姓名"), required=True, max_length=60),
    Column("sex", "性别", ColumnKind.CHOICE, choices=SEXES),
    Column(
        "id_number",
        "身份证号码",
        ColumnKind.ID_NUMBER,
        aliases=("身份证号", "公民身份号码", "身份证", "证件号码"),
        required=True,
    ),
    Column("birth_date", "出生日期", ColumnKind.DATE, aliases=("出生年月",)),
    Column("origin_address", "户籍地址", aliases=("户籍所在地", "户籍地", "户口所在地"), max_length=200),
    Column("hukou_type", "户口性质", ColumnKind.CHOICE, aliases=("户籍性质", "户口类型"), choices=HUKOU),
    Column("current_address", "现住址", aliases=("现居住地址", "居住地址", "现居住地"), max_length=200),
    Column("phone", "联系电话", ColumnKind.PHONE, aliases=("手机号码", "联系方式", "手机号", "手机")),
    Column("employment_form", "用工形式", ColumnKind.CHOICE, aliases=("用工方式", "用工类型"), choices=FORMS),
    Column("post", "岗位", aliases=("工作岗位", "工种", "岗位工种"), max_length=100),
    Column(
        "start_date",
        "入职日期",
        ColumnKind.DATE,
        aliases=("用工起始日期", "入职时间", "用工日期", "录用日期"),
        required=True,
    ),
    Column("contract_type", "合同类型", aliases=("劳动合同类型", "合同期限类型"), max_length=30),
    Column("contract_term", "合同期限", ColumnKind.CONTRACT_TERM, aliases=("劳动合同期限",)),
    Column(
        "contract_period",
        "合同起止",
        ColumnKind.CONTRACT_TERM,
        aliases=("合同起止日期", "合同起止时间", "合同期限起止"),
    ),
    Column("contract_start", "合同起始日期", ColumnKind.DATE, aliases=("合同开始日期", "合同起始时间")),
    Column(
        "contract_end",
        "合同终止日期",
        ColumnKind.DATE,
        aliases=("合同到期日期", "合同结束日期", "合同终止时间"),
    ),
    Column("signed_date", "签订日期", ColumnKind.DATE, aliases=("合同签订日期", "签订时间")),
    Column(
        "has_contract",
        "是否签订劳动合同",
        ColumnKind.BOOL,
        aliases=("签订劳动合同", "是否签订合同", "签订合同"),
    ),
    Column(
        "is_insured",
        "是否参加社会保险",
        ColumnKind.BOOL,
        aliases=("参加社会保险", "是否参保", "社会保险", "社保"),
    ),
    Column("is_migrant_worker", "是否农民工", ColumnKind.BOOL, aliases=("农民工",)),
)


@dataclass(frozen=True)
class PlannedContract:
    contract_type: str
    start: dt.date
    end: dt.date | None
    signed: dt.date


def _contract_type_of(text: str) -> ContractTerm | None:
    from chunnuan.core.importing.normalize import CellValueError, norm_contract_term

    if text.replace(" ", "") in FIXED_TERM_WORDS:
        return ContractTerm(contract_type=ContractType.FIXED_TERM)
    try:
        return norm_contract_term(text, ROSTER_COLUMNS[11], None)  # type: ignore[arg-type]
    except CellValueError:
        return None


def plan_contract(values: dict[str, Any]) -> tuple[PlannedContract | None, list[CellError]]:
    """The row's contract from whichever contract columns it has (None when it has none)."""
    if values.get("has_contract") is False:
        return None, []
    terms: list[ContractTerm] = [t for t in (values.get("contract_period"), values.get("contract_term")) if t]
    if values.get("contract_type"):
        parsed = _contract_type_of(values["contract_type"])
        if parsed is None:
            return None, [
                CellError(
                    "合同类型",
                    f"合同类型“{values['contract_type']}”无法识别，可填：固定期限、无固定期限、以完成一定工作任务为期限",
                )
            ]
        terms.append(parsed)
    given = terms or values.get("contract_start") or values.get("contract_end") or values.get("signed_date")
    if not given and not values.get("has_contract"):
        return None, []
    kind = next((t.contract_type for t in terms), ContractType.FIXED_TERM)
    start = (
        next((t.start for t in terms if t.start), None)
        or values.get("contract_start")
        or values["start_date"]
    )
    end = next((t.end for t in terms if t.end), None) or values.get("contract_end")
    years = next((t.years for t in terms if t.years), None)
    if end is None and years:
        end = rules.add_months(start, 12 * years) - dt.timedelta(days=1)
    if kind != ContractType.FIXED_TERM and not values.get("contract_end") and not any(t.end for t in terms):
        end = None
    errors = rules.contract_term_errors(contract_type=kind, start=start, end=end, probation_months=None)
    if errors:
        return None, [CellError("合同期限", next(iter(errors.values()))[0])]
    return PlannedContract(kind, start, end, values.get("signed_date") or start), []


def check_roster_row(ctx: ImportContext, row: CleanRow) -> list[CellError]:
    values = row.values
    info = values["id_number"]
    errors: list[CellError] = []
    if values.get("birth_date") and values["birth_date"] != info.birth_date:
        errors.append(
            CellError("出生日期", f"出生日期与身份证号码不符（身份证为{info.birth_date:%Y-%m-%d}）")
        )
    if values.get("sex") and values["sex"] != info.sex:
        errors.append(CellError("性别", "性别与身份证号码不符"))
    if values["start_date"] > dt.date.today():
        errors.append(CellError("入职日期", "入职日期不能晚于今天"))
    contract, contract_errors = plan_contract(values)
    values["contract"] = contract
    return errors + contract_errors


def _roster_employer(ctx: ImportContext) -> Employer:
    employer = ctx.cache.get("roster_employer")
    if employer is None:
        employer = ctx.cache["roster_employer"] = get_visible(ctx.actor, Employer, pk=ctx.employer_id)
    return employer


@dataclass
class _RosterBatch:
    workers: dict[str, Worker] = field(default_factory=dict)  # new, by ID hash
    employments: dict[tuple[str, dt.date], Employment] = field(default_factory=dict)  # new
    emp_updates: dict[int, Employment] = field(default_factory=dict)
    emp_befores: dict[int, dict[str, Any]] = field(default_factory=dict)
    emp_fields: set[str] = field(default_factory=set)
    contracts: list[LabourContract] = field(default_factory=list)  # new
    con_updates: dict[int, LabourContract] = field(default_factory=dict)
    con_befores: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: list[ContractEvent] = field(default_factory=list)


def _origins(id_numbers: list[str]) -> set[str]:
    codes = {n[:6].ljust(12, "0") for n in id_numbers}
    return set(Region.objects.filter(code__in=codes).values_list("code", flat=True))


def apply_roster(ctx: ImportContext, rows: list[CleanRow]) -> list[RowOutcome]:
    actor = ctx.actor
    if not actor.can(Perm.MANAGE_EMPLOYERS):
        return [RowOutcome(Outcome.REJECTED, (CellError("", "您的角色无权维护用人单位名册"),)) for _ in rows]
    employer = _roster_employer(ctx)
    numbers = [r.values["id_number"].number for r in rows]
    hashes = [crypto.lookup_hash(n) for n in numbers]
    workers = {
        w.id_number_hash: w
        for w in Worker.objects.unscoped(reason="roster import: find the batch's people by ID hash").filter(
            id_number_hash__in=set(hashes)
        )
    }
    worker_ids = [w.pk for w in workers.values()]
    employments: dict[tuple[int, dt.date], Employment] = {}
    if worker_ids:
        for employment in Employment.objects.unscoped(
            reason="roster import: the employer's entries of the batch"
        ).filter(employer=employer, worker_id__in=worker_ids):
            employments[(employment.worker_id, employment.start_date)] = employment
    contracts: dict[int, list[LabourContract]] = {}
    if employments:
        for contract in LabourContract.objects.unscoped(
            reason="roster import: contracts of the batch"
        ).filter(employment_id__in=[e.pk for e in employments.values()]):
            contracts.setdefault(contract.employment_id, []).append(contract)
    origins = _origins([n for n, h in zip(numbers, hashes, strict=True) if h not in workers])
    batch = _RosterBatch()
    outcomes = [
        _roster_row(employer, row, key, workers, employments, contracts, origins, batch)
        for row, key in zip(rows, hashes, strict=True)
    ]
    if not ctx.dry_run:
        _write_roster(actor, batch)
        worker_tallies_move_on_commit(  # the people new to the ledger, once after the import commits
            memo=ctx.cache, after=[(w.origin_region_code, w.work_region_code) for w in batch.workers.values()]
        )
        recount_on_commit(ctx, [employer.pk])
    return outcomes


def _roster_row(
    employer: Employer,
    row: CleanRow,
    key: str,
    workers: dict[str | None, Worker],
    employments: dict[tuple[int, dt.date], Employment],
    contracts: dict[int, list[LabourContract]],
    origins: set[str],
    batch: _RosterBatch,
) -> RowOutcome:
    values = row.values
    info = values["id_number"]
    worker = workers.get(key) or batch.workers.get(key)
    if worker is not None and worker.name != values["name"]:
        return RowOutcome(
            Outcome.REJECTED, (CellError("姓名", "该身份证号码已登记，但姓名与登记的不一致，请核对"),)
        )
    if worker is None:
        origin = info.number[:6].ljust(12, "0")
        # A person new to the ledger; a known one is left as registered (the roster never rewrites
        # the ledger, so an empty cell cannot blank anything) — the same decide rule as the ledger's.
        typed = {
            "name": values["name"],
            "id_number": info.number,
            "sex": info.sex,
            "birth_date": info.birth_date,
            "phone": values.get("phone"),
            "origin_region_code": origin if origin in origins else employer.region_code,
            "work_region_code": employer.region_code,
            "hukou_type": values.get("hukou_type"),
            "origin_address": values.get("origin_address"),
            "current_address": values.get("current_address"),
            "has_pension_insurance": bool(values.get("is_insured")),
        }
        worker = Worker(**worker_decide(stored=None, typed=typed).changes)
        worker.refresh_lookup_hashes()
        batch.workers[key] = worker
    start = values["start_date"]
    employment = employments.get((worker.pk, start)) if worker.pk else None
    employment = employment or batch.employments.get((key, start))
    wanted = {
        name: values[name]
        for name in ("employment_form", "post", "is_insured", "is_migrant_worker")
        if values.get(name) is not None and values.get(name) != ""
    }
    created = updated = False
    if employment is None:
        employment = Employment(
            employer=employer,
            worker=worker,
            region_code=employer.region_code,
            worker_origin_region_code=worker.origin_region_code,
            start_date=start,
            **wanted,
        )
        batch.employments[(key, start)] = employment
        created = True
    else:
        changed = {k for k, v in wanted.items() if getattr(employment, k) != v}
        if changed and employment.pk:
            batch.emp_befores.setdefault(employment.pk, snapshot(employment))
            for name in changed:
                setattr(employment, name, wanted[name])
            batch.emp_updates[employment.pk] = employment
            batch.emp_fields.update(changed)
            updated = True
    planned: PlannedContract | None = values.get("contract")
    if planned is not None:
        existing = contracts.setdefault(employment.pk, []) if employment.pk else []
        updated |= _upsert_contract(employment, planned, existing, batch)
    if created:
        return RowOutcome(Outcome.CREATED)
    return RowOutcome(Outcome.UPDATED if updated else Outcome.UNCHANGED)


def _upsert_contract(
    employment: Employment, planned: PlannedContract, existing: list[LabourContract], batch: _RosterBatch
) -> bool:
    same = next((c for c in existing if c.start_date == planned.start), None)
    if same is not None:
        wanted = {
            "contract_type": planned.contract_type,
            "end_date": planned.end,
            "signed_date": planned.signed,
        }
        changed = {k for k, v in wanted.items() if getattr(same, k) != v}
        if not changed:
            return False
        if same.pk:
            batch.con_befores.setdefault(same.pk, snapshot(same))
            batch.con_updates[same.pk] = same
        for name in changed:
            setattr(same, name, wanted[name])
        return True
    for old in existing:  # an earlier contract in force whose term has run out ends (期满终止)
        if old.status == ContractStatus.IN_FORCE and old.start_date < planned.start:
            if old.pk:
                batch.con_befores.setdefault(old.pk, snapshot(old))
                batch.con_updates[old.pk] = old
            old.status = ContractStatus.TERMINATED
            old.ended_date = min(old.end_date or planned.start, planned.start - dt.timedelta(days=1))
            batch.events.append(
                ContractEvent(contract=old, kind=ContractEventKind.TERMINATED, date=old.ended_date, note=NOTE)
            )
    contract = LabourContract(
        employment=employment,
        contract_type=planned.contract_type,
        signed_date=planned.signed,
        start_date=planned.start,
        end_date=planned.end,
        status=ContractStatus.IN_FORCE,
    )
    existing.append(contract)
    batch.contracts.append(contract)
    batch.events.append(
        ContractEvent(
            contract=contract,
            kind=ContractEventKind.SIGNED,
            date=planned.signed,
            new_end_date=planned.end,
            note=NOTE,
        )
    )
    return True


def _write_roster(actor: Actor, batch: _RosterBatch) -> None:
    audits: list[tuple[str, Any, dict[str, Any]]] = []
    now = timezone.now()
    with transaction.atomic():
        if batch.workers:
            new_workers = list(batch.workers.values())
            bulk_insert(Worker, new_workers, key_fields=("id_number_hash",))
            audits += [
                (AuditAction.CREATE, w, {k: [None, v] for k, v in snapshot(w).items()}) for w in new_workers
            ]
        if batch.employments:
            new = list(batch.employments.values())
            for employment in new:
                employment.worker = (
                    employment.worker
                )  # sets worker_id now the worker is saved, keeps the cache
            bulk_insert(Employment, new, key_fields=("worker_id", "employer_id", "start_date"))
            audits += [(AuditAction.CREATE, e, {k: [None, v] for k, v in snapshot(e).items()}) for e in new]
        if batch.emp_updates:
            for employment in batch.emp_updates.values():
                employment.updated_at = now
                audits.append(
                    (
                        AuditAction.UPDATE,
                        employment,
                        diff(batch.emp_befores[employment.pk], snapshot(employment)),
                    )
                )
                employment.version = F("version") + 1  # an import write is a write: the version moves
            Employment.plain.bulk_update(
                list(batch.emp_updates.values()),
                sorted(batch.emp_fields | {"updated_at", "version"}),
                batch_size=500,
            )
        if batch.con_updates:
            for contract in batch.con_updates.values():
                contract.updated_at = now
                audits.append(
                    (AuditAction.UPDATE, contract, diff(batch.con_befores[contract.pk], snapshot(contract)))
                )
                contract.version = F("version") + 1  # an import write is a write: the version moves
            LabourContract.plain.bulk_update(
                list(batch.con_updates.values()),
                ["contract_type", "end_date", "signed_date", "status", "ended_date", "updated_at", "version"],
                batch_size=500,
            )
        if batch.contracts:
            for contract in batch.contracts:
                contract.employment = contract.employment
            bulk_insert(LabourContract, batch.contracts, key_fields=("employment_id", "start_date"))
            audits += [
                (AuditAction.CREATE, c, {k: [None, v] for k, v in snapshot(c).items()})
                for c in batch.contracts
            ]
        if batch.events:
            for event in batch.events:
                event.contract = event.contract
            bulk_insert(ContractEvent, batch.events)
        if audits:
            audit_bulk(actor=actor, entries=[(str(a), o, c) for a, o, c in audits], note=NOTE)


ROSTER_SPEC = register(
    ImportSpec(
        kind="roster",
        title="职工名册（劳动用工备案）",
        columns=ROSTER_COLUMNS,
        key="id_number",
        check_row=check_roster_row,
        apply=apply_roster,
        same_key_must_match="name",
        needs_employer=True,
        permission=Perm.MANAGE_EMPLOYERS.value,
    )
)
