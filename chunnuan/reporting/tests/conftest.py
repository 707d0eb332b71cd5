"""Fixtures for the reporting chain: a 春暖行动 campaign over the test city with its forms."""

from __future__ import annotations

import datetime as dt

import pytest

from chunnuan.reporting import services
from chunnuan.reporting.models import Campaign
from chunnuan.reporting.services import campaign_create
from chunnuan.reporting.types import CampaignFormIn, CampaignIn, StageIn, SubmissionValuesIn

# One employer's 春暖行动 base-form figures that pass every cross-field rule (rate 78%).
FIGURES = {
    "on_roll": 10,
    "on_post": 9,
    "migrant": 8,
    "due": 9,
    "signed": 7,
    "signed_fixed": 5,
    "signed_open": 1,
    "signed_task": 1,
    "filed": 10,
    "insured": 6,
}


def campaign_data(**overrides: object) -> CampaignIn:
    data = {
        "code": "CN2026",
        "name": "2026年春暖行动",
        "region_code": "220700000000",
        "start_date": dt.date(2026, 1, 5),
        "end_date": dt.date(2026, 3, 31),
        "focus_sections": ["C", "E", "H"],
        "stages": [
            StageIn(kind="mobilise", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 15)),
            StageIn(kind="survey", start_date=dt.date(2026, 1, 16), end_date=dt.date(2026, 2, 28)),
            StageIn(kind="inspect", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 20)),
            StageIn(kind="conclude", start_date=dt.date(2026, 3, 21), end_date=dt.date(2026, 3, 31)),
        ],
        "forms": [
            CampaignFormIn(form_code="CN_CONTRACT_BASE", deadline=dt.date(2026, 4, 3)),
            CampaignFormIn(form_code="CN_CONTRACT_SUMMARY"),
            CampaignFormIn(form_code="SF_DISPATCH"),
            CampaignFormIn(form_code="SF_DISPATCH_SUMMARY"),
        ],
    }
    data.update(overrides)
    return CampaignIn(**data)  # type: ignore[arg-type]


@pytest.fixture
def campaign(personas) -> Campaign:
    return campaign_create(actor=personas.actor("city"), data=campaign_data())


def report_up_to_the_city(personas, figures: dict[str, int] = FIGURES) -> None:
    """The clerk's base form approved by 团结街道; 团结街道's summary approved by 宁江区 and 宁江区's
    by the city — so the city's roll-up covers 宁江区 only."""
    clerk = personas.actor("clerk")
    sub = services.submission_open(actor=clerk, form_code="CN_CONTRACT_BASE", period_key="CN2026")
    sub = services.submission_submit(
        actor=clerk,
        submission=sub,
        data=SubmissionValuesIn(values=figures, reasons=dict.fromkeys(figures, "核对"), filler_name="张三"),
    )
    services.submission_approve(actor=personas.actor("township_a"), submission=sub)
    for who, approver, code in [("township_a", "county", "220702001000"), ("county", "city", "220702000000")]:
        actor = personas.actor(who)
        summary = services.submission_open(
            actor=actor, form_code="CN_CONTRACT_SUMMARY", period_key="CN2026", region_code=code
        )
        summary = services.submission_submit(
            actor=actor,
            submission=summary,
            data=SubmissionValuesIn(filler_name="李四", missing_note="其余未报"),
        )
        services.submission_approve(actor=personas.actor(approver), submission=summary)
