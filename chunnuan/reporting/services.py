"""Writes of campaigns, targets and submissions; the chain's rules live here.

Chain: draft → submitted → approved (by the level above) → locked (when the level above submits
its summary), or returned with a reason; a locked submission is corrected only after the level
above unlocks it (which returns it, and sends back the parent summary if that is not yet approved).
A summary is always the roll-up of its children's approved submissions, recomputed on save and
submit; it is submitted when every child is in, or with a note naming why the rest are missing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import code_prefix, ensure_in_scope
from chunnuan.accounts.models import User
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_create, audit_record
from chunnuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from chunnuan.core.identifiers import CONTACT_PHONE_FORMATS, normalize_contact_phone
from chunnuan.core.versioning import Expected, StoredVsTyped, claim_version
from chunnuan.employers.models import Employer
from chunnuan.regions.selectors import region_get
from chunnuan.reporting import selectors
from chunnuan.reporting.choices import (
    ACCEPTED_STATUSES,
    EDITABLE_STATUSES,
    Indicator,
    Segment,
    StageKind,
    SubmissionEventKind,
    SubmissionStatus,
)
from chunnuan.reporting.definitions import FieldKind, FormDef, UnitLevel, get_form, summary_form_for
from chunnuan.reporting.models import (
    Campaign,
    CampaignForm,
    CampaignStage,
    Submission,
    SubmissionEvent,
    Target,
)
from chunnuan.reporting.periods import CAMPAIGN_CODE, Period
from chunnuan.reporting.types import CampaignIn, SubmissionValuesIn, TargetIn
from chunnuan.reporting.units import UNIT_DEPTH, Unit

SECTION = re.compile(r"^[A-T]$")


def _locked_submissions() -> Any:
    """Re-read, locked, a submission the caller already obtained through a scoped selector."""
    return Submission.objects.unscoped(
        reason="re-read for update a submission obtained in scope"
    ).select_for_update()


# ---------------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------------


def _check_campaign(actor: Actor, data: CampaignIn) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not CAMPAIGN_CODE.match(data.code):
        errors["code"] = ["行动代码以字母开头，只含字母、数字、下划线和连字符，如 CN2026"]
    if data.end_date < data.start_date:
        errors["end_date"] = ["结束日期不能早于开始日期"]
    for section in data.focus_sections:
        if not SECTION.match(section):
            errors.setdefault("focus_sections", []).append(f"行业门类“{section}”不正确")
    for i, stage in enumerate(data.stages):
        if stage.kind not in StageKind.values:
            errors.setdefault("stages", []).append(f"第{i + 1}个阶段的类型不正确")
        if stage.end_date < stage.start_date:
            errors.setdefault("stages", []).append(f"第{i + 1}个阶段的结束日期早于开始日期")
        elif stage.start_date < data.start_date or stage.end_date > data.end_date:
            errors.setdefault("stages", []).append(f"第{i + 1}个阶段不在行动期间内")
    codes = [f.form_code for f in data.forms]
    for code in codes:
        try:
            get_form(code)
        except ValidationFailed:
            errors.setdefault("forms", []).append(f"没有代码为“{code}”的报表")
    if len(set(codes)) != len(codes):
        errors.setdefault("forms", []).append("同一张报表只能选一次")
    return errors


def _apply_campaign(campaign: Campaign, data: CampaignIn) -> None:
    CampaignStage.plain.filter(campaign=campaign).delete()
    CampaignStage.plain.bulk_create(
        CampaignStage(
            campaign=campaign, kind=s.kind, start_date=s.start_date, end_date=s.end_date, note=s.note
        )
        for s in data.stages
    )
    CampaignForm.plain.filter(campaign=campaign).delete()
    CampaignForm.plain.bulk_create(
        CampaignForm(
            campaign=campaign,
            form_code=f.form_code,
            deadline=f.deadline,
            deadline_working_days=f.deadline_working_days,
        )
        for f in data.forms
    )


@transaction.atomic
def campaign_create(*, actor: Actor, data: CampaignIn) -> Campaign:
    """A city (or county) officer starts a campaign for their region."""
    actor.require(Perm.MANAGE_CAMPAIGNS)
    region = region_get(code=data.region_code)
    ensure_in_scope(actor, region.code)
    errors = _check_campaign(actor, data)
    if (
        Campaign.objects.unscoped(reason="campaign codes are unique nationwide")
        .filter(code=data.code)
        .exists()
    ):
        errors.setdefault("code", []).append(f"行动代码“{data.code}”已被使用")
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    campaign = Campaign(
        code=data.code,
        name=data.name,
        region_code=region.code,
        start_date=data.start_date,
        end_date=data.end_date,
        focus_sections=sorted(set(data.focus_sections)),
        description=data.description,
        created_by_id=actor.user_id,
    )
    campaign.save()
    _apply_campaign(campaign, data)
    audit_create(actor=actor, obj=campaign)
    return campaign


def _managed_campaign(actor: Actor, campaign: Campaign) -> None:
    """Only officers of the issuing region (or above) change a campaign."""
    actor.require(Perm.MANAGE_CAMPAIGNS)
    ensure_in_scope(actor, campaign.region_code)


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, data: CampaignIn) -> Campaign:
    _managed_campaign(actor, campaign)
    errors = _check_campaign(actor, data)
    if data.code != campaign.code:
        errors.setdefault("code", []).append("行动代码创建后不能修改")
    if data.region_code != campaign.region_code:
        errors.setdefault("region_code", []).append("发起地区创建后不能修改")
    in_use = set(
        Submission.objects.unscoped(reason="forms in use anywhere in a campaign being edited")
        .filter(campaign=campaign)
        .values_list("form_code", flat=True)
        .distinct()
    )
    dropped = in_use - {f.form_code for f in data.forms}
    if dropped:
        errors.setdefault("forms", []).append("已有单位填报的报表不能移除：" + "、".join(sorted(dropped)))
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    before = {
        "name": campaign.name,
        "start_date": str(campaign.start_date),
        "end_date": str(campaign.end_date),
    }
    campaign.name, campaign.start_date, campaign.end_date = data.name, data.start_date, data.end_date
    campaign.focus_sections = sorted(set(data.focus_sections))
    campaign.description = data.description
    campaign.save()
    _apply_campaign(campaign, data)
    after = {
        "name": campaign.name,
        "start_date": str(campaign.start_date),
        "end_date": str(campaign.end_date),
    }
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=campaign,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return campaign


@transaction.atomic
def campaign_summary_text_set(*, actor: Actor, campaign: Campaign, text: str) -> Campaign:
    """The officer's own words in the campaign's written summary (总结)."""
    _managed_campaign(actor, campaign)
    if len(text) > 20000:
        raise ValidationFailed("总结正文不能超过20000字", fields={"summary_text": ["太长"]})
    campaign.summary_text = text
    campaign.save(update_fields=["summary_text", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=campaign, note="修改行动总结")
    return campaign


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor: Actor, campaign: Campaign, data: TargetIn) -> Target:
    """Set (or override) a target for a region. The issuing region's officers set the campaign's
    own targets; an officer below breaks them down for the regions under their jurisdiction, never
    for their own region or above (that is the level above's decision)."""
    actor.require(Perm.MANAGE_CAMPAIGNS)
    region = region_get(code=data.region_code)
    ensure_in_scope(actor, region.code)
    if not region.code.startswith(code_prefix(campaign.region_code)):
        raise ValidationFailed("目标地区不在该行动的范围内", fields={"region_code": ["不在行动范围内"]})
    own = [p for p in actor.region_prefixes if region.code.startswith(p)]
    if region.code != campaign.region_code and all(region.code == p.ljust(12, "0") for p in own):
        raise PermissionDenied("本级的目标由上级下达，您只能为下辖地区分解目标")
    errors: dict[str, list[str]] = {}
    if data.indicator not in Indicator.values:
        errors["indicator"] = ["指标不正确"]
    if data.segment not in Segment.values:
        errors["segment"] = ["企业范围不正确"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    target, created = Target.plain.get_or_create(
        campaign=campaign,
        region_code=region.code,
        indicator=data.indicator,
        segment=data.segment,
        defaults={"value": data.value, "note": data.note, "set_by_id": actor.user_id},
    )
    if created:
        audit_create(actor=actor, obj=target)
    else:
        old = str(target.value)
        target.value, target.note, target.set_by_id = data.value, data.note, actor.user_id
        target.save()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=target, changes={"value": [old, str(data.value)]}
        )
    return target


@transaction.atomic
def target_delete(*, actor: Actor, target: Target) -> None:
    """Remove an override: the region inherits again from above."""
    actor.require(Perm.MANAGE_CAMPAIGNS)
    ensure_in_scope(actor, target.region_code)
    audit_record(actor=actor, action=AuditAction.DELETE, obj=target, note=str(target))
    target.delete()


# ---------------------------------------------------------------------------------------------
# Submissions
# ---------------------------------------------------------------------------------------------


def _event(sub: Submission, actor: Actor, kind: str, reason: str = "") -> None:
    SubmissionEvent.plain.create(
        submission=sub,
        kind=kind,
        actor_user_id=actor.user_id,
        actor_label=actor.label[:100],
        reason=reason[:500],
    )


def _may_fill(actor: Actor, unit: Unit) -> None:
    actor.require(Perm.FILL_REPORTS)
    if unit.employer_id is not None:
        if actor.employer_id == unit.employer_id:
            return
        ensure_in_scope(actor, unit.region_code)
        if User.objects.filter(employer_id=unit.employer_id, is_active=True).exists():
            raise PermissionDenied("该单位有自己的账号，基层表应由单位自行填报")
        return
    if actor.employer_id:
        raise PermissionDenied()
    ensure_in_scope(actor, unit.region_code)


def _unit_of(actor: Actor, form: FormDef, region_code: str, employer_id: Any) -> Unit:
    if employer_id not in (None, ""):
        unit = selectors.unit_for_employer(actor=actor, employer_id=employer_id)
        if unit.level not in form.levels:
            raise ValidationFailed(f"“{form.short_name}”不由用人单位填报", fields={"form": ["填报层级不对"]})
        return unit
    return selectors.unit_of_actor(actor=actor, form=form, region_code=region_code)


@transaction.atomic
def submission_open(
    *, actor: Actor, form_code: str, period_key: str, region_code: str = "", employer_id: Any = None
) -> Submission:
    """The unit's submission for the period — created as a draft, prefilled, on first open."""
    form = get_form(form_code)
    period, campaign = selectors.resolve_period(actor=actor, form=form, key=period_key)
    unit = _unit_of(actor, form, region_code, employer_id)
    _may_fill(actor, unit)
    existing = (
        Submission.objects.unscoped(reason="one submission per unit and period; the unit is in reach")
        .filter(form_code=form.code, period_key=period.key, unit_key=unit.key)
        .first()
    )
    if existing is not None:
        return existing
    sub = Submission(
        form_code=form.code,
        period_key=period.key,
        campaign=campaign,
        level=unit.level,
        region_code=unit.region_code,
        employer_id=unit.employer_id,
        unit_key=unit.key,
        unit_name=unit.name,
        industry_section=unit.industry_section,
        size_class=unit.size_class,
        is_above_scale=unit.is_above_scale,
        deadline=selectors.deadline_for(form=form, period=period, level=unit.level, campaign=campaign),
    )
    _refresh_proposal(actor, form, period, unit, sub)
    sub.values = dict(sub.proposed) if form.is_summary else form.complete(sub.proposed)
    sub.save()
    audit_create(actor=actor, obj=sub)
    return sub


def _refresh_proposal(actor: Actor, form: FormDef, period: Period, unit: Unit, sub: Submission) -> None:
    if form.is_summary:
        roll = selectors.rollup(actor=actor, form=form, period=period, unit=unit)
        sub.rows = [r.as_dict() for r in roll.rows]
        sub.proposed = roll.totals
        sub.values = roll.totals
        sub.missing = [{"key": u.key, "name": u.name} for u in roll.missing]
    elif form.prefill is not None:
        sub.proposed = {k: int(v) for k, v in form.prefill(actor=actor, unit=unit, period=period).items()}


def _context(actor: Actor, sub: Submission) -> tuple[FormDef, Period, Unit]:
    form = get_form(sub.form_code)
    period, _ = selectors.resolve_period(actor=actor, form=form, key=sub.period_key)
    unit = Unit(
        level=UnitLevel(sub.level),
        region_code=sub.region_code,
        name=sub.unit_name,
        employer_id=sub.employer_id,
        industry_section=sub.industry_section,
        size_class=sub.size_class,
        is_above_scale=sub.is_above_scale,
    )
    return form, period, unit


def _locked_for(sub: Submission) -> None:
    if sub.status not in EDITABLE_STATUSES:
        label = SubmissionStatus(sub.status).label
        if sub.status == SubmissionStatus.LOCKED:
            raise Conflict("该报表已锁定，需上级解锁后才能更正")
        raise Conflict(f"该报表{label}，不能再修改")


def _value_errors(
    form: FormDef, sub: Submission, data: SubmissionValuesIn, *, final: bool
) -> tuple[dict[str, list[str]], dict[str, int | None], dict[str, Any]]:
    """Every problem of the entered and prefilled values at once (a prefilled figure changed needs
    a reason; computed fields are not typed; the cross-field rules), with the values and corrections."""
    values: dict[str, int | None] = {}
    corrections: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for f in form.input_fields:
        value = data.values.get(f.code, sub.values.get(f.code))
        values[f.code] = value
        proposed = sub.proposed.get(f.code)
        if f.kind is FieldKind.PREFILLED and proposed is not None and value is not None and value != proposed:
            reason = (data.reasons.get(f.code) or sub.corrections.get(f.code, {}).get("reason", "")).strip()
            if not reason:
                errors.setdefault(f.code, []).append(f"“{f.label}”与系统数（{proposed}）不同，请说明更正原因")
            corrections[f.code] = {"proposed": proposed, "entered": value, "reason": reason}
    for code in data.values:
        if code not in form.labels:
            errors.setdefault(code, []).append(f"“{form.short_name}”没有“{code}”这一栏")
    computed = form.complete(values)
    for f in form.fields:
        sent = data.values.get(f.code)
        if f.kind is FieldKind.COMPUTED and sent is not None:
            if f.is_rate and isinstance(sent, int) and not 0 <= sent <= 100:
                errors.setdefault(f.code, []).append(f"“{f.label}”不能超过100%，也不能为负数")
            elif sent != computed.get(f.code):
                errors.setdefault(f.code, []).append(
                    f"“{f.label}”由系统按公式计算（应为{computed.get(f.code)}），不需要填写"
                )
    problems = (
        form.problems(values)
        if final
        else {k: v for k, v in form.problems(values).items() if any(x is not None for x in [values.get(k)])}
    )
    for code, messages in problems.items():
        errors.setdefault(code, []).extend(messages)
    return errors, values, corrections


def _filler_errors(sub: Submission, data: SubmissionValuesIn, *, final: bool) -> dict[str, list[str]]:
    """The filler's name and phone: every problem at once (the phone is 11 digits or a landline)."""
    errors: dict[str, list[str]] = {}
    if data.filler_phone:
        try:
            normalize_contact_phone(data.filler_phone)
        except ValidationFailed:
            errors["filler_phone"] = [f"联系电话格式不正确，应为{CONTACT_PHONE_FORMATS}"]
    if final and not (data.filler_name.strip() or sub.filler_name):
        errors["filler_name"] = ["请填写填表人"]
    return errors


def _raise_all(errors: dict[str, list[str]], lead: str = "") -> None:
    """One ValidationFailed carrying every field's errors (never one round per kind of mistake)."""
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(lead + first, fields=errors)


def _apply_values(form: FormDef, sub: Submission, data: SubmissionValuesIn, *, final: bool) -> None:
    """Entered and prefilled values, checked; a prefilled figure changed needs a reason."""
    errors, values, corrections = _value_errors(form, sub, data, final=final)
    _raise_all(errors, "报表数据未通过校验：")
    sub.values = form.complete(values)
    sub.corrections = corrections


def _apply_filler(sub: Submission, data: SubmissionValuesIn) -> None:
    if data.filler_name:
        sub.filler_name = data.filler_name.strip()
    if data.filler_phone:
        try:
            sub.filler_phone = normalize_contact_phone(data.filler_phone)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, fields={"filler_phone": [exc.message]}) from None
    if data.missing_note:
        sub.missing_note = data.missing_note.strip()


