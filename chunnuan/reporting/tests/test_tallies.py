"""Roster tallies (名册统计): kept current by every roster write, recounted daily, read per region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command

from chunnuan.access.scoping import actor_scope
from chunnuan.core.errors import NotFound
from chunnuan.core.identifiers import parse_id_number
from chunnuan.core.importing.spec import CleanRow, ContractTerm, ImportContext, get_spec
from chunnuan.employers import services
from chunnuan.employers.models import Employer
from chunnuan.employers.selectors import CONTRACT_FIGURES, employer_contract_figures
from chunnuan.employers.tests import factories as f
from chunnuan.employers.types import (
    ContractEndIn,
    ContractIn,
    EmploymentIn,
    EmploymentLeaveIn,
    SizeOverrideIn,
)
from chunnuan.reporting.definitions import get_form
from chunnuan.reporting.models import RosterTally
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.tallies import (
    live_contract_rows,
    live_contract_totals,
    roster_tallies_refresh,
    roster_tallies_refresh_all,
)

D = dt.date
pytestmark = pytest.mark.django_db


def _tally(employer):
    return RosterTally.objects.unscoped(reason="test").get(employer=employer)


def _figures(employer):
    t = _tally(employer)
    return {name: getattr(t, name) for name in CONTRACT_FIGURES}


def test_roster_writes_keep_the_tally_current(personas):
    officer = personas.actor("township_a")
    employer = personas.employer
    assert _figures(employer) == dict.fromkeys(CONTRACT_FIGURES, 0)  # registered: a zero tally

    first = f.employment(employer, D(2024, 3, 1), is_insured=True)
    assert _figures(employer) == {**dict.fromkeys(CONTRACT_FIGURES, 0), "on_roll": 1, "on_post": 1,
                                       "migrant": 1, "due": 1, "filed": 1, "insured": 1}  # fmt: skip

    contract = services.contract_sign(
        actor=officer,
        employment_id=first.pk,
        data=ContractIn(contract_type="open_ended", signed_date=D(2024, 3, 1), start_date=D(2024, 3, 1)),
    )
    t = _tally(employer)
    assert (t.signed, t.signed_open, t.signed_fixed) == (1, 1, 0)

    second = f.employment(employer, D(2024, 5, 1), form="part_time")
    assert (_tally(employer).on_roll, _tally(employer).due) == (2, 1)  # part-time: no contract due
    services.employment_leave(
        actor=officer, employment_id=second.pk, data=EmploymentLeaveIn(end_date=D(2025, 1, 31))
    )
    assert _tally(employer).on_roll == 1

    services.contract_terminate(
        actor=officer, contract_id=contract.pk, data=ContractEndIn(date=D(2025, 2, 28))
    )
    t = _tally(employer)
    assert (t.on_roll, t.signed, t.signed_open) == (0, 0, 0)
    assert t.as_of == local_today()


def test_employer_dimensions_follow_the_employer(personas):
    officer = personas.actor("county")
    employer = f.employer("220702002000", is_above_scale=True)
    services.employer_set_size_override(
        actor=officer, employer_id=employer.pk, data=SizeOverrideIn(size_class="medium", reason="实地核查")
    )
    t = _tally(employer)
    assert (t.region_code, t.size_class, t.is_above_scale) == ("220702002000", "medium", True)


def test_a_failed_write_leaves_the_tally_alone(personas):
    employer = personas.employer
    f.employment(employer, D(2024, 3, 1))
    before = _figures(employer)
    with pytest.raises(NotFound):  # a sibling township may not add to this roster
        services.employment_add(
            actor=personas.actor("township_b"),
            employer_id=employer.pk,
            data=EmploymentIn(id_number=f.unique_id(), name="乙", start_date=D(2024, 4, 1)),
        )
    assert _figures(employer) == before


@pytest.fixture
def county_roster(personas):
    """Employers in two townships of 宁江区 and one in 前郭, of several sections and sizes."""
    a = f.employer("220702001000", industry_code="13", staff_count=30, revenue=400)
    b = f.employer("220702001000", industry_code="47", is_above_scale=True, staff_count=120, revenue=30000)
    c = f.employer("220702002000", industry_code="13", staff_count=5)
    far = f.employer("220721100000", industry_code="48")
    for employer, n in ((a, 3), (b, 4), (c, 2), (far, 2)):
        for i in range(n):
            entry = f.employment(employer, D(2024, 1 + i, 1), is_insured=bool(i % 2))
            if i % 3 != 2:
                kind = ("fixed_term", "task_based")[i % 2]
                f.contract(entry, D(2024, 1 + i, 1), D(2027, 1, 1) if kind == "fixed_term" else None, kind)
    f.employment(a, local_today() - dt.timedelta(days=3))  # first month not over: on roll, not due
    return [a, b, c, far]


def test_live_rows_of_a_county_equal_a_fresh_count(personas, county_roster):
    county = personas.actor("county")
    rows = live_contract_rows(actor=county, region_code="220702000000")

    expected: dict[tuple[str, str, str, bool], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(CONTRACT_FIGURES, 0)
    )
    employers = Employer.objects.unscoped(reason="test").filter(region_code__startswith="220702")
    fresh = employer_contract_figures(actor=county, employer_ids=[e.pk for e in employers])
    for e in employers:
        cell = expected[
            (e.region_code[:9].ljust(12, "0"), e.industry_section, e.size_class, e.is_above_scale)
        ]
        for name in CONTRACT_FIGURES:
            cell[name] += fresh[e.pk][name]
    form = get_form("CN_CONTRACT_SUMMARY")
    assert {(r.region, r.section, r.size, r.above_scale): r.values for r in rows} == {
        k: form.complete(v) for k, v in expected.items()
    }
    assert all(r.region.startswith("220702") for r in rows)  # 前郭 is not in 宁江区
    assert [r.region for r in rows] == sorted(r.region for r in rows)
    totals = live_contract_totals(actor=county, region_code="220702000000")
    assert totals["on_roll"] == sum(v["on_roll"] for v in expected.values()) == 10
    assert totals["rate"] == form.complete(totals)["rate"]


def test_live_rows_respect_the_actor_reach(personas, county_roster):
    township_b = personas.actor("township_b")
    with pytest.raises(NotFound):
        live_contract_rows(actor=township_b, region_code="220702001000")
    own = live_contract_totals(actor=township_b, region_code="220702002000")
    assert own["on_roll"] == 2
    # a county officer asking for one township reads that township only
    assert {
        r.region for r in live_contract_rows(actor=personas.actor("county"), region_code="220702002000")
    } == {"220702002000"}


def test_refresh_all_is_idempotent_and_follows_the_calendar(personas, county_roster):
    today = local_today()
    count = Employer.objects.unscoped(reason="test").count()
    assert roster_tallies_refresh_all(today) == count
    first = list(RosterTally.objects.unscoped(reason="test").order_by("employer_id").values())
    assert roster_tallies_refresh_all(today) == count
    assert list(RosterTally.objects.unscoped(reason="test").order_by("employer_id").values()) == first

    a = county_roster[0]
    due_today = _tally(a).due
    roster_tallies_refresh_all(today + dt.timedelta(days=40))  # the newcomer's first month is over
    assert _tally(a).due == due_today + 1


def test_refresh_skips_unknown_ids_and_the_command_recounts(personas, county_roster):
    a = county_roster[0]
    RosterTally.objects.unscoped(reason="test").filter(employer=a).update(on_roll=999)
    assert roster_tallies_refresh(employer_ids=[a.pk, 10**9]) == 1
    assert _tally(a).on_roll == 4
    RosterTally.objects.unscoped(reason="test").filter(employer=a).delete()
    call_command("report_refresh_tallies", "--employer", str(a.pk), stdout=open("/dev/null", "w"))
    assert _tally(a).on_roll == 4
    RosterTally.objects.unscoped(reason="test").all().delete()
    call_command("report_refresh_tallies", stdout=open("/dev/null", "w"))
    assert (
        RosterTally.objects.unscoped(reason="test").count()
        == Employer.objects.unscoped(reason="test").count()
    )


def test_roster_import_recounts_once_after_commit(personas, django_capture_on_commit_callbacks):
    spec = get_spec("roster")
    actor = personas.actor("township_a")
    ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
    rows = [
        CleanRow(
            row=i + 2,
            values={
                "name": f"导入{i}",
                "id_number": parse_id_number(f.unique_id()),
                "start_date": D(2024, 3, 1),
                "employment_form": "full_time",
                "is_insured": True,
                "contract_period": ContractTerm("fixed_term", D(2024, 3, 1), D(2027, 2, 28)),
            },
            raw=[],
        )
        for i in range(6)
    ]
    with actor_scope(actor), django_capture_on_commit_callbacks(execute=True) as callbacks:
        for row in rows:
            assert not spec.check_row(ctx, row)
        spec.apply(ctx, rows[:3])
        spec.apply(ctx, rows[3:])  # a second batch of the same import: still one recount
        assert _tally(personas.employer).on_roll == 0  # not before the commit
    roster_recounts = [c for c in callbacks if "recount_on_commit" in c.__qualname__]
    assert len(roster_recounts) == 1  # (and one for the ledger's region tally, also once)
    assert len(callbacks) == 2
    t = _tally(personas.employer)
    assert (t.on_roll, t.signed, t.signed_fixed, t.insured) == (6, 6, 6, 6)


def test_dry_run_import_recounts_nothing(personas, django_capture_on_commit_callbacks):
    spec = get_spec("roster")
    actor = personas.actor("township_a")
    ctx = ImportContext(actor=actor, employer_id=personas.employer.pk, dry_run=True)
    row = CleanRow(
        row=2,
        values={"name": "预演", "id_number": parse_id_number(f.unique_id()), "start_date": D(2024, 3, 1)},
        raw=[],
    )
    with actor_scope(actor), django_capture_on_commit_callbacks() as callbacks:
        assert not spec.check_row(ctx, row)
        spec.apply(ctx, [row])
    assert callbacks == []
