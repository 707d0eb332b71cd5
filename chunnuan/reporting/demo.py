"""Demo step: 2026年春暖行动 (CN2026) issued by 松原市, its targets, and reports through the chain.

Runs after the employers, workers and accounts steps (it acts as the demo officers). Everything is
written by the real services, acting as the officer who would do it: 宁江区's township officers fill
the base forms of employers without an account (the demo clerk's own employer is left unfilled, so
the clerk can file it in the walk-through), the county approves or returns them; townships submit
their summaries and 旬 dispatch tables, the county approves them and files its own summaries, which
the city approves. Some employers are late, a few are returned, a few never file.

The campaign ran January–March 2026, so after each service call the step moves the timestamps the
service wrote (submitted, decided, the submission's events) to a plausible moment of that spring —
otherwise every form would look months late. The audit log keeps the real time of the load.

Idempotent: if the campaign exists, nothing is done.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.auth import actor_for_user
from chunnuan.access.permissions import ROLE_DEFAULTS
from chunnuan.accounts.models import User
from chunnuan.core.errors import DomainError
from chunnuan.employers.models import Employer
from chunnuan.regions.models import Region
from chunnuan.reporting import services
from chunnuan.reporting.models import Campaign, Submission, SubmissionEvent
from chunnuan.reporting.periods import LOCAL_TZ, PeriodKind, periods_between
from chunnuan.reporting.types import CampaignFormIn, CampaignIn, StageIn, SubmissionValuesIn, TargetIn

CODE = "CN2026"
CITY = "220700000000"
COUNTY = "220702000000"  # 宁江区
TOWNSHIP = "220702001000"  # 团结街道
START, END = dt.date(2026, 1, 5), dt.date(2026, 3, 31)
SEED = 20260105
T = TypeVar("T")

CITY_TARGETS = [
    ("contract_signing_rate", "all", 90),
    ("contract_signing_rate", "above_scale", 90),
    ("contract_signing_rate", "small_micro", 70),
    ("contract_signing_rate", "industrial_park", 90),
    ("contract_signing_rate", "other_urban", 92),
    ("insured_rate", "all", 85),
    ("filing_rate", "all", 95),
    ("returnee_employment_rate", "all", 80),
    ("report_completeness", "all", 100),
]
RETURN_REASONS = [
    "参加社会保险人数与社保系统数据不符，请核实后重新上报",
    "应签订劳动合同人数与在岗职工人数不符，请说明",
    "已办理用工备案人数有误，请核对备案系统",
]


def campaign_data() -> CampaignIn:
    return CampaignIn(
        code=CODE,
        name="2026年春暖行动",
        region_code=CITY,
        start_date=START,
        end_date=END,
        focus_sections=["C", "E", "H"],
        description="在全市开展农民工劳动合同签订春暖行动，重点推进制造业、建筑业、住宿和餐饮业用人单位依法签订劳动合同、"
        "办理用工备案、参加社会保险；春节期间做好返乡农民工服务保障，每旬报送调度情况。",
        stages=[
            StageIn(
                kind="mobilise", start_date=START, end_date=dt.date(2026, 1, 15), note="召开动员会，宣传政策"
            ),
            StageIn(
                kind="survey",
                start_date=dt.date(2026, 1, 16),
                end_date=dt.date(2026, 2, 28),
                note="用人单位自查，乡镇（街道）摸底",
            ),
            StageIn(
                kind="inspect",
                start_date=dt.date(2026, 3, 1),
                end_date=dt.date(2026, 3, 20),
                note="县（市、区）抽查，督促整改",
            ),
            StageIn(
                kind="conclude", start_date=dt.date(2026, 3, 21), end_date=END, note="逐级汇总，总结验收"
            ),
        ],
        forms=[
            CampaignFormIn(form_code="CN_CONTRACT_BASE", deadline=dt.date(2026, 4, 3)),
            CampaignFormIn(form_code="CN_CONTRACT_SUMMARY"),
            CampaignFormIn(form_code="SF_DISPATCH"),
            CampaignFormIn(form_code="SF_DISPATCH_SUMMARY"),
            CampaignFormIn(form_code="RETURNEE_EMPLOYMENT"),
            CampaignFormIn(form_code="RETURNEE_EMPLOYMENT_SUMMARY"),
        ],
    )


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


class _Story:
    """Runs service calls and moves what each wrote to the moment of the demo's story."""

    def __init__(self) -> None:
        self.calls = 0

    def run(self, when: dt.datetime, call: Callable[..., T], **kwargs: Any) -> T:
        mark = timezone.now()
        result = call(**kwargs)
        self.calls += 1
        SubmissionEvent.plain.filter(at__gte=mark).update(at=when)
        if isinstance(result, Submission):
            if call is services.submission_submit:
                Submission.plain.filter(pk=result.pk).update(submitted_at=when)
            elif call in (services.submission_approve, services.submission_return):
                Submission.plain.filter(pk=result.pk).update(decided_at=when)
        return result