def submission_problems(
    *, actor: Actor, submission: Submission, data: SubmissionValuesIn, final: bool
) -> dict[str, list[str]]:
    """Every problem saving (or, ``final``, submitting) ``data`` would meet — figures, rules, filler —
    without writing anything; the page uses it to show all errors together in one round."""
    form = get_form(submission.form_code)
    if form.is_summary:
        return _filler_errors(submission, data, final=final)
    errors, _values, _corrections = _value_errors(form, submission, data, final=final)
    for code, messages in _filler_errors(submission, data, final=final).items():
        errors.setdefault(code, []).extend(messages)
    return errors


def _stale_differences(form: FormDef, sub: Submission, data: SubmissionValuesIn) -> tuple[StoredVsTyped, ...]:
    """Stored now vs typed, figure by figure (and the filler), for a refused stale save."""
    out = []
    labels = {f.code: f.label for f in form.fields}
    for code, typed in data.values.items():
        stored = sub.values.get(code)
        if stored != typed and code in labels:
            shown = ["—" if v is None else str(v) for v in (stored, typed)]
            out.append(StoredVsTyped(code, str(labels[code]), shown[0], shown[1]))
    if data.filler_name.strip() and data.filler_name.strip() != sub.filler_name:
        out.append(
            StoredVsTyped("filler_name", "填表人", sub.filler_name or "（空）", data.filler_name.strip())
        )
    return tuple(out)


