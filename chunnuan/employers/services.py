"""Writes to employers, their rosters and labour contracts — each in a transaction, audited.

Who may write: ``Perm.MANAGE_EMPLOYERS``, and the employer must be in reach (an officer over its
region, or the employer's own clerk). A worker's origin officer sees roster entries of employers
elsewhere but does not manage them.

Every write that changes a roster entry, a contract or an employer's region / section / size /
above-scale recounts the employer's roster tally (名册统计) in the same transaction — see
:mod:`chunnuan.reporting.tallies` for why there and not after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope, get_visible
from chunnuan.audit.services import audit_create, audit_update, snapshot
from chunnuan.core import crypto, identifiers
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.identifiers import parse_id_number, to_halfwidth
from chunnuan.core.versioning import Expected, claim_version, stored_vs_typed
from chunnuan.employers import rules
from chunnuan.employers.choices import ContractEventKind, ContractStatus, ContractType
from chunnuan.employers.models import ContractEvent, Employer, Employment, Industry, LabourContract
from chunnuan.employers.types import (
    ContractChangeIn,
    ContractEndIn,
    ContractIn,
    ContractRenewIn,
    EmployerIn,
    EmploymentIn,
    EmploymentLeaveIn,
    EmploymentUpdateIn,
    SizeOverrideIn,
)
from chunnuan.regions.models import Region
from chunnuan.reporting.tallies import roster_tallies_refresh
from chunnuan.workers.models import Worker

# ---------------------------------------------------------------------------------------------
# Employers
# ---------------------------------------------------------------------------------------------


def normalize_credit_code(value: str) -> str:
    """GB 32100 check (full-width, lower case and spaces normalised); ValidationFailed in Chinese."""
    code = to_halfwidth(str(value)).replace(" ", "").replace("\u3000", "").strip().upper()
    try:
        return str(uscc.validate(code))
    except StdnumError:
        raise ValidationFailed(
            f"统一社会信用代码“{value}”不正确（长度、字符或校验位有误）",
            fields={"credit_code": ["统一社会信用代码不正确"]},
        ) from None


def normalize_contact_phone(value: str) -> str:
    """An employer's contact: a mobile number, or a landline with its area code (0438-1234567)."""
    try:
        return identifiers.normalize_contact_phone(value)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, fields={"contact_phone": [exc.message]}) from None


def industry_resolve(value: str) -> Industry | None:
    """A division (大类) from its code (``47``, ``E47``, ``4710`` → 47) or its exact name."""
    text = to_halfwidth(value or "").strip().upper()
    if not text:
        return None
    digits = text.lstrip("ABCDEFGHIJKLMNOPQRST")
    if digits[:2].isdigit():
        found = Industry.objects.filter(code=digits[:2]).first()
    else:
        found = Industry.objects.filter(name=value.strip()).exclude(code__regex=r"^[A-Z]$").first()
    if found is None:
        raise ValidationFailed(
            f"行业“{value}”不在国民经济行业分类（GB/T 4754-2017）大类中",
            fields={"industry_code": ["行业代码不正确"]},
        )
    return found


def apply_size(employer: Employer, *, on: dt.date | None = None) -> None:
    """Compute ``size_class_computed`` from the indicators; ``size_class`` = override or computed."""
    sector = rules.size_sector(
        section=employer.industry_section,
        division=employer.industry.code if employer.industry_id and employer.industry else "",
        name=employer.name,
    )
    employer.size_class_computed = rules.size_class_for(
        sector,
        staff=employer.staff_count,
        revenue=employer.revenue,
        assets=employer.assets,
        on=on,
        region_code=employer.region_code,
    )
    employer.size_class = employer.size_class_override or employer.size_class_computed