def _township_actor(region: Region, users: dict[str, User]) -> Actor:
    """The township's demo officer, or (where the demo has no account) its labour office."""
    for user in users.values():
        if [r.code for r in user.regions.all()] == [region.code]:
            return actor_for_user(user)
    return Actor(
        kind=ActorKind.OFFICER,
        label=f"{region.name}劳动保障所（演示）",
        region_prefixes=(region.scope_prefix,),
        permissions=frozenset(str(p) for p in ROLE_DEFAULTS["township_officer"][2]),
    )


def _filler(actor: Actor, users: dict[str, User]) -> str:
    user = next((u for u in users.values() if u.pk == actor.user_id), None)
    return (user.full_name if user else actor.label.replace("（演示）", ""))[:60]


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
    if Campaign.objects.unscoped(reason="demo: is the campaign there").filter(code=CODE).exists():
        stdout.write(f"专项行动: {CODE}（已存在）")
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["songyuan_city", "ningjiang_county", "tuanjie_township", "wenhua_township"]
        ).prefetch_related("roles", "regions")
    }
    if len(users) < 4 or not Region.objects.filter(code=COUNTY, valid_to__isnull=True).exists():
        stdout.write("专项行动: 跳过（缺少演示账号或区划）")
        return
    with transaction.atomic():
        counts = _load(users, random.Random(SEED))
    stdout.write(
        f"专项行动: {CODE}，基层表 {counts['base']} 份（退回 {counts['returned']}，未报 {counts['missing']}），"
        f"乡镇汇总 {counts['township']} 份，旬报 {counts['dispatch']} 份，返乡就业月报 {counts['returnee']} 份"
    )


def _load(users: dict[str, User], gen: random.Random) -> dict[str, int]:
    city = actor_for_user(users["songyuan_city"])
    county = actor_for_user(users["ningjiang_county"])
    campaign = services.campaign_create(actor=city, data=campaign_data())
    for indicator, segment, value in CITY_TARGETS:
        services.target_set(
            actor=city,
            campaign=campaign,
            data=TargetIn(region_code=CITY, indicator=indicator, segment=segment, value=value),
        )
    services.target_set(
        actor=city,
        campaign=campaign,
        data=TargetIn(
            region_code=COUNTY,
            indicator="contract_signing_rate",
            value=92,
            note="宁江区为全市重点区，目标上浮",
        ),
    )
    services.target_set(
        actor=county,
        campaign=campaign,
        data=TargetIn(
            region_code=TOWNSHIP,
            indicator="contract_signing_rate",
            value=95,
            note="团结街道企业集中，目标分解",
        ),
    )
    townships = list(
        Region.objects.filter(parent__code=COUNTY, valid_to__isnull=True)
        .prefetch_related("children")
        .order_by("code")
    )
    actors = {t.code: _township_actor(t, users) for t in townships}
    story = _Story()
    counts = {"base": 0, "returned": 0, "missing": 0, "township": 0, "dispatch": 0, "returnee": 0}
    _contract_forms(campaign, townships, actors, county, city, users, story, gen, counts)
    _dispatch_forms(townships, actors, county, city, users, story, gen, counts)
    _returnee_forms(townships, actors, county, city, users, story, gen, counts)
    return counts


