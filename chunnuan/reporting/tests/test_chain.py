"""The chain end to end at service level: employer base form → township → county → city."""

from __future__ import annotations

import pytest

from chunnuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from chunnuan.reporting import selectors, services
from chunnuan.reporting.definitions import get_form
from chunnuan.reporting.models import Submission
from chunnuan.reporting.tests.conftest import FIGURES
from chunnuan.reporting.types import SubmissionValuesIn


def _fill(personas, campaign, actor_name="clerk"):
    actor = personas.actor(actor_name)
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key=campaign.code)
    reasons = {k: "核对纸质名册" for k in FIGURES}
    return services.submission_submit(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(
            values=FIGURES, reasons=reasons, filler_name="张三", filler_phone="13900001111"
        ),
    )


def test_base_form_walks_up_to_the_city(personas, campaign):
    sub = _fill(personas, campaign)
    assert sub.status == "submitted"
    assert sub.values["not_signed"] == 2 and sub.values["rate"] == 78
    with pytest.raises(PermissionDenied):  # a sibling township does not oversee it
        services.submission_approve(actor=personas.actor("township_b"), submission=sub)
    sub = services.submission_approve(actor=personas.actor("township_a"), submission=sub)
    assert sub.status == "approved"

    township = services.submission_open(
        actor=personas.actor("township_a"),
        form_code="CN_CONTRACT_SUMMARY",
        period_key="CN2026",
        region_code="220702001000",
    )
    assert township.values["on_roll"] == 10 and township.values["rate"] == 78
    township = services.submission_submit(
        actor=personas.actor("township_a"), submission=township, data=SubmissionValuesIn(filler_name="李四")
    )
    sub.refresh_from_db()
    assert sub.status == "locked"
    with pytest.raises(PermissionDenied):  # the township cannot approve its own level
        services.submission_approve(actor=personas.actor("township_a"), submission=township)
    services.submission_approve(actor=personas.actor("county"), submission=township)

    county = services.submission_open(
        actor=personas.actor("county"),
        form_code="CN_CONTRACT_SUMMARY",
        period_key="CN2026",
        region_code="220702000000",
    )
    assert county.missing  # 文化街道 has not reported
    with pytest.raises(ValidationFailed):
        services.submission_submit(
            actor=personas.actor("county"), submission=county, data=SubmissionValuesIn(filler_name="王五")
        )
    county = services.submission_submit(
        actor=personas.actor("county"),
        submission=county,
        data=SubmissionValuesIn(filler_name="王五", missing_note="文化街道辖区无企业"),
    )
    services.submission_approve(actor=personas.actor("city"), submission=county)
    roll = selectors.rollup(
        actor=personas.actor("city"),
        form=get_form("CN_CONTRACT_SUMMARY"),
        period=selectors.campaign_period(campaign),
        unit=selectors.unit_of_actor(
            actor=personas.actor("city"), form=get_form("CN_CONTRACT_SUMMARY"), region_code="220700000000"
        ),
    )
    assert roll.totals["on_roll"] == 10
    assert sum(r.values["signed"] for r in roll.rows) == roll.totals["signed"]


def test_corrections_need_a_reason_and_keep_both_numbers(personas, campaign):
    actor = personas.actor("clerk")
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key="CN2026")
    assert sub.proposed["on_roll"] == 0
    with pytest.raises(ValidationFailed) as e:
        services.submission_save(actor=actor, submission=sub, data=SubmissionValuesIn(values={"on_roll": 3}))
    assert "更正原因" in e.value.message
    sub = services.submission_save(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(values={"on_roll": 3}, reasons={"on_roll": "新招3人未录入"}),
    )
    assert sub.corrections["on_roll"] == {"proposed": 0, "entered": 3, "reason": "新招3人未录入"}


def test_bad_figures_are_refused_and_nothing_changes(personas, campaign):
    actor = personas.actor("clerk")
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key="CN2026")
    reasons = {k: "x" for k in FIGURES}
    for bad in ({"on_post": 11}, {"insured": -1}, {"signed": 6}, {"due": 11}):
        with pytest.raises(ValidationFailed):
            services.submission_submit(
                actor=actor,
                submission=sub,
                data=SubmissionValuesIn(values=FIGURES | bad, reasons=reasons, filler_name="张三"),
            )
    fresh = Submission.plain.get(pk=sub.pk)
    assert fresh.status == "draft" and fresh.values == sub.values


def test_no_self_approval_and_no_edit_after_lock(personas, campaign):
    sub = services.submission_open(
        actor=personas.actor("county"),
        form_code="SF_DISPATCH",
        period_key="2026-02D2",
        region_code="220702001000",
    )
    entered = {"jobs_pushed": 3, "trainings": 1, "households_131": 2, "p2p_trips": 1, "p2p_passengers": 40}
    sub = services.submission_submit(
        actor=personas.actor("county"),
        submission=sub,
        data=SubmissionValuesIn(values=entered, filler_name="王五"),
    )
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=personas.actor("county"), submission=sub)
    sub = services.submission_approve(actor=personas.actor("city"), submission=sub)
    summary = services.submission_open(
        actor=personas.actor("county"),
        form_code="SF_DISPATCH_SUMMARY",
        period_key="2026-02D2",
        region_code="220702000000",
    )
    services.submission_submit(
        actor=personas.actor("county"),
        submission=summary,
        data=SubmissionValuesIn(filler_name="王五", missing_note="文化街道未报"),
    )
    sub.refresh_from_db()
    assert sub.status == "locked"
    with pytest.raises(Conflict):
        services.submission_save(
            actor=personas.actor("county"), submission=sub, data=SubmissionValuesIn(values={"trainings": 2})
        )
    # unlock sends the township's form back and the county summary with it
    services.submission_unlock(actor=personas.actor("city"), submission=sub, reason="趟次有误")
    sub.refresh_from_db()
    summary.refresh_from_db()
    assert sub.status == "returned" and summary.status == "returned"


