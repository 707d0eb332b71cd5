"""Demo step: 2026年春暖行动 (CN2026) issued by 松原市, its targets, and reports through the chain.

Runs after the employers, workers and accounts steps (it acts as the demo officers). Everything is
written by the real services, acting as the officer who would do it.

The campaign is placed around the day the demo is loaded (``timezone.localdate()``, see
:func:`plan`), so a new user always finds it in progress:

- window: from the 旬 that holds the day ``LEAD_DAYS`` days ago to the end of next month (no later
  than the last day the working-day calendar knows, while today is within it); four stages over it;
- 基层表 (CN_CONTRACT_BASE): due ``BASE_DUE_WORKING_DAYS`` working days from today. 宁江区's township
  officers have filed most employers' forms in the last weeks (the county approved or returned
  them; some wait for approval, some are drafts, some not begun); the demo clerk's own employer is
  left unfilled, so the clerk finds it due on their home. Townships have sent interim summaries
  (two have not), the county its own, approved by the city;
- 旬报调度表 and 返乡就业月报 for every 旬 / month of the window that is over: filed and approved
  on time or a day or two late; in the last one whose deadline has passed, 团结街道 (a demo account)
  and a few others have only a draft — late by days; periods whose deadline is still ahead are
  partly in; the current period is not over yet.

Deadlines are the app's own (``selectors.deadline_for``, Chinese working days). chinese-calendar
knows holidays only to the end of its last year: a period whose deadline it cannot compute is
skipped, and near that end the base deadline moves earlier (:func:`plan`), so loading never fails
for the calendar. After each service call the step moves the timestamps the service wrote
(submitted, decided, the submission's events) to their moment in this story, never later than
now; the audit log keeps the real time of the load.

Idempotent: if the campaign exists, nothing is done.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.auth import actor_for_user
from chunnuan.access.permissions import ROLE_DEFAULTS
from chunnuan.accounts.models import User
from chunnuan.core.errors import DomainError, ValidationFailed
from chunnuan.employers.models import Employer
from chunnuan.regions.models import Region
from chunnuan.reporting import selectors, services
from chunnuan.reporting.definitions import UnitLevel, get_form
from chunnuan.reporting.models import Campaign, Submission, SubmissionEvent
from chunnuan.reporting.periods import (
    LOCAL_TZ,
    Period,
    PeriodKind,
    add_working_days,
    is_working_day,
    month_period,
    period_containing,
    periods_between,
)
from chunnuan.reporting.types import CampaignFormIn, CampaignIn, StageIn, SubmissionValuesIn, TargetIn

CODE = "CN2026"
NAME = "2026年春暖行动"
CITY = "220700000000"
COUNTY = "220702000000"  # 宁江区
TOWNSHIP = "220702001000"  # 团结街道 (the demo township officer's; late in the last 旬)
LEAD_DAYS = 50  # the window starts this many days before today (at that 旬's first day)
BASE_DUE_WORKING_DAYS = 5  # the base form is due this many working days after today
# a base form's fate: < .18 not begun, < .28 draft, < .38 returned, < .5 awaiting approval, else approved
SHOWN_FATES = (0.9, 0.3, 0.45, 0.2, 0.1, 0.7)
LATE_DAYS = 16  # a period past its deadline by at most this many days still has late drafts
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


def _known(day: dt.date, working_days: int = 0) -> bool:
    """Whether the calendar can count ``working_days`` working days from ``day``."""
    try:
        add_working_days(day, working_days)
        is_working_day(day)
    except ValidationFailed:
        return False
    return True


def calendar_end(today: dt.date) -> dt.date | None:
    """The last day the working-day calendar knows, if it knows today's year."""
    year = today.year
    if not _known(dt.date(year, 12, 31)):
        return None
    while _known(dt.date(year + 1, 12, 31)):
        year += 1
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Plan:
    """Where the demo campaign sits around ``today``."""

    today: dt.date
    start: dt.date
    end: dt.date
    base_deadline: dt.date
    summaries: bool  # the summary forms' deadlines (base deadline + the levels' lags) are known

    @property
    def summary_deadline(self) -> dt.date | None:
        """The townships' summaries are due one level's lag after the base form (the county's and
        the city's each a lag later, by the form's declaration); None when the calendar cannot tell."""
        if not self.summaries:
            return None
        return add_working_days(self.base_deadline, get_form("CN_CONTRACT_SUMMARY").level_lag_working_days)

    def stages(self) -> list[StageIn]:
        """宣传发动 (ten days), 摸底/自查 and 检查整改 (halves of the middle), 总结验收 (ten days)."""
        mobilised = self.start + dt.timedelta(days=9)
        concluding = self.end - dt.timedelta(days=9)
        middle = mobilised + (concluding - mobilised) / 2
        return [
            StageIn(kind="mobilise", start_date=self.start, end_date=mobilised, note="召开动员会，宣传政策"),
            StageIn(
                kind="survey",
                start_date=mobilised + dt.timedelta(days=1),
                end_date=middle,
                note="用人单位自查，乡镇（街道）摸底",
            ),
            StageIn(
                kind="inspect",
                start_date=middle + dt.timedelta(days=1),
                end_date=concluding - dt.timedelta(days=1),
                note="县（市、区）抽查，督促整改",
            ),
            StageIn(kind="conclude", start_date=concluding, end_date=self.end, note="逐级汇总，总结验收"),
        ]