def _submit_summary(
    story: _Story,
    *,
    filler: Actor,
    approver: Actor | None,
    users: dict[str, User],
    form_code: str,
    period_key: str,
    region_code: str,
    when: dt.datetime,
    note: str,
) -> Submission:
    sub = services.submission_open(
        actor=filler, form_code=form_code, period_key=period_key, region_code=region_code
    )
    data = SubmissionValuesIn(filler_name=_filler(filler, users), missing_note=note if sub.missing else "")
    if sub.missing and not note:
        data = SubmissionValuesIn(filler_name=_filler(filler, users), missing_note="部分下级尚未上报，已催报")
    sub = story.run(when, services.submission_submit, actor=filler, submission=sub, data=data)
    if approver is not None:
        sub = story.run(
            when + dt.timedelta(days=1), services.submission_approve, actor=approver, submission=sub
        )
    return sub


def _contract_forms(
    campaign: Campaign,
    townships: list[Region],
    actors: dict[str, Actor],
    county: Actor,
    city: Actor,
    users: dict[str, User],
    story: _Story,
    gen: random.Random,
    counts: dict[str, int],
) -> None:
    with_account = set(
        User.objects.filter(employer__isnull=False, is_active=True).values_list("employer_id", flat=True)
    )
    employers = list(
        Employer.objects.unscoped(reason="demo: the employers of 宁江区")
        .filter(region_code__startswith=COUNTY[:6])
        .exclude(pk__in=with_account)
        .order_by("id")
    )
    deadline = dt.date(2026, 4, 3)
    for employer in employers:
        filler = actors.get(employer.region_code[:9].ljust(12, "0"))
        fate = gen.random()
        if filler is None or fate < 0.07:
            counts["missing"] += 1
            continue
        late = 0.14 <= fate < 0.26
        submitted = (
            _at(deadline + dt.timedelta(days=gen.randint(1, 2)), 15)
            if late
            else _at(deadline - dt.timedelta(days=gen.randint(1, 12)), gen.randint(8, 17), gen.randint(0, 59))
        )
        sub = services.submission_open(
            actor=filler, form_code="CN_CONTRACT_BASE", period_key=campaign.code, employer_id=employer.pk
        )
        try:
            sub = story.run(
                submitted,
                services.submission_submit,
                actor=filler,
                submission=sub,
                data=SubmissionValuesIn(filler_name=_filler(filler, users)),
            )
        except DomainError:  # the roster's figures do not pass the form's rules: left as a draft
            counts["missing"] += 1
            continue
        counts["base"] += 1
        decided = submitted + dt.timedelta(hours=2 if late else 20)
        if 0.07 <= fate < 0.14:
            story.run(
                decided,
                services.submission_return,
                actor=county,
                submission=sub,
                reason=gen.choice(RETURN_REASONS),
            )
            counts["returned"] += 1
        else:
            story.run(decided, services.submission_approve, actor=county, submission=sub)
    skipped = {t.code for t in townships[-3:-1]}  # two townships have not summed up yet
    for township in townships:
        if township.code in skipped:
            continue
        when = _at(dt.date(2026, 4, 7), 16)
        _submit_summary(
            story,
            filler=actors[township.code],
            approver=county,
            users=users,
            form_code="CN_CONTRACT_SUMMARY",
            period_key=campaign.code,
            region_code=township.code,
            when=when,
            note="个别单位未报或被退回，已督促其尽快上报",
        )
        counts["township"] += 1
    missing = "、".join(t.name for t in townships if t.code in skipped)
    _submit_summary(
        story,
        filler=county,
        approver=city,
        users=users,
        form_code="CN_CONTRACT_SUMMARY",
        period_key=campaign.code,
        region_code=COUNTY,
        when=_at(dt.date(2026, 4, 10), 11),
        note=f"{missing}汇总表尚未上报，已催报；其余乡镇（街道）均已审核",
    )