@transaction.atomic
def submission_save(
    *, actor: Actor, submission: Submission, data: SubmissionValuesIn, expected_version: Expected = None
) -> Submission:
    """Save a draft (checks what is filled in; a summary is recomputed from its children).
    ``expected_version``: the version the filler saw (page, If-Match); an older one is refused."""
    sub = _locked_submissions().get(pk=submission.pk)
    form, period, unit = _context(actor, sub)
    _may_fill(actor, unit)
    _locked_for(sub)
    claim_version(sub, expected_version, _stale_differences(form, sub, data))
    if form.is_summary:
        _refresh_proposal(actor, form, period, unit, sub)
    else:
        _raise_all(submission_problems(actor=actor, submission=sub, data=data, final=False))
        _apply_values(form, sub, data, final=False)
    _apply_filler(sub, data)
    sub.save()
    _event(sub, actor, SubmissionEventKind.SAVED)
    return sub


@transaction.atomic
def submission_submit(
    *,
    actor: Actor,
    submission: Submission,
    data: SubmissionValuesIn | None = None,
    expected_version: Expected = None,
) -> Submission:
    """Submit to the level above. A summary needs every child in, or a note on the missing ones;
    submitting it locks the children it adds up."""
    data = data or SubmissionValuesIn()
    sub = _locked_submissions().get(pk=submission.pk)
    form, period, unit = _context(actor, sub)
    _may_fill(actor, unit)
    _locked_for(sub)
    claim_version(sub, expected_version, _stale_differences(form, sub, data))
    # every figure, rule and filler error at once, never one round per kind of mistake
    errors = submission_problems(actor=actor, submission=sub, data=data, final=True)
    if form.is_summary:
        _refresh_proposal(actor, form, period, unit, sub)
        if sub.missing and not (data.missing_note.strip() or sub.missing_note):
            names = "、".join(m["name"] for m in sub.missing[:5]) + ("等" if len(sub.missing) > 5 else "")
            errors.setdefault("missing_note", []).append("请填写缺报说明")
            raise ValidationFailed(
                f"还有{len(sub.missing)}个下级单位未报或未审核（{names}），请等待其上报，或填写缺报说明后再上报",
                fields=errors,
            )
        _raise_all(errors)
        _apply_filler(sub, data)
        if not sub.missing:
            sub.missing_note = ""
    else:
        _raise_all(errors)
        _apply_filler(sub, data)
        _apply_values(form, sub, data, final=True)
    if not sub.filler_name:
        raise ValidationFailed("请填写填表人", fields={"filler_name": ["请填写填表人"]})
    sub.status = SubmissionStatus.SUBMITTED
    sub.submitted_by_id = actor.user_id
    sub.submitted_at = timezone.now()
    sub.return_reason = ""
    sub.save()
    _event(sub, actor, SubmissionEventKind.SUBMITTED)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=sub, changes={"status": ["", "submitted"]}, note="上报"
    )
    if form.is_summary:
        _lock_children(actor, form, period, unit)
    return sub