def test_period_must_exist_for_the_form(personas, campaign):
    with pytest.raises(ValidationFailed):
        services.submission_open(
            actor=personas.actor("clerk"), form_code="CN_CONTRACT_BASE", period_key="2026-02D2"
        )
    with pytest.raises(ValidationFailed):
        services.submission_open(
            actor=personas.actor("township_a"),
            form_code="SF_DISPATCH",
            period_key="2026-02D4",
            region_code="220702001000",
        )


def test_a_rate_over_100_or_an_unknown_column_is_refused(personas, campaign):
    actor = personas.actor("clerk")
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key="CN2026")
    reasons = {k: "x" for k in FIGURES}
    for bad in ({"rate": 120}, {"rate": 50}, {"nonsense": 1}):
        with pytest.raises(ValidationFailed) as e:
            services.submission_save(
                actor=actor, submission=sub, data=SubmissionValuesIn(values=FIGURES | bad, reasons=reasons)
            )
        assert e.value.fields
    # echoing the computed rate back unchanged is fine
    saved = services.submission_save(
        actor=actor, submission=sub, data=SubmissionValuesIn(values=FIGURES | {"rate": 78}, reasons=reasons)
    )
    assert saved.values["rate"] == 78


def _second_employer(personas):
    import random

    from chunnuan.access.actor import system_actor
    from chunnuan.core import synthetic
    from chunnuan.employers.services import employer_register
    from chunnuan.employers.types import EmployerIn

    return employer_register(
        actor=system_actor("tests"),
        data=EmployerIn(
            credit_code=synthetic.credit_code(random.Random(11), "220702"),
            name="文化测试餐饮有限公司",
            region_code="220702002000",
        ),
    )


def _base(personas, employer_id, figures, filler="township_b"):
    actor = personas.actor(filler)
    sub = services.submission_open(
        actor=actor, form_code="CN_CONTRACT_BASE", period_key="CN2026", employer_id=employer_id
    )
    return services.submission_submit(
        actor=actor,
        submission=sub,
        data=SubmissionValuesIn(values=figures, reasons={k: "核对" for k in figures}, filler_name="赵六"),
    )


def _summary(personas, who, region):
    actor = personas.actor(who)
    sub = services.submission_open(
        actor=actor, form_code="CN_CONTRACT_SUMMARY", period_key="CN2026", region_code=region
    )
    return services.submission_submit(actor=actor, submission=sub, data=SubmissionValuesIn(filler_name=who))


def test_county_roll_up_equals_the_sum_of_its_townships(personas, campaign):
    other = _second_employer(personas)
    services.submission_approve(actor=personas.actor("township_a"), submission=_fill(personas, campaign))
    small = {k: v // 2 for k, v in FIGURES.items()} | {
        "signed": 3,
        "signed_fixed": 2,
        "signed_open": 0,
        "signed_task": 1,
    }
    services.submission_approve(actor=personas.actor("county"), submission=_base(personas, other.pk, small))
    townships = [
        _summary(personas, "township_a", "220702001000"),
        _summary(personas, "township_b", "220702002000"),
    ]
    for t in townships:
        services.submission_approve(actor=personas.actor("county"), submission=t)
    county = _summary(personas, "county", "220702000000")
    assert not county.missing
    for code in ("on_roll", "due", "signed", "signed_task", "insured"):
        assert county.values[code] == sum(Submission.plain.get(pk=t.pk).values[code] for t in townships)
    assert county.values["rate"] == round(100 * county.values["signed"] / county.values["due"])
    assert {r["region"] for r in county.rows} == {"220702001000", "220702002000"}


def test_approval_follows_the_order_of_the_chain(personas, campaign):
    actor = personas.actor("clerk")
    draft = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key="CN2026")
    with pytest.raises(Conflict):  # nothing to approve before it is submitted
        services.submission_approve(actor=personas.actor("township_a"), submission=draft)
    sub = _fill(personas, campaign)
    returned = services.submission_return(
        actor=personas.actor("township_a"), submission=sub, reason="参保人数有误"
    )
    assert returned.status == "returned" and returned.return_reason == "参保人数有误"
    with pytest.raises(Conflict):  # a returned form goes back to its filler first
        services.submission_approve(actor=personas.actor("township_a"), submission=returned)
    again = services.submission_submit(actor=actor, submission=returned)
    approved = services.submission_approve(actor=personas.actor("township_a"), submission=again)
    with pytest.raises(Conflict):  # once is enough
        services.submission_approve(actor=personas.actor("county"), submission=approved)
    # a summary submitted and approved above cannot have its children unlocked from below
    township = _summary(personas, "township_a", "220702001000")
    services.submission_approve(actor=personas.actor("county"), submission=township)
    with pytest.raises(Conflict):
        services.submission_unlock(actor=personas.actor("township_a"), submission=approved, reason="更正")


def test_filler_may_give_a_landline(personas, campaign):
    """The filler's 联系电话 follows the ledger's rule: a mobile or a landline with its area code."""
    actor = personas.actor("clerk")
    sub = services.submission_open(actor=actor, form_code="CN_CONTRACT_BASE", period_key=campaign.code)
    sub = services.submission_save(
        actor=actor, submission=sub, data=SubmissionValuesIn(filler_name="张三", filler_phone="0438-1234567")
    )
    assert sub.filler_phone == "0438-1234567"
    with pytest.raises(ValidationFailed) as exc:
        services.submission_save(actor=actor, submission=sub, data=SubmissionValuesIn(filler_phone="12345"))
    assert "固定电话" in exc.value.fields["filler_phone"][0]