def _ensure_may_place(actor: Actor, region_code: str, employer: Employer | None) -> None:
    """An officer places an employer within their reach; a clerk keeps their own where it is."""
    if actor.kind is ActorKind.EMPLOYER:
        if employer is None or employer.pk != actor.employer_id:
            raise PermissionDenied("用人单位经办人只能维护本单位的信息")
        if region_code != employer.region_code:
            raise PermissionDenied("单位所在地的变更请联系属地人社部门办理")
        return
    ensure_in_scope(actor, region_code)


def _set_employer_fields(employer: Employer, data: EmployerIn, industry: Industry | None) -> None:
    phone = normalize_contact_phone(data.contact_phone) if data.contact_phone.strip() else ""
    employer.name = data.name.strip()
    employer.region_code = data.region_code
    employer.industry = industry
    employer.industry_section = industry.section if industry else ""
    employer.economic_type = data.economic_type or ""
    employer.address = data.address.strip()
    employer.legal_representative = data.legal_representative.strip()
    employer.contact_person = data.contact_person.strip()
    employer.contact_phone = phone
    employer.staff_count = data.staff_count
    employer.revenue = data.revenue
    employer.assets = data.assets
    employer.is_above_scale = data.is_above_scale
    employer.is_key_contact = data.is_key_contact
    employer.is_in_difficulty = data.is_in_difficulty
    employer.is_dispatch_agency = data.is_dispatch_agency
    employer.credit_status = data.credit_status
    apply_size(employer)


@transaction.atomic
def employer_register(*, actor: Actor, data: EmployerIn) -> Employer:
    """Register an employer, or update it when the credit code is known (upsert)."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    code = normalize_credit_code(data.credit_code)
    existing = (
        Employer.objects.unscoped(reason="upsert by credit code; scope checked below")
        .filter(credit_code=code)
        .first()
    )
    _ensure_may_place(actor, data.region_code, existing)
    industry = industry_resolve(data.industry_code)
    if existing is None:
        employer = Employer(credit_code=code)
        _set_employer_fields(employer, data, industry)
        employer.save()
        audit_create(actor=actor, obj=employer)
        roster_tallies_refresh(employer_ids=[employer.pk])
        return employer
    ensure_in_scope(actor, existing)
    claim_version(existing)
    before = snapshot(existing)
    _set_employer_fields(existing, data, industry)
    existing.save()
    audit_update(actor=actor, obj=existing, before=before)
    roster_tallies_refresh(employer_ids=[existing.pk])
    return existing


@transaction.atomic
def employer_update(
    *, actor: Actor, employer_id: int, data: EmployerIn, expected_version: Expected = None
) -> Employer:
    """修改单位信息. ``expected_version``: the version the caller saw (edit page, If-Match); a save
    on an older one is refused (StaleVersion, stored-now vs typed), nothing written."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    employer = get_visible(actor, Employer, pk=employer_id)
    _ensure_may_place(actor, data.region_code, employer)
    code = normalize_credit_code(data.credit_code)
    if code != employer.credit_code:
        if (
            Employer.objects.unscoped(reason="credit codes are unique nationwide")
            .filter(credit_code=code)
            .exclude(pk=employer.pk)
            .exists()
        ):
            raise Conflict(
                "该统一社会信用代码已登记为另一家单位", fields={"credit_code": ["统一社会信用代码已存在"]}
            )
    typed = Employer(pk=employer.pk, credit_code=code, size_class_override=employer.size_class_override)
    _set_employer_fields(typed, data, industry_resolve(data.industry_code))
    claim_version(employer, expected_version, stored_vs_typed(employer, _edited_values(typed)))
    before = snapshot(employer)
    employer.credit_code = code
    _set_employer_fields(employer, data, industry_resolve(data.industry_code))
    employer.save()
    audit_update(actor=actor, obj=employer, before=before)
    roster_tallies_refresh(employer_ids=[employer.pk])
    return employer


def _edited_values(employer: Employer) -> dict[str, Any]:
    """The fields an edit sets, as values (for the stored-now vs typed comparison)."""
    return {name: getattr(employer, name) for name in EDITED_FIELDS}