def _children(form: FormDef, period: Period, unit: Unit) -> Any:
    level, child_form = selectors.child_level_of(form, unit.level)
    return Submission.objects.unscoped(reason="the chain around a submission in reach").filter(
        form_code=child_form.code, period_key=period.key, level=level, region_code__startswith=unit.prefix
    )


def _lock_children(actor: Actor, form: FormDef, period: Period, unit: Unit) -> None:
    for child in _children(form, period, unit).filter(status=SubmissionStatus.APPROVED).select_for_update():
        claim_version(child)
        child.status = SubmissionStatus.LOCKED
        child.save(update_fields=["status", "updated_at", "version"])
        _event(child, actor, SubmissionEventKind.LOCKED, f"已汇总进{unit.name}的汇总表")


def _parent(form: FormDef, sub: Submission, unit: Unit) -> Submission | None:
    """The summary this submission is added into (the level above's), if one exists."""
    summary = form if form.is_summary else summary_form_for(form.code)
    code = unit.parent_code()
    if summary is None or code is None:
        return None
    return (
        Submission.objects.unscoped(reason="the chain around a submission in reach")
        .filter(form_code=summary.code, period_key=sub.period_key, unit_key=code)
        .first()
    )


def _may_decide(actor: Actor, sub: Submission, unit: Unit) -> None:
    """The level above decides: an officer who oversees the unit's region from a higher level."""
    actor.require(Perm.APPROVE_REPORTS)
    if not actor.is_region_actor:
        raise PermissionDenied()
    depth = UNIT_DEPTH[unit.level]
    above = [p for p in actor.region_prefixes if sub.region_code.startswith(p) and len(p) < depth]
    if not above:
        if actor.covers(sub.region_code):
            raise PermissionDenied("只能由上一级审核，本级不能审核本级的报表")
        raise PermissionDenied("您不负责该地区的报表审核")