def _township_form(
    story: _Story,
    *,
    filler: Actor,
    approver: Actor,
    users: dict[str, User],
    form_code: str,
    period_key: str,
    region_code: str,
    values: dict[str, int],
    when: dt.datetime,
    approved: dt.datetime,
) -> int:
    """A township's form for a period, submitted at ``when`` and approved by the county; 1 if in."""
    sub = services.submission_open(
        actor=filler, form_code=form_code, period_key=period_key, region_code=region_code
    )
    try:
        sub = story.run(
            when,
            services.submission_submit,
            actor=filler,
            submission=sub,
            data=SubmissionValuesIn(values=dict(values), filler_name=_filler(filler, users)),
        )
    except DomainError:
        return 0
    story.run(approved, services.submission_approve, actor=approver, submission=sub)
    return 1


def _dispatch_forms(
    townships: list[Region],
    actors: dict[str, Actor],
    county: Actor,
    city: Actor,
    users: dict[str, User],
    story: _Story,
    gen: random.Random,
    counts: dict[str, int],
) -> None:
    for period in periods_between(PeriodKind.DEKAD, START, END):
        festival = dt.date(2026, 2, 11) <= period.start <= dt.date(2026, 3, 10)
        for township in townships:
            if gen.random() < 0.05:
                continue  # this township missed this 旬
            trips = gen.randint(1, 4) if festival else 0
            entered = {
                "jobs_pushed": gen.randint(5, 40),
                "trainings": gen.randint(0, 30),
                "households_131": gen.randint(0, 20),
                "p2p_trips": trips,
                "p2p_passengers": trips * gen.randint(20, 45),
            }
            when = _at(period.end + dt.timedelta(days=1), 16)
            counts["dispatch"] += _township_form(
                story,
                filler=actors[township.code],
                approver=county,
                users=users,
                form_code="SF_DISPATCH",
                period_key=period.key,
                region_code=township.code,
                values=entered,
                when=when,
                approved=when + dt.timedelta(hours=18),
            )
        _submit_summary(
            story,
            filler=county,
            approver=city,
            users=users,
            form_code="SF_DISPATCH_SUMMARY",
            period_key=period.key,
            region_code=COUNTY,
            when=_at(period.end + dt.timedelta(days=3), 11),
            note="个别乡镇（街道）本旬未报，已电话催报",
        )


def _returnee_forms(
    townships: list[Region],
    actors: dict[str, Actor],
    county: Actor,
    city: Actor,
    users: dict[str, User],
    story: _Story,
    gen: random.Random,
    counts: dict[str, int],
) -> None:
    for period in periods_between(PeriodKind.MONTH, START, END):
        for township in townships:
            when = _at(period.end + dt.timedelta(days=3), 10)
            counts["returnee"] += _township_form(
                story,
                filler=actors[township.code],
                approver=county,
                users=users,
                form_code="RETURNEE_EMPLOYMENT",
                period_key=period.key,
                region_code=township.code,
                values={"in_training": gen.randint(0, 15)},
                when=when,
                approved=when + dt.timedelta(days=1),
            )
        _submit_summary(
            story,
            filler=county,
            approver=city,
            users=users,
            form_code="RETURNEE_EMPLOYMENT_SUMMARY",
            period_key=period.key,
            region_code=COUNTY,
            when=_at(period.end + dt.timedelta(days=8), 11),
            note="",
        )


__all__ = ["CODE", "campaign_data", "load"]