EDITED_FIELDS = (
    "credit_code",
    "name",
    "region_code",
    "industry",
    "economic_type",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "staff_count",
    "revenue",
    "assets",
    "is_above_scale",
    "is_key_contact",
    "is_in_difficulty",
    "is_dispatch_agency",
    "credit_status",
)


def may_override_size(actor: Actor) -> bool:
    """An officer who maintains employers (never the employer's own clerk) may override a size class."""
    return actor.can(Perm.MANAGE_EMPLOYERS) and actor.is_region_actor


@transaction.atomic
def employer_set_size_override(
    *, actor: Actor, employer_id: int, data: SizeOverrideIn, expected_version: Expected = None
) -> Employer:
    """人工认定企业规模 (with a reason), or clear it (back to the computed class). Only an officer
    may override the class computed by the national rule: an employer does not rate itself."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    employer = get_visible(actor, Employer, pk=employer_id)
    if not may_override_size(actor):
        raise PermissionDenied("企业规模按国家统计标准自动计算；如需人工认定，请联系属地人社部门办理")
    reason = data.reason.strip()
    if data.size_class and not reason:
        raise ValidationFailed("人工认定企业规模须填写理由", fields={"reason": ["请填写认定理由"]})
    claim_version(employer, expected_version)
    before = snapshot(employer)
    employer.size_class_override = data.size_class or ""
    employer.size_override_reason = reason if data.size_class else ""
    employer.size_class = employer.size_class_override or employer.size_class_computed
    employer.save()
    note = (
        f"人工认定企业规模：{employer.get_size_class_display()}，理由：{reason}"
        if data.size_class
        else "取消人工认定企业规模"
    )
    audit_update(actor=actor, obj=employer, before=before, note=note)
    roster_tallies_refresh(employer_ids=[employer.pk])
    return employer


# ---------------------------------------------------------------------------------------------
# Roster
# ---------------------------------------------------------------------------------------------


def _managed_employer(actor: Actor, employer_id: int) -> Employer:
    actor.require(Perm.MANAGE_EMPLOYERS)
    return get_visible(actor, Employer, pk=employer_id)


def _managed_employment(actor: Actor, employment_id: int) -> Employment:
    """A roster entry the actor may change: visible, and its employer in reach (not just the worker)."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    employment = get_visible(actor, Employment, pk=employment_id)
    ensure_in_scope(actor, employment.employer)
    return employment


def origin_from_id(id_number: str, fallback: str) -> str:
    """The 户籍 region from the ID's address code (6 digits padded to 12) when that region exists."""
    code = id_number[:6].ljust(12, "0")
    return code if Region.objects.filter(code=code).exists() else fallback


def _registrar(actor: Actor, employer: Employer) -> Actor:
    """Who registers a new person found on a roster. A clerk may not keep the ledger, but filing
    their own employee is part of employment filing: the registration runs as a system actor
    limited to the employer's region, labelled with the clerk (and audited as such)."""
    if actor.kind is not ActorKind.EMPLOYER:
        return actor
    return Actor(
        kind=ActorKind.SYSTEM,
        label=f"{actor.label}（用工备案）",
        region_prefixes=(employer.region_code,),
        permissions=frozenset({Perm.MANAGE_WORKERS.value}),
        user_id=actor.user_id,
        ip=actor.ip,
    )