@transaction.atomic
def submission_approve(
    *, actor: Actor, submission: Submission, expected_version: Expected = None
) -> Submission:
    sub = _locked_submissions().get(pk=submission.pk)
    _form, _period, unit = _context(actor, sub)
    _may_decide(actor, sub, unit)
    if sub.status != SubmissionStatus.SUBMITTED:
        raise Conflict(f"只有已上报的报表可以审核（当前：{SubmissionStatus(sub.status).label}）")
    if sub.submitted_by_id is not None and sub.submitted_by_id == actor.user_id:
        raise PermissionDenied("不能审核自己上报的报表")
    claim_version(sub, expected_version)
    sub.status = SubmissionStatus.APPROVED
    sub.decided_by_id = actor.user_id
    sub.decided_at = timezone.now()
    sub.save()
    _event(sub, actor, SubmissionEventKind.APPROVED)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=sub,
        changes={"status": ["submitted", "approved"]},
        note="审核通过",
    )
    return sub


@transaction.atomic
def submission_return(
    *, actor: Actor, submission: Submission, reason: str, expected_version: Expected = None
) -> Submission:
    sub = _locked_submissions().get(pk=submission.pk)
    _form, _period, unit = _context(actor, sub)
    _may_decide(actor, sub, unit)
    if not reason.strip():
        raise ValidationFailed("请填写退回原因", fields={"reason": ["请填写退回原因"]})
    if sub.status == SubmissionStatus.LOCKED:
        raise Conflict("该报表已锁定，请使用“解锁更正”")
    if sub.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
        raise Conflict(f"只有已上报或已审核的报表可以退回（当前：{SubmissionStatus(sub.status).label}）")
    claim_version(sub, expected_version)
    old = sub.status
    sub.status = SubmissionStatus.RETURNED
    sub.return_reason = reason.strip()[:500]
    sub.decided_by_id = actor.user_id
    sub.decided_at = timezone.now()
    sub.save()
    _event(sub, actor, SubmissionEventKind.RETURNED, reason)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=sub,
        changes={"status": [old, "returned"]},
        note=reason[:200],
    )
    return sub


