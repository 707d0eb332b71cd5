"""Who is late: every unit that should report, its status and days late; completeness per region."""

from __future__ import annotations

import datetime as dt

from chunnuan.reporting import selectors, services
from chunnuan.reporting.definitions import get_form
from chunnuan.reporting.periods import LOCAL_TZ, parse_period
from chunnuan.reporting.types import SubmissionValuesIn

ENTERED = {"jobs_pushed": 1, "trainings": 0, "households_131": 0, "p2p_trips": 0, "p2p_passengers": 0}


def _board(personas, campaign, now):
    return selectors.status_board(
        actor=personas.actor("county"),
        form=get_form("SF_DISPATCH"),
        period=parse_period("2026-02D1"),
        campaign=campaign,
        region_code="220702000000",
        now=now,
    )


def test_deadline_skips_the_spring_festival(personas, campaign):
    # 2026-02-01..10 ends on Tuesday the 10th; two working days later is Thursday the 12th.
    deadline = selectors.deadline_for(
        form=get_form("SF_DISPATCH"),
        period=parse_period("2026-02D1"),
        level=get_form("SF_DISPATCH").levels[0],
        campaign=campaign,
    )
    assert deadline == dt.date(2026, 2, 12)
    # the second 旬 ends on the 20th, inside the holiday (15th–23rd): Tuesday the 24th, Wednesday the 25th
    deadline = selectors.deadline_for(
        form=get_form("SF_DISPATCH"),
        period=parse_period("2026-02D2"),
        level=get_form("SF_DISPATCH").levels[0],
        campaign=campaign,
    )
    assert deadline == dt.date(2026, 2, 25)


def test_late_list_counts_days_and_completeness(personas, campaign):
    at_deadline = dt.datetime(2026, 2, 12, 23, 59, tzinfo=LOCAL_TZ)
    board = _board(personas, campaign, at_deadline)
    assert {r.unit.region_code for r in board.rows} == {"220702001000", "220702002000"}
    assert all(r.days_late == 0 for r in board.rows)  # the last day is open until 23:59

    three_days_later = dt.datetime(2026, 2, 15, 9, 0, tzinfo=LOCAL_TZ)
    board = _board(personas, campaign, three_days_later)
    assert [r.days_late for r in board.rows] == [3, 3]
    assert board.totals.expected == 2 and board.totals.submitted == 0 and board.totals.completeness == 0

    sub = services.submission_open(
        actor=personas.actor("township_a"),
        form_code="SF_DISPATCH",
        period_key="2026-02D1",
        region_code="220702001000",
    )
    services.submission_submit(
        actor=personas.actor("township_a"),
        submission=sub,
        data=SubmissionValuesIn(values=ENTERED, filler_name="李四"),
    )
    board = _board(personas, campaign, three_days_later)
    row = next(r for r in board.rows if r.unit.region_code == "220702001000")
    assert row.is_in and row.status == "submitted"
    assert board.totals.submitted == 1 and board.totals.completeness == 50


def test_a_township_officer_sees_only_their_township_units(personas, campaign):
    board = selectors.status_board(
        actor=personas.actor("township_a"),
        form=get_form("CN_CONTRACT_BASE"),
        period=selectors.campaign_period(campaign),
        campaign=campaign,
        region_code="220702001000",
    )
    assert [r.unit.employer_id for r in board.rows] == [personas.employer.pk]