def _find_or_register_worker(actor: Actor, employer: Employer, data: EmploymentIn) -> Worker:
    from chunnuan.workers.services import worker_register
    from chunnuan.workers.types import WorkerIn

    if data.worker_id:
        if actor.kind is ActorKind.EMPLOYER:
            raise NotFound()
        return get_visible(actor, Worker, pk=data.worker_id)
    if not data.id_number.strip():
        raise ValidationFailed("请填写身份证号码", fields={"id_number": ["请填写身份证号码"]})
    try:
        info = parse_id_number(data.id_number)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, fields={"id_number": [exc.message]}) from None
    existing = (
        Worker.objects.unscoped(
            reason="find the person by ID hash for a roster; the entry is scoped by employer"
        )
        .filter(id_number_hash=crypto.lookup_hash(info.number))
        .first()
    )
    if existing is not None:
        if data.name.strip() and data.name.strip() != existing.name:
            raise ValidationFailed(
                "该身份证号码已登记，但姓名与登记的不一致，请核对",
                fields={"name": ["姓名与身份证号码不一致"]},
            )
        return existing
    if not data.name.strip():
        raise ValidationFailed("新登记的职工须填写姓名", fields={"name": ["请填写姓名"]})
    origin = data.origin_region_code or origin_from_id(info.number, employer.region_code)
    return worker_register(
        actor=_registrar(actor, employer),
        data=WorkerIn(
            name=data.name.strip(),
            id_number=info.number,
            phone=data.phone,
            origin_region_code=origin,
            work_region_code=employer.region_code,
        ),
    )


@transaction.atomic
def employment_add(*, actor: Actor, employer_id: int, data: EmploymentIn) -> Employment:
    """Put a person on an employer's roster (registering them in the ledger when new)."""
    employer = _managed_employer(actor, employer_id)
    worker = _find_or_register_worker(actor, employer, data)
    spells = Employment.objects.unscoped(
        reason="one roster entry per spell; employer already in scope"
    ).filter(employer=employer, worker=worker)
    if spells.filter(start_date=data.start_date).exists() or spells.filter(end_date__isnull=True).exists():
        raise Conflict("该职工已在本单位名册中", fields={"id_number": ["该职工已在本单位名册中"]})
    employment = Employment(
        employer=employer,
        worker=worker,
        region_code=employer.region_code,
        worker_origin_region_code=worker.origin_region_code,
        employment_form=data.employment_form,
        post=data.post.strip(),
        start_date=data.start_date,
        is_migrant_worker=data.is_migrant_worker,
        is_on_post=data.is_on_post,
        is_insured=data.is_insured,
    )
    employment.save()
    audit_create(actor=actor, obj=employment, note="用工备案：录用")
    roster_tallies_refresh(employer_ids=[employer.pk])
    return employment


@transaction.atomic
def employment_update(
    *, actor: Actor, employment_id: int, data: EmploymentUpdateIn, expected_version: Expected = None
) -> Employment:
    """用工备案：变更. A save on an older version than the stored one is refused (StaleVersion)."""
    employment = _managed_employment(actor, employment_id)
    if employment.end_date and data.start_date > employment.end_date:
        raise ValidationFailed(
            "入职日期不能晚于离职日期", fields={"start_date": ["入职日期不能晚于离职日期"]}
        )
    typed = {
        "employment_form": data.employment_form,
        "post": data.post.strip(),
        "start_date": data.start_date,
        "is_migrant_worker": data.is_migrant_worker,
        "is_on_post": data.is_on_post and employment.end_date is None,
        "is_insured": data.is_insured,
    }
    claim_version(employment, expected_version, stored_vs_typed(employment, typed))
    before = snapshot(employment)
    employment.employment_form = data.employment_form
    employment.post = data.post.strip()
    employment.start_date = data.start_date
    employment.is_migrant_worker = data.is_migrant_worker
    employment.is_on_post = data.is_on_post and employment.end_date is None
    employment.is_insured = data.is_insured
    employment.save()
    audit_update(actor=actor, obj=employment, before=before, note="用工备案：变更")
    roster_tallies_refresh(employer_ids=[employment.employer_id])
    return employment