@transaction.atomic
def submission_unlock(
    *, actor: Actor, submission: Submission, reason: str, expected_version: Expected = None
) -> Submission:
    """Corrections after lock: the level above unlocks (the submission goes back to its filler) —
    possible while the summary it was added into is not yet approved; that summary is sent back."""
    sub = _locked_submissions().get(pk=submission.pk)
    form, _period, unit = _context(actor, sub)
    _may_decide(actor, sub, unit)
    if not reason.strip():
        raise ValidationFailed("请填写解锁更正的原因", fields={"reason": ["请填写原因"]})
    if sub.status not in ACCEPTED_STATUSES:
        raise Conflict("只有已审核或已锁定的报表需要解锁")
    parent = _parent(form, sub, unit)
    if parent is not None and parent.status in ACCEPTED_STATUSES:
        raise Conflict(f"{parent.unit_name}的汇总表已被上级审核，请先请上级解锁该汇总表")
    claim_version(sub, expected_version)
    old = sub.status
    sub.status = SubmissionStatus.RETURNED
    sub.return_reason = reason.strip()[:500]
    sub.save()
    _event(sub, actor, SubmissionEventKind.UNLOCKED, reason)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=sub,
        changes={"status": [old, "returned"]},
        note="解锁更正：" + reason[:200],
    )
    if parent is not None and parent.status == SubmissionStatus.SUBMITTED:
        claim_version(parent)
        parent.status = SubmissionStatus.RETURNED
        parent.return_reason = f"下级{sub.unit_name}的报表已解锁更正，请重新汇总后上报"
        parent.save(update_fields=["status", "return_reason", "updated_at", "version"])
        _event(parent, actor, SubmissionEventKind.RETURNED, parent.return_reason)
    return sub