def plan(today: dt.date) -> Plan:
    """The campaign window and base-form deadline for a demo loaded on ``today``.

    The base form is due ``BASE_DUE_WORKING_DAYS`` working days ahead, with the summaries' chain of
    deadlines after it known to the calendar; near the calendar's end, fewer days ahead; failing
    that, ahead without the summaries (they are then not filed); on the calendar's last day, today;
    beyond the calendar (where no period's deadline can be computed) a week from today."""
    start = period_containing(PeriodKind.DEKAD, today - dt.timedelta(days=LEAD_DAYS)).start
    following = today.replace(day=28) + dt.timedelta(days=5)
    end = month_period(following.year, following.month).end
    last = calendar_end(today)
    if last is not None and today <= last:
        end = min(end, last)
    summary = get_form("CN_CONTRACT_SUMMARY")
    chain = summary.level_lag_working_days * len(summary.levels)
    ahead = [d for k in range(BASE_DUE_WORKING_DAYS, 0, -1) if (d := _ahead(today, k)) is not None]
    for day, summaries in [*((d, True) for d in ahead), *((d, False) for d in ahead)]:
        if not summaries or _known(day, chain):
            return Plan(today, start, end, day, summaries)
    if _known(today):  # the calendar's last day: due today
        return Plan(today, start, end, today, _known(today, chain))
    return Plan(today, start, end, today + dt.timedelta(days=7), False)  # a fixed date needs no calendar


def _ahead(today: dt.date, working_days: int) -> dt.date | None:
    try:
        return add_working_days(today, working_days)
    except ValidationFailed:
        return None


def campaign_data(p: Plan) -> CampaignIn:
    return CampaignIn(
        code=CODE,
        name=NAME,
        region_code=CITY,
        start_date=p.start,
        end_date=p.end,
        focus_sections=["C", "E", "H"],
        description="在全市开展农民工劳动合同签订春暖行动，重点推进制造业、建筑业、住宿和餐饮业用人单位依法签订劳动合同、"
        "办理用工备案、参加社会保险；做好返乡农民工服务保障，每旬报送调度情况，每月报送返乡农民工就业情况。",
        stages=p.stages(),
        forms=[
            CampaignFormIn(form_code="CN_CONTRACT_BASE", deadline=p.base_deadline),
            CampaignFormIn(form_code="CN_CONTRACT_SUMMARY", deadline=p.summary_deadline),
            CampaignFormIn(form_code="SF_DISPATCH"),
            CampaignFormIn(form_code="SF_DISPATCH_SUMMARY"),
            CampaignFormIn(form_code="RETURNEE_EMPLOYMENT"),
            CampaignFormIn(form_code="RETURNEE_EMPLOYMENT_SUMMARY"),
        ],
    )


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


