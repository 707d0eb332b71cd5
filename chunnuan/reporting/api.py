"""/api/v1/reporting/ — forms, campaigns, targets, submissions and the late list (same services
as the pages). Phone numbers are masked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from chunnuan.access.actor import Actor
from chunnuan.access.personal import masked
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.schemas import API_ERRORS, VERSIONED_ERRORS, PageOut, PageQuery, paged
from chunnuan.core.versioning import IF_MATCH_DOC, if_match, set_etag
from chunnuan.regions.selectors import jurisdiction_regions
from chunnuan.reporting import selectors, services
from chunnuan.reporting.definitions import all_forms, get_form
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.schemas import (
    CampaignFilter,
    CampaignOut,
    ReasonIn,
    StatusOut,
    StatusQuery,
    SubmissionBriefOut,
    SubmissionFilter,
    SubmissionOpenIn,
    SubmissionOut,
    TargetOut,
    TargetsOut,
    TargetsQuery,
)
from chunnuan.reporting.types import CampaignIn, SubmissionValuesIn, TargetIn

router = Router()


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _campaign(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "region_code": c.region_code,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "focus_sections": list(c.focus_sections or []),
        "description": c.description,
        "stages": [
            {"kind": s.kind, "start_date": s.start_date, "end_date": s.end_date, "note": s.note}
            for s in selectors.campaign_stages(c)
        ],
        "forms": [
            {
                "form_code": f.form_code,
                "deadline": f.deadline,
                "deadline_working_days": f.deadline_working_days,
            }
            for f in selectors.campaign_forms(c)
        ],
    }


def _submission(actor: Actor, s: Submission, *, events: bool = True) -> dict[str, Any]:
    return {
        "id": s.pk,
        "version": s.version,
        "form_code": s.form_code,
        "period_key": s.period_key,
        "campaign_code": s.campaign.code if s.campaign_id and s.campaign else "",
        "level": s.level,
        "region_code": s.region_code,
        "employer_id": s.employer_id,
        "unit_name": s.unit_name,
        "status": s.status,
        "deadline": s.deadline,
        "values": s.values,
        "proposed": s.proposed,
        "corrections": s.corrections,
        "rows": s.rows,
        "missing": s.missing,
        "missing_note": s.missing_note,
        "filler_name": s.filler_name,
        "filler_phone": masked(s, "filler_phone"),
        "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
        "return_reason": s.return_reason,
        "events": [
            {"kind": e.kind, "actor_label": e.actor_label, "reason": e.reason, "at": e.at}
            for e in selectors.submission_events(actor=actor, submission=s)
        ]
        if events
        else [],
    }


# -- forms and campaigns ---------------------------------------------------------------------


@router.get("/forms", response={200: list[dict[str, Any]], **API_ERRORS}, summary="报表定义")
def list_forms(request: HttpRequest) -> Any:
    selectors.require_report_reader(_actor(request))
    return [f.as_dict() for f in all_forms()]


@router.get("/campaigns", response={200: PageOut[CampaignOut], **API_ERRORS}, summary="专项行动列表")
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilter], page: Query[PageQuery]) -> Any:
    actor = _actor(request)
    selectors.require_report_reader(actor)
    campaigns = selectors.campaign_search(actor=actor, q=filters.q, region_code=filters.region)
    return paged(campaigns, page, _campaign)


@router.post("/campaigns", response={201: CampaignOut, **API_ERRORS}, summary="发布专项行动")
def create_campaign(request: HttpRequest, data: CampaignIn) -> Any:
    return 201, _campaign(services.campaign_create(actor=_actor(request), data=data))


@router.get("/campaigns/{code}", response={200: CampaignOut, **API_ERRORS}, summary="专项行动详情")
def get_campaign(request: HttpRequest, code: str) -> Any:
    actor = _actor(request)
    selectors.require_report_reader(actor)
    return _campaign(selectors.campaign_get(actor=actor, code=code))


@router.put("/campaigns/{code}", response={200: CampaignOut, **API_ERRORS}, summary="修改专项行动")
def update_campaign(request: HttpRequest, code: str, data: CampaignIn) -> Any:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, code=code)
    return _campaign(services.campaign_update(actor=actor, campaign=campaign, data=data))


@router.get(
    "/campaigns/{code}/targets",
    response={200: TargetsOut, **API_ERRORS},
    summary="目标（本级设定或继承上级）",
)
def get_targets(request: HttpRequest, code: str, query: Query[TargetsQuery]) -> Any:
    region = query.region
    actor = _actor(request)
    selectors.require_report_reader(actor)
    campaign = selectors.campaign_get(actor=actor, code=code)
    if region and not (region.isdigit() and len(region) == 12):
        raise ValidationFailed("区划代码应为12位数字", fields={"region": ["区划代码应为12位数字"]})
    if not region:
        region = selectors.campaign_home_region(actor=actor, campaign=campaign)
    effective = selectors.effective_targets(actor=actor, campaign=campaign, region_code=region)
    return {
        "region_code": region,
        "effective": [
            {
                "indicator": t.indicator,
                "segment": t.segment,
                "value": t.value,
                "set_in": t.region_code,
                "inherited": t.inherited,
            }
            for t in sorted(effective.values(), key=lambda t: (t.indicator, t.segment))
        ],
        "own": list(selectors.target_list(actor=actor, campaign=campaign)),
    }


@router.put("/campaigns/{code}/targets", response={200: TargetOut, **API_ERRORS}, summary="设定或分解目标")
def set_target(request: HttpRequest, code: str, data: TargetIn) -> Any:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, code=code)
    return services.target_set(actor=actor, campaign=campaign, data=data)


@router.delete(
    "/campaigns/{code}/targets/{target_id}",
    response={204: None, **API_ERRORS},
    summary="删除本级目标（恢复继承上级）",
)
def delete_target(request: HttpRequest, code: str, target_id: int) -> Any:
    actor = _actor(request)
    campaign = selectors.campaign_get(actor=actor, code=code)
    services.target_delete(
        actor=actor, target=selectors.target_get(actor=actor, campaign=campaign, pk=target_id)
    )
    return 204, None


# -- submissions -----------------------------------------------------------------------------


@router.get("/submissions", response={200: PageOut[SubmissionBriefOut], **API_ERRORS}, summary="报表填报列表")
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilter], page: Query[PageQuery]) -> Any:
    rows = selectors.submission_list(
        actor=_actor(request),
        form_code=filters.form,
        period_key=filters.period,
        region_code=filters.region,
        status=filters.status,
        q=filters.q,
    )
    return paged(rows, page)


@router.post(
    "/submissions", response={201: SubmissionOut, **API_ERRORS}, summary="打开（首次创建）本单位报表"
)
def open_submission(request: HttpRequest, data: SubmissionOpenIn) -> Any:
    actor = _actor(request)
    sub = services.submission_open(
        actor=actor,
        form_code=data.form,
        period_key=data.period,
        region_code=data.region,
        employer_id=data.employer,
    )
    return 201, _submission(actor, sub)


def _tagged(actor: Actor, response: HttpResponse, sub: Submission) -> dict[str, Any]:
    set_etag(response, sub)
    return _submission(actor, sub)


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **API_ERRORS}, summary="报表详情")
def get_submission(request: HttpRequest, response: HttpResponse, submission_id: int) -> Any:
    actor = _actor(request)
    return _tagged(actor, response, selectors.submission_get(actor=actor, pk=submission_id))


@router.put(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **VERSIONED_ERRORS},
    summary="保存报表（If-Match 过期答 412）",
    openapi_extra=IF_MATCH_DOC,
)
def save_submission(
    request: HttpRequest, response: HttpResponse, submission_id: int, data: SubmissionValuesIn
) -> Any:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=submission_id)
    saved = services.submission_save(
        actor=actor, submission=sub, data=data, expected_version=if_match(request)
    )
    return _tagged(actor, response, saved)


@router.post(
    "/submissions/{submission_id}/submit",
    response={200: SubmissionOut, **VERSIONED_ERRORS},
    summary="上报",
    openapi_extra=IF_MATCH_DOC,
)
def submit_submission(
    request: HttpRequest, response: HttpResponse, submission_id: int, data: SubmissionValuesIn | None = None
) -> Any:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=submission_id)
    done = services.submission_submit(
        actor=actor, submission=sub, data=data, expected_version=if_match(request)
    )
    return _tagged(actor, response, done)


@router.post(
    "/submissions/{submission_id}/approve",
    response={200: SubmissionOut, **VERSIONED_ERRORS},
    summary="审核通过",
    openapi_extra=IF_MATCH_DOC,
)
def approve_submission(request: HttpRequest, response: HttpResponse, submission_id: int) -> Any:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=submission_id)
    done = services.submission_approve(actor=actor, submission=sub, expected_version=if_match(request))
    return _tagged(actor, response, done)


@router.post(
    "/submissions/{submission_id}/return",
    response={200: SubmissionOut, **VERSIONED_ERRORS},
    summary="退回",
    openapi_extra=IF_MATCH_DOC,
)
def return_submission(
    request: HttpRequest, response: HttpResponse, submission_id: int, data: ReasonIn
) -> Any:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=submission_id)
    done = services.submission_return(
        actor=actor, submission=sub, reason=data.reason, expected_version=if_match(request)
    )
    return _tagged(actor, response, done)


@router.post(
    "/submissions/{submission_id}/unlock",
    response={200: SubmissionOut, **VERSIONED_ERRORS},
    summary="解锁更正",
    openapi_extra=IF_MATCH_DOC,
)
def unlock_submission(
    request: HttpRequest, response: HttpResponse, submission_id: int, data: ReasonIn
) -> Any:
    actor = _actor(request)
    sub = selectors.submission_get(actor=actor, pk=submission_id)
    done = services.submission_unlock(
        actor=actor, submission=sub, reason=data.reason, expected_version=if_match(request)
    )
    return _tagged(actor, response, done)


# -- who is late -----------------------------------------------------------------------------


def _completeness(g: Any) -> dict[str, Any]:
    return {
        "region_code": g.region,
        "name": g.name,
        "expected": g.expected,
        "submitted": g.submitted,
        "on_time": g.on_time,
        "completeness": g.completeness,
        "on_time_rate": g.on_time_rate,
        "missing": g.missing,
        "note": g.note,
    }


def _status_row(r: Any) -> dict[str, Any]:
    return {
        "unit_key": r.unit.key,
        "unit_name": r.unit.name,
        "region_code": r.unit.region_code,
        "employer_id": r.unit.employer_id,
        "status": r.status,
        "submission_id": r.submission.pk if r.submission else None,
        "submitted_at": r.submission.submitted_at if r.submission else None,
        "deadline": r.deadline,
        "days_late": r.days_late,
    }


@router.get("/status", response={200: StatusOut, **API_ERRORS}, summary="报送进度（催报）")
def status(request: HttpRequest, query: Query[StatusQuery]) -> Any:
    form, period, region = query.form, query.period, query.region
    actor = _actor(request)
    selectors.require_report_reader(actor)
    report_form = get_form(form)
    found, campaign = selectors.resolve_period(actor=actor, form=report_form, key=period)
    if not region:
        mine = jurisdiction_regions(actor)
        if not mine:
            raise ValidationFailed("请指定地区", fields={"region": ["请指定地区"]})
        region = mine[0].code
    if not (region.isdigit() and len(region) == 12):
        raise ValidationFailed("区划代码应为12位数字", fields={"region": ["区划代码应为12位数字"]})
    board = selectors.status_board(
        actor=actor, form=report_form, period=found, campaign=campaign, region_code=region
    )
    return {
        "form": report_form.code,
        "period": found.key,
        "region_code": board.region_code,
        "level": board.level.value,
        "deadline": board.deadline,
        "rows": [_status_row(r) for r in board.rows],
        "late": [_status_row(r) for r in board.late],
        "by_region": [_completeness(g) for g in board.by_region],
        "total": _completeness(board.totals),
    }