# ---------------------------------------------------------------------------------------------
# Reminders (催报) through the outbox
# ---------------------------------------------------------------------------------------------

REMIND_BEFORE_WORKING_DAYS = 2
REMIND_AFTER_DAYS = (1, 3, 7)


def _recipients(unit: Unit) -> list[tuple[str, str]]:
    """(channel, recipient): an employer's contact phone by SMS, else the officers of its township
    (or of the reporting region) by their WeChat work account."""
    if unit.employer_id is not None:
        employer = Employer.objects.unscoped(reason="reminder: the employer's contact phone").get(
            pk=unit.employer_id
        )
        if employer.contact_phone:
            return [("sms", employer.contact_phone)]
        region = unit.region_code[: UNIT_DEPTH[UnitLevel.TOWNSHIP]].ljust(12, "0")
    else:
        region = unit.region_code
    officers = User.objects.filter(
        regions__code=region, is_active=True, employer__isnull=True, worker__isnull=True
    )
    return [("wechat", name) for name in officers.values_list("username", flat=True).distinct()]


@transaction.atomic
def reminders_send(*, actor: Actor, today: dt.date) -> int:
    """Remind every unit whose form is due within two working days, or 1, 3 and 7 days overdue.
    Idempotent per unit, form, period and day: run it daily (the ``report_remind`` command)."""
    from chunnuan.notifications.services import message_enqueue
    from chunnuan.reporting.periods import add_working_days, deadline_moment

    sent = 0
    for campaign in Campaign.objects.unscoped(reason="daily reminder run over every campaign").filter(
        start_date__lte=today + dt.timedelta(days=60), end_date__gte=today - dt.timedelta(days=60)
    ):
        region_actor = actor
        for cf in selectors.campaign_forms(campaign):
            form = get_form(cf.form_code)
            for period, _camp in selectors.form_periods(actor=region_actor, form=form):
                if _camp is not None and _camp.pk != campaign.pk:
                    continue
                for level in form.levels:
                    deadline = selectors.deadline_for(
                        form=form, period=period, level=level, campaign=campaign
                    )
                    before = add_working_days(today, REMIND_BEFORE_WORKING_DAYS) >= deadline >= today
                    after = (today - deadline).days in REMIND_AFTER_DAYS
                    if not (before or after):
                        continue
                    board = selectors.status_board(
                        actor=region_actor,
                        form=form,
                        period=period,
                        campaign=campaign,
                        region_code=campaign.region_code,
                        level=level,
                        now=deadline_moment(today),
                    )
                    for row in board.rows:
                        if row.is_in:
                            continue
                        if (
                            row.submission is not None
                            and SubmissionEvent.objects.unscoped(reason="daily reminder run: reminded today?")
                            .filter(
                                submission=row.submission, kind=SubmissionEventKind.REMINDED, at__date=today
                            )
                            .exists()
                        ):
                            continue
                        what = f"“{form.short_name}”（{period.label}）"
                        body = (
                            f"{row.unit.name}：{what}已逾期{(today - deadline).days}天，请尽快填报。"
                            if after
                            else f"{row.unit.name}：{what}须在{deadline:%Y年%m月%d日}23:59前报送。"
                        )
                        for channel, recipient in _recipients(row.unit):
                            message_enqueue(
                                actor=actor,
                                channel=channel,
                                recipient=recipient,
                                subject="报表催报",
                                body=body,
                                purpose="report_reminder",
                                region_code=row.unit.region_code,
                            )
                            sent += 1
                        if row.submission is not None:
                            _event(row.submission, actor, SubmissionEventKind.REMINDED, body)
    return sent