class _Story:
    """Runs service calls and moves what each wrote to its moment in the story (never after now)."""

    def __init__(self) -> None:
        self.calls = 0
        self.latest = timezone.now() - dt.timedelta(minutes=5)

    def moment(self, when: dt.datetime, *, after: dt.datetime | None = None) -> dt.datetime:
        moment = min(when, self.latest)
        return max(moment, after) if after is not None else moment

    def run(self, when: dt.datetime, call: Callable[..., T], **kwargs: Any) -> T:
        when = self.moment(when)
        mark = timezone.now()
        result = call(**kwargs)
        self.calls += 1
        SubmissionEvent.plain.filter(at__gte=mark).update(at=when)
        if isinstance(result, Submission):
            if call is services.submission_submit:
                Submission.plain.filter(pk=result.pk).update(submitted_at=when)
                result.submitted_at = when
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
    p = plan(timezone.localdate())
    with transaction.atomic():
        counts = _load(users, random.Random(SEED), p)
    stdout.write(
        f"专项行动: {CODE}（{p.start:%Y-%m-%d} 至 {p.end:%Y-%m-%d}，基层表 {p.base_deadline:%Y-%m-%d} 截止），"
        f"基层表 {counts['base']} 份（退回 {counts['returned']}，草稿 {counts['draft']}，未报 {counts['missing']}），"
        f"乡镇汇总 {counts['township']} 份，旬报 {counts['dispatch']} 份，返乡就业月报 {counts['returnee']} 份，"
        f"逾期未报 {counts['late']} 份"
    )


def _load(users: dict[str, User], gen: random.Random, p: Plan) -> dict[str, int]:
    city = actor_for_user(users["songyuan_city"])
    county = actor_for_user(users["ningjiang_county"])
    campaign = services.campaign_create(actor=city, data=campaign_data(p))
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
    counts = dict.fromkeys(
        ("base", "returned", "draft", "missing", "township", "dispatch", "returnee", "late"), 0
    )
    chain = _Chain(campaign, townships, actors, county, city, users, story, gen, counts, p)
    chain.contract_forms()
    chain.periodic_forms("SF_DISPATCH", "SF_DISPATCH_SUMMARY", "dispatch", chain.dispatch_values)
    chain.periodic_forms(
        "RETURNEE_EMPLOYMENT", "RETURNEE_EMPLOYMENT_SUMMARY", "returnee", chain.returnee_values
    )
    return counts


