"""The reporting demo step: CN2026 with targets and reports through the chain, loaded once."""

from __future__ import annotations

import io

from django.core.management import call_command

from chunnuan.access.auth import actor_for_user
from chunnuan.accounts.models import User
from chunnuan.reporting import selectors
from chunnuan.reporting.definitions import get_form
from chunnuan.reporting.models import Campaign, Submission, SubmissionEvent, Target


def _counts() -> tuple[int, int, int, int]:
    return (
        Campaign.objects.unscoped(reason="test").count(),
        Target.objects.unscoped(reason="test").count(),
        Submission.objects.unscoped(reason="test").count(),
        SubmissionEvent.objects.unscoped(reason="test").count(),
    )


def test_demo_campaign_is_reported_up_to_the_city_and_loads_once(db):
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
    county = Submission.objects.unscoped(reason="test").get(
        form_code="CN_CONTRACT_SUMMARY", period_key="CN2026", region_code="220702000000"
    )
    assert county.status == "approved" and county.missing_note
    clerk = User.objects.get(username="employer_clerk")
    assert (
        not Submission.objects.unscoped(reason="test")
        .filter(form_code="CN_CONTRACT_BASE", employer_id=clerk.employer_id)
        .exists()
    )  # left for the clerk to file in the walk-through
    dekads = Submission.objects.unscoped(reason="test").filter(
        form_code="SF_DISPATCH_SUMMARY", region_code="220702000000", status="approved"
    )
    assert dekads.count() == 9
    late = Submission.objects.unscoped(reason="test").filter(form_code="CN_CONTRACT_BASE")
    assert all(
        s.submitted_at is None or (s.submitted_at.year == 2026 and s.submitted_at.month <= 4) for s in late
    )