@transaction.atomic
def employment_leave(
    *, actor: Actor, employment_id: int, data: EmploymentLeaveIn, expected_version: Expected = None
) -> Employment:
    """离职: the person leaves the roster. A contract still in force must be ended first."""
    employment = _managed_employment(actor, employment_id)
    if employment.end_date is not None:
        raise Conflict("该职工已离职")
    if data.end_date < employment.start_date:
        raise ValidationFailed("离职日期不能早于入职日期", fields={"end_date": ["离职日期不能早于入职日期"]})
    if (
        LabourContract.objects.visible_to(actor)
        .filter(employment=employment, status=ContractStatus.IN_FORCE)
        .exists()
    ):
        raise ValidationFailed("该职工的劳动合同仍在履行中，请先办理合同解除或终止")
    claim_version(employment, expected_version)
    before = snapshot(employment)
    employment.end_date = data.end_date
    employment.is_on_post = False
    employment.save()
    audit_update(actor=actor, obj=employment, before=before, note=f"用工备案：离职 {data.note}".strip())
    roster_tallies_refresh(employer_ids=[employment.employer_id])
    return employment


# ---------------------------------------------------------------------------------------------
# Labour contracts
# ---------------------------------------------------------------------------------------------


def _term_check(
    *, contract_type: str, start: dt.date, end: dt.date | None, probation: int | None, form: str
) -> None:
    errors = rules.contract_term_errors(
        contract_type=contract_type, start=start, end=end, probation_months=probation, employment_form=form
    )
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _event(contract: LabourContract, kind: str, date: dt.date, note: str = "", new_end: Any = None) -> None:
    ContractEvent(contract=contract, kind=kind, date=date, new_end_date=new_end, note=note[:300]).save()


def _managed_contract(actor: Actor, contract_id: int, expected_version: Expected = None) -> LabourContract:
    """A contract the actor may act on, claimed for this write: every contract action moves its version
    (a stale ``expected_version`` — the If-Match of the API — is refused with StaleVersion)."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    contract = get_visible(actor, LabourContract, pk=contract_id)
    ensure_in_scope(actor, contract.employment.employer)
    claim_version(contract, expected_version)
    return contract


def _require_in_force(contract: LabourContract) -> None:
    if contract.status != ContractStatus.IN_FORCE:
        raise Conflict(f"该劳动合同{contract.get_status_display()}，不能再办理")


@transaction.atomic
def contract_sign(*, actor: Actor, employment_id: int, data: ContractIn) -> LabourContract:
    """订立劳动合同 for a roster entry."""
    employment = _managed_employment(actor, employment_id)
    today = dt.date.today()
    if data.signed_date > today:
        raise ValidationFailed("签订日期不能晚于今天", fields={"signed_date": ["签订日期不能晚于今天"]})
    if employment.end_date is not None and data.start_date > employment.end_date:
        raise ValidationFailed("该职工已离职，合同起始日期不能晚于离职日期")
    _term_check(
        contract_type=data.contract_type,
        start=data.start_date,
        end=data.end_date,
        probation=data.probation_months,
        form=employment.employment_form,
    )
    if (
        LabourContract.objects.visible_to(actor)
        .filter(employment=employment, status=ContractStatus.IN_FORCE)
        .exists()
    ):
        raise Conflict("该职工已有履行中的劳动合同，请办理续订或变更")
    contract = LabourContract(
        employment=employment,
        contract_type=data.contract_type,
        signed_date=data.signed_date,
        start_date=data.start_date,
        end_date=data.end_date,
        probation_months=data.probation_months or None,
        status=ContractStatus.IN_FORCE,
    )
    contract.save()
    _event(contract, ContractEventKind.SIGNED, data.signed_date, data.note, data.end_date)
    audit_create(actor=actor, obj=contract, note="订立劳动合同")
    roster_tallies_refresh(employer_ids=[employment.employer_id])
    return contract


@transaction.atomic
def contract_renew(
    *, actor: Actor, contract_id: int, data: ContractRenewIn, expected_version: Expected = None
) -> LabourContract:
    """续订: the contract continues with a new end (or becomes open-ended). Ended ones cannot be."""
    contract = _managed_contract(actor, contract_id, expected_version)
    _require_in_force(contract)
    if contract.contract_type == ContractType.OPEN_ENDED:
        raise Conflict("无固定期限劳动合同无需续订")
    old_end = contract.end_date
    start = data.start_date or (old_end + dt.timedelta(days=1) if old_end else data.signed_date)
    _term_check(
        contract_type=data.contract_type,
        start=start,
        end=data.end_date,
        probation=None,
        form=contract.employment.employment_form,
    )
    if old_end and data.end_date and data.end_date <= old_end:
        raise ValidationFailed("续订后的终止日期应晚于原终止日期", fields={"end_date": ["应晚于原终止日期"]})
    before = snapshot(contract)
    contract.contract_type = data.contract_type
    contract.end_date = data.end_date
    contract.save()
    _event(contract, ContractEventKind.RENEWED, data.signed_date, data.note, data.end_date)
    audit_update(actor=actor, obj=contract, before=before, note="续订劳动合同")
    roster_tallies_refresh(employer_ids=[contract.employment.employer_id])
    return contract


@transaction.atomic
def contract_change(
    *, actor: Actor, contract_id: int, data: ContractChangeIn, expected_version: Expected = None
) -> LabourContract:
    """变更: a written change of the contract's content (may move the end date)."""
    contract = _managed_contract(actor, contract_id, expected_version)
    _require_in_force(contract)
    if data.date < contract.start_date:
        raise ValidationFailed("变更日期不能早于合同起始日期", fields={"date": ["不能早于合同起始日期"]})
    before = snapshot(contract)
    if data.new_end_date is not None:
        _term_check(
            contract_type=contract.contract_type,
            start=contract.start_date,
            end=data.new_end_date,
            probation=None,
            form=contract.employment.employment_form,
        )
        contract.end_date = data.new_end_date
    contract.save()
    _event(contract, ContractEventKind.CHANGED, data.date, data.note, data.new_end_date)
    audit_update(actor=actor, obj=contract, before=before, note=f"变更劳动合同：{data.note}")
    roster_tallies_refresh(employer_ids=[contract.employment.employer_id])
    return contract


