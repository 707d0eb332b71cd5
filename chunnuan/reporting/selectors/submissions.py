"""Submissions in reach: lookups, lists, history, the actions offered on one, those awaiting the
officer's decision and the reports the actor is expected to fill now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import get_visible
from chunnuan.core.errors import ValidationFailed
from chunnuan.employers.models import Employer
from chunnuan.reporting.choices import IN_STATUSES, SubmissionStatus
from chunnuan.reporting.definitions import LEVEL_ORDER, FormDef, UnitLevel, get_form
from chunnuan.reporting.models import Campaign, Submission
from chunnuan.reporting.periods import Period, PeriodKind, periods_between
from chunnuan.reporting.selectors.campaigns import (
    campaign_forms,
    campaign_list,
    campaign_period,
    deadline_for,
)
from chunnuan.reporting.selectors.reach import _prefix
from chunnuan.reporting.units import UNIT_DEPTH, Unit, employer_unit, region_unit


def submission_get(*, actor: Actor, pk: Any) -> Submission:
    require_report_reader(actor)
    return get_visible(actor, Submission, pk=pk)


def require_report_reader(actor: Actor) -> None:
    """Reading reports needs either filling them or reading dashboards (leaders, integration)."""
    if not (actor.can(Perm.FILL_REPORTS) or actor.can(Perm.VIEW_DASHBOARDS)):
        actor.require(Perm.FILL_REPORTS)


def submission_list(
    *,
    actor: Actor,
    form_code: str = "",
    period_key: str = "",
    region_code: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Submission]:
    require_report_reader(actor)
    rows = Submission.objects.visible_to(actor).select_related("campaign", "employer")
    if form_code:
        rows = rows.filter(form_code=form_code)
    if period_key:
        rows = rows.filter(period_key=period_key)
    if region_code.strip():
        if not region_code.isdigit():
            raise ValidationFailed("区划代码应为数字", fields={"region": ["区划代码应为数字"]})
        rows = rows.filter(region_code__startswith=_prefix(region_code))
    if status:
        if status not in SubmissionStatus.values:
            raise ValidationFailed("状态不正确", fields={"status": ["状态不正确"]})
        rows = rows.filter(status=status)
    if q.strip():
        rows = rows.filter(unit_name__icontains=q.strip())
    return rows.order_by("form_code", "-period_key", "region_code", "unit_key")


def submission_for(*, actor: Actor, form: FormDef, period: Period, unit: Unit) -> Submission | None:
    return (
        Submission.objects.visible_to(actor)
        .filter(form_code=form.code, period_key=period.key, unit_key=unit.key)
        .first()
    )


def submission_events(*, actor: Actor, submission: Submission) -> QuerySet[Any]:
    """The history (填报记录) of a submission already in reach, oldest first."""
    from chunnuan.reporting.models import SubmissionEvent

    return (
        SubmissionEvent.objects.visible_to(actor)
        .filter(submission=submission)
        .select_related("actor_user")
        .order_by("at", "id")
    )


@dataclass
class SubmissionActions:
    may_edit: bool
    may_decide: bool


def submission_actions(*, actor: Actor, submission: Submission) -> SubmissionActions:
    """What the actor may be offered on a submission's page (the services check again)."""
    from chunnuan.reporting.choices import EDITABLE_STATUSES

    editable = submission.status in EDITABLE_STATUSES and actor.can(Perm.FILL_REPORTS)
    if actor.employer_id and not actor.is_region_actor:
        may_edit = editable and submission.employer_id == actor.employer_id
    else:
        may_edit = editable and actor.is_region_actor and actor.covers(submission.region_code)
    depth = UNIT_DEPTH[UnitLevel(submission.level)]
    oversees = actor.is_region_actor and any(
        submission.region_code.startswith(p) and len(p) < depth for p in actor.region_prefixes
    )
    may_decide = (
        actor.can(Perm.APPROVE_REPORTS)
        and oversees
        and submission.status in (*IN_STATUSES,)
        and not (submission.submitted_by_id is not None and submission.submitted_by_id == actor.user_id)
    )
    return SubmissionActions(may_edit=may_edit, may_decide=may_decide)


