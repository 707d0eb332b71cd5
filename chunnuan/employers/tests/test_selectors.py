import datetime as dt

import pytest
import time_machine

from chunnuan.access.scoping import actor_scope
from chunnuan.employers import selectors, services
from chunnuan.employers.tests import factories as f
from chunnuan.employers.types import ContractEndIn

D = dt.date
TODAY = D(2025, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """Two employers in 团结街道 and one in 文化街道 with a mix of rosters."""
    with actor_scope(f.SYSTEM), time_machine.travel(TODAY, tick=False):
        a = personas.employer
        e1 = f.employment(a, TODAY - dt.timedelta(days=29))  # day 30: not yet due
        e2 = f.employment(a, D(2025, 5, 30))  # month over on 06-30: due, no contract
        e3 = f.employment(a, D(2024, 1, 1))  # over a year without contract
        e4 = f.employment(a, D(2025, 1, 1))
        f.contract(e4, D(2025, 1, 1), D(2025, 7, 30))  # ends in exactly 30 days
        e5 = f.employment(a, D(2025, 6, 1), form="part_time")  # oral agreement allowed
        left = f.employment(a, D(2024, 1, 1))
        services.employment_leave(
            actor=f.SYSTEM,
            employment_id=left.pk,
            data=__import__("chunnuan.employers.types", fromlist=["EmploymentLeaveIn"]).EmploymentLeaveIn(
                end_date=D(2024, 6, 1)
            ),
        )
        b = f.employer()
        signed = [f.employment(b, D(2024, 1, 1)) for _ in range(9)]
        for e in signed:
            f.contract(e, D(2024, 1, 1), D(2027, 12, 31))
        dispatched = f.employment(b, D(2024, 1, 1), form="dispatched")
        c = f.employer(region=f.TOWNSHIP_B)
        for _ in range(3):
            f.contract(f.employment(c, D(2024, 1, 1)), D(2024, 1, 1), None, kind="open_ended")
        c_dispatched = f.employment(c, D(2024, 1, 1), form="dispatched")
    return {"a": a, "b": b, "c": c, "e": (e1, e2, e3, e4, e5), "dispatched": dispatched, "cd": c_dispatched}


def test_employer_statistics(world, personas, django_assert_max_num_queries):
    actor = personas.actor("county")
    with django_assert_max_num_queries(2):
        stats = selectors.employer_stats(
            actor=actor, employer_ids=[world["a"].pk, world["b"].pk, world["c"].pk], today=TODAY
        )
    a, b, c = stats[world["a"].pk], stats[world["b"].pk], stats[world["c"].pk]
    assert (a.on_roll, a.due, a.signed, a.without_contract, a.deemed_open_ended, a.ending_soon) == (
        5,
        3,
        1,
        2,
        1,
        1,
    )
    assert a.signing_rate == 33
    assert (b.on_roll, b.due, b.signed, b.signing_rate, b.dispatched, b.non_dispatched) == (
        10,
        9,
        9,
        100,
        1,
        9,
    )
    assert not b.dispatch_over_cap  # 1 / 10 = exactly 10%
    assert (c.dispatched, c.non_dispatched) == (1, 3) and c.dispatch_over_cap  # 25%


def test_without_contract_list_with_exposure(world, personas):
    rows = selectors.without_contract_list(
        actor=personas.actor("township_a"), employer_id=world["a"].pk, today=TODAY
    )
    assert [r.employment.pk for r in rows] == [world["e"][2].pk, world["e"][1].pk]
    oldest, newest = rows
    assert oldest.exposure.is_deemed_open_ended and oldest.exposure.double_wage_days == 335
    assert newest.exposure.double_wage_days == 1 and newest.exposure.days_without_contract == 32


def test_ending_soon_boundary(world, personas):
    actor = personas.actor("township_a")
    assert len(selectors.ending_soon_list(actor=actor, employer_id=world["a"].pk, today=TODAY)) == 1
    assert not selectors.ending_soon_list(
        actor=actor, employer_id=world["a"].pk, today=TODAY - dt.timedelta(days=1)
    )


def test_region_rollup_equals_sum_of_employers(world, personas, django_assert_max_num_queries):
    actor = personas.actor("county")
    with django_assert_max_num_queries(6):
        rollup = selectors.region_stats(actor=actor, region_code="220702000000", today=TODAY)
    per = selectors.employer_stats(actor=actor, employer_ids=[world[k].pk for k in "abc"], today=TODAY)
    rows = {r.code: r.stats for r in rollup.rows}
    a_b = rows["220702001000"]
    assert a_b.on_roll == per[world["a"].pk].on_roll + per[world["b"].pk].on_roll
    assert a_b.signed == per[world["a"].pk].signed + per[world["b"].pk].signed
    assert a_b.due == per[world["a"].pk].due + per[world["b"].pk].due
    assert rows["220702002000"].signed == per[world["c"].pk].signed
    assert rollup.total.on_roll == sum(s.on_roll for s in per.values())
    assert rollup.total.employers == 3
    assert rollup.chart["labels"] == ["团结街道", "文化街道"]


def test_roster_scoping(world, personas):
    # a sibling township sees neither the employer nor its roster
    from chunnuan.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.roster_list(actor=personas.actor("township_b"), employer_id=world["a"].pk)
    # the clerk sees only their own employer
    clerk = personas.actor("clerk")
    assert list(selectors.employer_list(actor=clerk)) == [world["a"]]
    with pytest.raises(NotFound):
        selectors.employer_get(actor=clerk, pk=world["b"].pk)
    # an origin officer elsewhere sees the roster entries of their people
    with actor_scope(f.SYSTEM):
        far = f.employment(world["c"], D(2024, 1, 1), address6="500103")
    origin = personas.actor("elsewhere")
    assert [e.pk for e in selectors.employment_list(actor=origin)] == [far.pk]
    with pytest.raises(NotFound):
        selectors.employer_get(actor=origin, pk=world["c"].pk)


def test_roster_filters_and_search(world, personas):
    actor = personas.actor("township_a")
    rows = selectors.roster_list(
        actor=actor, employer_id=world["a"].pk, filters={"contract": "overdue"}, today=TODAY
    )
    assert {e.pk for e in rows} == {world["e"][1].pk, world["e"][2].pk}
    e1 = world["e"][0]
    by_id = selectors.roster_list(
        actor=actor, employer_id=world["a"].pk, filters={"q": e1.worker.id_number.lower()}
    )
    assert [e.pk for e in by_id] == [e1.pk]
    assert (
        selectors.roster_list(actor=actor, employer_id=world["a"].pk, filters={"status": "left"}).count() == 1
    )
    assert (
        selectors.roster_list(
            actor=actor, employer_id=world["a"].pk, filters={"employment_form": "part_time"}
        ).count()
        == 1
    )
    with actor_scope(f.SYSTEM):
        contract = f.contract(world["e"][1], D(2025, 6, 1), D(2026, 5, 31))
        services.contract_dissolve(
            actor=f.SYSTEM,
            contract_id=contract.pk,
            data=ContractEndIn(date=D(2025, 6, 15), leave_employment=False),
        )
    unsigned = selectors.roster_list(actor=actor, employer_id=world["a"].pk, filters={"contract": "unsigned"})
    assert world["e"][1].pk in {e.pk for e in unsigned}  # a dissolved contract is no longer in force


def test_employer_list_filters(world, personas):
    actor = personas.actor("county")
    with actor_scope(f.SYSTEM):
        services.employer_update(
            actor=f.SYSTEM,
            employer_id=world["b"].pk,
            data=__import__("chunnuan.employers.types", fromlist=["EmployerIn"]).EmployerIn(
                credit_code=world["b"].credit_code,
                name=world["b"].name,
                region_code=world["b"].region_code,
                industry_code="62",
                staff_count=5,
                revenue=50,
                is_key_contact=True,
                is_above_scale=False,
            ),
        )
    names = lambda **flt: {e.pk for e in selectors.employer_list(actor=actor, filters=flt)}  # noqa: E731
    assert names(section="H") == {world["b"].pk}
    assert names(industry="62", size_class="micro", flag="key_contact", above_scale="0") == {world["b"].pk}
    assert names(region="220702002000") == {world["c"].pk}
    assert names(q=world["c"].credit_code.lower()) == {world["c"].pk}