def _contract_end(
    actor: Actor, contract_id: int, data: ContractEndIn, status: str, kind: str, expected_version: Expected
) -> LabourContract:
    contract = _managed_contract(actor, contract_id, expected_version)
    _require_in_force(contract)
    if data.date < contract.start_date:
        raise ValidationFailed("解除/终止日期不能早于合同起始日期", fields={"date": ["不能早于合同起始日期"]})
    before = snapshot(contract)
    contract.status = status
    contract.ended_date = data.date
    contract.save()
    _event(contract, kind, data.date, data.note)
    label = "解除" if kind == ContractEventKind.DISSOLVED else "终止"
    audit_update(actor=actor, obj=contract, before=before, note=f"{label}劳动合同 {data.note}".strip())
    employment = contract.employment
    if data.leave_employment and employment.end_date is None:
        claim_version(employment)
        emp_before = snapshot(employment)
        employment.end_date = max(data.date, employment.start_date)
        employment.is_on_post = False
        employment.save()
        audit_update(actor=actor, obj=employment, before=emp_before, note=f"用工备案：合同{label}，离职")
    roster_tallies_refresh(employer_ids=[employment.employer_id])
    return contract


@transaction.atomic
def contract_dissolve(
    *, actor: Actor, contract_id: int, data: ContractEndIn, expected_version: Expected = None
) -> LabourContract:
    """解除劳动合同 (before its term ends)."""
    return _contract_end(
        actor, contract_id, data, ContractStatus.DISSOLVED, ContractEventKind.DISSOLVED, expected_version
    )


@transaction.atomic
def contract_terminate(
    *, actor: Actor, contract_id: int, data: ContractEndIn, expected_version: Expected = None
) -> LabourContract:
    """终止劳动合同 (term expired, task completed, retirement …)."""
    return _contract_end(
        actor, contract_id, data, ContractStatus.TERMINATED, ContractEventKind.TERMINATED, expected_version
    )
