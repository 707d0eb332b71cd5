"""The reporting demo step: CN2026 placed around the day it is loaded, with reports through the
chain, loaded once — on any day, including days whose later deadlines the calendar cannot compute."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Max

from chunnuan.access.auth import actor_for_user
from chunnuan.accounts.models import User
from chunnuan.employers.models import Employment
from chunnuan.reporting import demo, selectors, services
from chunnuan.reporting.choices import IN_STATUSES
from chunnuan.reporting.definitions import get_form
from chunnuan.reporting.models import Campaign, Submission, SubmissionEvent, Target
from chunnuan.reporting.periods import LOCAL_TZ, days_late
from chunnuan.workers.models import WorkerEvent


def _counts() -> tuple[int, int, int, int]:
    return (
        Campaign.objects.unscoped(reason="test").count(),
        Target.objects.unscoped(reason="test").count(),
        Submission.objects.unscoped(reason="test").count(),
        SubmissionEvent.objects.unscoped(reason="test").count(),
    )


def _on(day: str) -> time_machine.travel:
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=LOCAL_TZ), tick=False)


def test_demo_campaign_is_reported_up_to_the_city_and_loads_once(db):
    with _on("2026-12-04"):
        call_command("load_demo", scale=0.1, stdout=io.StringIO())
        first = _counts()
        assert first[0] == 1 and first[1] >= 10 and first[2] > 50
        call_command("load_demo", scale=0.1, stdout=io.StringIO())
        assert _counts() == first  # nothing created the second time

        city = actor_for_user(User.objects.get(username="songyuan_city"))
        campaign = selectors.campaign_get(actor=city, code="CN2026")
        form = get_form("CN_CONTRACT_SUMMARY")
        roll = selectors.rollup(
            actor=city,
            form=form,
            period=selectors.campaign_period(campaign),
            unit=selectors.unit_of_actor(actor=city, form=form, region_code="220700000000"),
        )
        assert roll.rows and (roll.totals["on_roll"] or 0) > 0
        # the clerk's base form opens with the roster's figures (系统数): people without a contract too
        clerk = User.objects.get(username="employer_clerk")
        opened = services.submission_open(
            actor=actor_for_user(clerk), form_code="CN_CONTRACT_BASE", period_key="CN2026"
        )
        assert opened.proposed["on_roll"] >= 10 and 0 < opened.proposed["signed"] < opened.proposed["due"]
        opened.delete()
        # the demo township officer owes the last 旬's dispatch table, a few days late
        township = actor_for_user(User.objects.get(username="tuanjie_township"))
        owed = selectors.expected_reports(actor=township, today=dt.date(2026, 12, 4))
        late = [
            e
            for e in owed
            if e.deadline < dt.date(2026, 12, 4)
            and (e.submission is None or e.submission.status not in IN_STATUSES)
        ]
        assert [(e.form.code, e.period.key) for e in late] == [("SF_DISPATCH", "2026-11D3")]
    subs = Submission.objects.unscoped(reason="test")
    county = subs.get(form_code="CN_CONTRACT_SUMMARY", period_key="CN2026", region_code="220702000000")
    assert county.status == "approved" and county.missing_note
    assert not subs.filter(
        form_code="CN_CONTRACT_BASE", employer_id=clerk.employer_id
    ).exists()  # the clerk files it
    base = set(subs.filter(form_code="CN_CONTRACT_BASE").values_list("status", flat=True))
    assert {"draft", "submitted", "returned"} <= base and base & {"approved", "locked"}
    # 旬报: every 旬 of the window whose county deadline has passed is summed up and approved
    dekads = subs.filter(form_code="SF_DISPATCH_SUMMARY", region_code="220702000000", status="approved")
    assert sorted(dekads.values_list("period_key", flat=True)) == [
        "2026-10D2", "2026-10D3", "2026-11D1", "2026-11D2", "2026-11D3"
    ]  # fmt: skip
    now = dt.datetime(2026, 12, 4, 9, tzinfo=LOCAL_TZ)
    assert subs.aggregate(Max("submitted_at"))["submitted_at__max"] <= now
    assert subs.aggregate(Max("decided_at"))["decided_at__max"] <= now
    assert SubmissionEvent.objects.unscoped(reason="test").aggregate(Max("at"))["at__max"] <= now


def _late(sub: Submission, now: dt.datetime) -> int:
    return days_late(sub.deadline, sub.submitted_at if sub.status in IN_STATUSES else None, now)


@pytest.mark.parametrize("day", ["2026-02-10", "2026-06-30", "2026-12-04", "2026-12-28"])
def test_demo_is_in_progress_on_the_day_it_is_loaded(db, day):
    today = dt.date.fromisoformat(day)
    now = dt.datetime.combine(today, dt.time(9), tzinfo=LOCAL_TZ)
    with _on(day):
        call_command("load_demo", scale=0.05, stdout=io.StringIO())
        clerk = User.objects.get(username="employer_clerk")
        expected = selectors.expected_reports(actor=actor_for_user(clerk), today=today)
    campaign = Campaign.objects.unscoped(reason="test").get(code="CN2026")
    assert campaign.start_date <= today <= campaign.end_date  # in progress
    subs = list(Submission.objects.unscoped(reason="test"))
    assert any(s.deadline >= today for s in subs)  # some still due
    late = [_late(s, now) for s in subs if s.deadline < today]
    assert any(0 < n < 30 for n in late)  # some late, by days
    assert all(n < 30 for n in late)  # never by months
    assert min(s.deadline for s in subs) >= today - dt.timedelta(days=60)
    assert all(s.submitted_at is None or s.submitted_at <= now for s in subs)
    # the clerk's employer: its base form is due (not late) and its roster shows every case
    base = [e for e in expected if e.form.code == "CN_CONTRACT_BASE"]
    assert base and base[0].deadline >= today and base[0].submission is None
    roster = Employment.objects.unscoped(reason="test").filter(employer_id=clerk.employer_id, is_on_post=True)
    assert roster.count() >= 10
    assert roster.filter(contracts__isnull=True, start_date__lt=today - dt.timedelta(days=31)).exists()
    assert roster.filter(
        contracts__status="in_force",
        contracts__end_date__gte=today,
        contracts__end_date__lte=today + dt.timedelta(days=30),
    ).exists()
    assert roster.filter(
        contracts__status="in_force", contracts__end_date__gt=today + dt.timedelta(days=30)
    ).exists()
    # the ledger's movements are the recent weeks', none in the future
    events = WorkerEvent.objects.unscoped(reason="test").exclude(kind="went_out")
    assert not events.filter(date__gt=today).exists()
    assert events.filter(date__gte=today - dt.timedelta(days=45)).count() > 0.6 * events.count()


def test_demo_loads_beyond_the_calendar_without_failing(db):
    with _on("2027-03-01"):
        call_command("load_demo", scale=0.05, stdout=io.StringIO())
    campaign = Campaign.objects.unscoped(reason="test").get(code="CN2026")
    assert campaign.start_date <= dt.date(2027, 3, 1) <= campaign.end_date


@pytest.mark.parametrize(
    ("day", "start", "end", "base", "summaries"),
    [
        ("2026-12-04", "2026-10-11", "2026-12-31", "2026-12-11", True),
        ("2026-02-10", "2025-12-21", "2026-03-31", "2026-02-24", True),  # after the festival holidays
        ("2026-12-28", "2026-11-01", "2026-12-31", "2026-12-31", False),  # the calendar ends: no summaries
        ("2026-12-31", "2026-11-11", "2026-12-31", "2026-12-31", False),  # its last day: due today
        ("2027-03-01", "2027-01-01", "2027-04-30", "2027-03-08", False),  # beyond it: a fixed date
    ],
)
def test_plan_places_the_campaign_around_today_within_the_calendar(day, start, end, base, summaries):
    p = demo.plan(dt.date.fromisoformat(day))
    assert (p.start, p.end, p.base_deadline, p.summaries) == (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
        dt.date.fromisoformat(base),
        summaries,
    )
    stages = p.stages()
    assert stages[0].start_date == p.start and stages[-1].end_date == p.end
    assert all(a.end_date < b.start_date for a, b in itertools.pairwise(stages))