@dataclass
class _Chain:
    """The reports of 宁江区 and its townships up to the city, in the story of ``p``."""

    campaign: Campaign
    townships: list[Region]
    actors: dict[str, Actor]
    county: Actor
    city: Actor
    users: dict[str, User]
    story: _Story
    gen: random.Random
    counts: dict[str, int]
    p: Plan

    def submit_summary(
        self,
        *,
        filler: Actor,
        approver: Actor | None,
        form_code: str,
        period_key: str,
        region_code: str,
        when: dt.datetime,
        note: str,
    ) -> Submission | None:
        try:
            sub = services.submission_open(
                actor=filler, form_code=form_code, period_key=period_key, region_code=region_code
            )
            data = SubmissionValuesIn(
                filler_name=_filler(filler, self.users),
                missing_note=(note or "部分下级尚未上报，已催报") if sub.missing else "",
            )
            sub = self.story.run(when, services.submission_submit, actor=filler, submission=sub, data=data)
            if approver is not None:
                sub = self.story.run(
                    when + dt.timedelta(hours=5), services.submission_approve, actor=approver, submission=sub
                )
        except DomainError:  # e.g. a deadline the calendar cannot compute: left unfiled
            return None
        return sub

    # --- 春暖行动基层表 and its summaries --------------------------------------------------------

    def contract_forms(self) -> None:
        with_account = set(
            User.objects.filter(employer__isnull=False, is_active=True).values_list("employer_id", flat=True)
        )
        employers = list(
            Employer.objects.unscoped(reason="demo: the employers of 宁江区")
            .filter(region_code__startswith=COUNTY[:6])
            .exclude(pk__in=with_account)
            .order_by("id")
        )
        today, deadline = self.p.today, self.p.base_deadline
        for n, employer in enumerate(employers):
            filler = self.actors.get(employer.region_code[:9].ljust(12, "0"))
            fate = self.gen.random()
            if n < len(SHOWN_FATES):  # the first ones show every state, at any scale
                fate = SHOWN_FATES[n]
            days_ago = self.gen.randint(3, 20)
            hour, minute = self.gen.randint(8, 17), self.gen.randint(0, 59)
            if filler is None or fate < 0.18:
                self.counts["missing"] += 1  # not begun: due soon (or, past the deadline, late)
                continue
            try:
                sub = services.submission_open(
                    actor=filler,
                    form_code="CN_CONTRACT_BASE",
                    period_key=self.campaign.code,
                    employer_id=employer.pk,
                )
            except DomainError:
                self.counts["missing"] += 1
                continue
            if fate < 0.28:
                self.counts["draft"] += 1
                continue
            day = today - dt.timedelta(days=days_ago)
            if deadline < today and day > deadline and fate >= 0.4:
                day = deadline - dt.timedelta(days=days_ago % 5)  # most were in before the deadline
            try:
                sub = self.story.run(
                    _at(day, hour, minute),
                    services.submission_submit,
                    actor=filler,
                    submission=sub,
                    data=SubmissionValuesIn(filler_name=_filler(filler, self.users)),
                )
            except DomainError:  # the roster's figures do not pass the form's rules: left as a draft
                self.counts["draft"] += 1
                continue
            self.counts["base"] += 1
            decided = _at(day + dt.timedelta(days=1), 11)
            if fate < 0.38:
                self.story.run(
                    decided,
                    services.submission_return,
                    actor=self.county,
                    submission=sub,
                    reason=self.gen.choice(RETURN_REASONS),
                )
                self.counts["returned"] += 1
            elif fate >= 0.5:  # the rest wait for the county
                self.story.run(decided, services.submission_approve, actor=self.county, submission=sub)
        if self.p.summaries:
            self.contract_summaries()

    def contract_summaries(self) -> None:
        """Interim summaries: all townships but two, the county's, approved up to the city."""
        yesterday = self.p.today - dt.timedelta(days=1)
        skipped = {t.code for t in self.townships[-3:-1]}  # two townships have not summed up yet
        for township in self.townships:
            if township.code in skipped:
                continue
            done = self.submit_summary(
                filler=self.actors[township.code],
                approver=self.county,
                form_code="CN_CONTRACT_SUMMARY",
                period_key=self.campaign.code,
                region_code=township.code,
                when=_at(yesterday - dt.timedelta(days=1), 9),
                note="个别单位尚未报送或被退回，已督促其在截止日前报送",
            )
            self.counts["township"] += done is not None
        missing = "、".join(t.name for t in self.townships if t.code in skipped)
        self.submit_summary(
            filler=self.county,
            approver=self.city,
            form_code="CN_CONTRACT_SUMMARY",
            period_key=self.campaign.code,
            region_code=COUNTY,
            when=_at(yesterday, 9),
            note=f"{missing}汇总表尚未上报，已催报；其余乡镇（街道）均已审核",
        )

    # --- 旬报调度表 and 返乡就业月报 -------------------------------------------------------------

    def dispatch_values(self, period: Period) -> dict[str, int]:
        trips = self.gen.randint(0, 4)
        return {
            "jobs_pushed": self.gen.randint(5, 40),
            "trainings": self.gen.randint(0, 30),
            "households_131": self.gen.randint(0, 20),
            "p2p_trips": trips,
            "p2p_passengers": trips * self.gen.randint(20, 45),
        }

    def returnee_values(self, period: Period) -> dict[str, int]:
        return {"in_training": self.gen.randint(0, 15)}

    def periodic_forms(
        self, form_code: str, summary_code: str, counter: str, values: Callable[[Period], dict[str, int]]
    ) -> None:
        """Every period of the window that is over and whose deadline the calendar knows: the
        townships' forms (late drafts in the last period past its deadline) and the county's."""
        form, summary = get_form(form_code), get_form(summary_code)
        today = self.p.today
        dated: list[tuple[Period, dt.date]] = []
        for period in periods_between(form.period_kind, self.p.start, self.p.end):
            if period.end >= today:
                break  # the current period is not over yet
            try:
                deadline = selectors.deadline_for(
                    form=form, period=period, level=UnitLevel.TOWNSHIP, campaign=self.campaign
                )
            except ValidationFailed:
                continue
            dated.append((period, deadline))
        last_passed = max((p.end for p, d in dated if d < today), default=None)
        for period, deadline in dated:
            for township in self.townships:
                self.township_form(
                    form_code, period, deadline, township, values(period), counter, period.end == last_passed
                )
            try:
                county_due = selectors.deadline_for(
                    form=summary, period=period, level=UnitLevel.COUNTY, campaign=self.campaign
                )
            except ValidationFailed:
                continue
            if county_due < today:
                self.submit_summary(
                    filler=self.county,
                    approver=self.city,
                    form_code=summary_code,
                    period_key=period.key,
                    region_code=COUNTY,
                    when=_at(county_due, 10),
                    note="个别乡镇（街道）本期未报，已电话催报",
                )

    def township_form(
        self,
        form_code: str,
        period: Period,
        deadline: dt.date,
        township: Region,
        entered: dict[str, int],
        counter: str,
        last_passed: bool,
    ) -> None:
        today, roll = self.p.today, self.gen.random()
        filler = self.actors[township.code]
        first = period.end + dt.timedelta(days=1)
        if deadline >= today:  # still due: about half are in already
            if roll < 0.5:
                return
            when = _at(min(first + dt.timedelta(days=int(roll * 3)), today), 15)
        elif (
            last_passed
            and (today - deadline).days <= LATE_DAYS
            and (township.code == TOWNSHIP or roll < 0.15)
        ):
            try:  # opened, not sent: late by days
                services.submission_open(
                    actor=filler, form_code=form_code, period_key=period.key, region_code=township.code
                )
            except DomainError:
                return
            self.counts["late"] += 1
            return
        elif roll < 0.12:  # in a day or two late
            when = _at(deadline + dt.timedelta(days=1 + int(roll * 10) % 2), 10)
        else:
            when = _at(max(first, deadline - dt.timedelta(days=int(roll * 10) % 3)), 16)
        try:
            sub = services.submission_open(
                actor=filler, form_code=form_code, period_key=period.key, region_code=township.code
            )
            sub = self.story.run(
                when,
                services.submission_submit,
                actor=filler,
                submission=sub,
                data=SubmissionValuesIn(values=dict(entered), filler_name=_filler(filler, self.users)),
            )
            approved = self.story.moment(when + dt.timedelta(hours=18), after=sub.submitted_at)
            self.story.run(approved, services.submission_approve, actor=self.county, submission=sub)
        except DomainError:
            return
        self.counts[counter] += 1


__all__ = ["CODE", "Plan", "calendar_end", "campaign_data", "load", "plan"]