def awaiting_approval(*, actor: Actor) -> QuerySet[Submission]:
    """Submissions waiting for this officer's decision: submitted, in reach, one level below."""
    if not (actor.is_region_actor and actor.can(Perm.APPROVE_REPORTS)):
        return Submission.objects.none()
    levels = {UNIT_DEPTH[lv]: lv for lv in LEVEL_ORDER}
    q = Q(pk__in=[])
    for prefix in actor.region_prefixes:
        depth = len(prefix)
        own = next((lv for d, lv in levels.items() if d == depth), None)
        if own is None or own is UnitLevel.EMPLOYER:
            continue
        below = LEVEL_ORDER[LEVEL_ORDER.index(own) - 1]
        q |= Q(region_code__startswith=prefix, level=below)
    rows = Submission.objects.visible_to(actor).filter(q, status=SubmissionStatus.SUBMITTED)
    if actor.user_id is not None:
        rows = rows.exclude(submitted_by_id=actor.user_id)
    return rows.order_by("deadline", "form_code", "region_code")


@dataclass
class ExpectedReport:
    form: FormDef
    period: Period
    campaign: Campaign | None
    unit: Unit
    deadline: dt.date
    submission: Submission | None

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "missing"


def expected_reports(*, actor: Actor, today: dt.date, horizon_days: int = 30) -> list[ExpectedReport]:
    """The forms and periods the actor is expected to fill now: of campaigns in reach whose window
    covers today or whose deadlines fall within ``horizon_days`` of today — and anything overdue
    from the past year that is still not in (a late unit must keep seeing what it owes)."""
    from chunnuan.regions.selectors import jurisdiction_regions

    if not actor.can(Perm.FILL_REPORTS):
        return []
    if actor.employer_id and not actor.is_region_actor:
        units = [employer_unit(get_visible(actor, Employer, pk=actor.employer_id))]
    else:
        units = [u for r in jurisdiction_regions(actor) if (u := region_unit(r)) is not None]
    if not units:
        return []
    window = dt.timedelta(days=horizon_days)
    campaigns = campaign_list(actor=actor).filter(
        start_date__lte=today + window, end_date__gte=today - dt.timedelta(days=365)
    )
    found: list[ExpectedReport] = []
    for campaign in campaigns:
        for cf in campaign_forms(campaign):
            try:
                form = get_form(cf.form_code)
            except ValidationFailed:
                continue
            for unit in units:
                if unit.level not in form.levels:
                    continue
                if form.period_kind is PeriodKind.CAMPAIGN:
                    periods = [campaign_period(campaign)]
                else:
                    periods = periods_between(form.period_kind, campaign.start_date, campaign.end_date)
                for period in periods:
                    try:
                        deadline = deadline_for(form=form, period=period, level=unit.level, campaign=campaign)
                    except ValidationFailed:
                        continue
                    current = period.start <= today <= period.end
                    due_soon = abs((deadline - today).days) <= horizon_days and period.start <= today
                    if current or due_soon or deadline < today:
                        found.append(ExpectedReport(form, period, campaign, unit, deadline, None))
    if found:
        keys = {(e.form.code, e.period.key, e.unit.key) for e in found}
        subs = Submission.objects.visible_to(actor).filter(
            form_code__in={k[0] for k in keys}, period_key__in={k[1] for k in keys}
        )
        by_key = {(s.form_code, s.period_key, s.unit_key): s for s in subs}
        for e in found:
            e.submission = by_key.get((e.form.code, e.period.key, e.unit.key))
        recent = today - window
        found = [
            e
            for e in found
            if e.deadline >= recent or e.submission is None or e.submission.status not in IN_STATUSES
        ]
    return sorted(found, key=lambda e: (e.deadline, e.form.code, e.unit.key))
