from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import uscc

from chunnuan.core import synthetic
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import parse_id_number

TODAY = dt.date(2026, 11, 22)
CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _workers(seed: int = 1, n: int = 300) -> list[dict]:
    return list(synthetic.generate_workers(random.Random(seed), n, today=TODAY))


def test_workers_have_valid_ids_matching_sex_birth_and_origin():
    people = _workers()
    assert len({p["id_number"] for p in people}) == len(people)
    for p in people:
        info = parse_id_number(p["id_number"], today=TODAY)
        assert info.sex == p["sex"] and info.birth_date == p["birth_date"]
        assert p["id_number"][:6] == p["origin_region_code"][:6]
        assert p["origin_region_code"][:6] in synthetic.DEMO_COUNTIES
        age = (TODAY - p["birth_date"]).days / 365.25
        assert 18 <= age <= 61
        assert CHINESE_NAME.match(p["name"]), p["name"]
        assert re.fullmatch(r"1[3-9]\d{9}", p["phone"])
        assert p["origin_address"].startswith("吉林省松原市")


def test_workers_help_groups_and_spring_festival_timeline():
    people = _workers(n=2000)
    poverty = sum(p["is_poverty_alleviated"] for p in people) / len(people)
    assert 0.06 < poverty < 0.16
    kinds = Counter(e["kind"] for p in people for e in p["events"])
    assert kinds["returned"] and kinds["staying"] and kinds["back_to_work"] and kinds["went_out"]
    season = synthetic.Season.ending(TODAY)
    backs = [e["date"] for p in people for e in p["events"] if e["kind"] == "back_to_work"]
    assert sum(d > season.lantern for d in backs) > 0.7 * len(backs)  # most after 正月十五
    for p in people:
        dates = [e["date"] for e in p["events"]]
        assert dates == sorted(dates)
        assert all(d <= TODAY for d in dates)


@pytest.mark.parametrize("today", [dt.date(2026, 2, 10), dt.date(2026, 12, 4), dt.date(2027, 3, 1)])
def test_timelines_end_on_the_day_given_and_the_people_stay_the_same(today):
    rng = random.Random(5)
    people = list(synthetic.generate_workers(rng, 400, season=synthetic.Season.ending(today)))
    dates = [e["date"] for p in people for e in p["events"] if e["kind"] != "went_out"]
    assert max(dates) < today and min(dates) >= today - dt.timedelta(days=300)
    recent = [d for d in dates if d >= today - dt.timedelta(days=45)]
    assert len(recent) > 0.6 * len(dates)  # the season's movements are the recent weeks'
    assert all(p["movement_date"] is None or p["movement_date"] < today for p in people)
    same = list(synthetic.generate_workers(random.Random(5), 400, season=synthetic.Season.ending(TODAY)))
    assert [p["id_number"] for p in people] == [p["id_number"] for p in same]


def test_generation_is_deterministic_for_a_seed():
    assert _workers(7, 50) == _workers(7, 50)
    assert _workers(7, 50) != _workers(8, 50)
    e1 = list(synthetic.generate_employers(random.Random(3), 20))
    assert e1 == list(synthetic.generate_employers(random.Random(3), 20))


def test_employers_have_valid_credit_codes_and_consistent_sizes():
    employers = list(synthetic.generate_employers(random.Random(2), 400))
    assert len({e["credit_code"] for e in employers}) == 400
    for e in employers:
        assert uscc.is_valid(e["credit_code"])
        assert e["credit_code"][2:8] == e["region_code"][:6]
        band = synthetic.SECTORS[e["industry_section"]].bands[e["size_class"]]
        assert band[0][0] <= e["staff_count"] <= band[0][1]
        assert band[1][0] <= e["revenue"] <= band[1][1]
    industry = [e for e in employers if e["industry_section"] in "BC"]
    for e in industry:  # the 2017 rule for industry: large needs X≥1000 and Y≥40000 …
        if e["size_class"] == "large":
            assert e["staff_count"] >= 1000 and e["revenue"] >= 40000
        if e["size_class"] == "micro":
            assert e["staff_count"] < 20 or e["revenue"] < 300
        assert e["is_above_scale"] == (e["revenue"] >= 2000)
    assert {e["industry_section"] for e in employers} >= set("BCEFGHO")


def test_roster_mix():
    rng = random.Random(5)
    employers = list(synthetic.generate_employers(rng, 60))
    people = _workers(5, 1500)
    entries = synthetic.generate_roster(rng, employers, people, today=TODAY)
    now = [e for e in entries if e["is_on_post"]]
    assert len(now) == len(people)
    full = [e for e in now if e["employment_form"] != "part_time"]
    unsigned = [e for e in full if e["contract"] is None]
    assert 0.08 < len(unsigned) / len(full) < 0.22
    assert any((TODAY - e["start_date"]).days > 31 for e in unsigned)  # past the 1-month rule
    types = Counter(e["contract"]["contract_type"] for e in full if e["contract"])
    assert types["fixed_term"] > 0.6 * len(full) and types["open_ended"] and types["task_based"]
    ending = [e for e in full if e["contract"] and e["contract"]["end_date"]
              and TODAY < e["contract"]["end_date"] <= TODAY + dt.timedelta(days=30)]  # fmt: skip
    assert ending
    by_employer: dict[int, list[dict]] = {}
    for e in now:
        by_employer.setdefault(e["employer"], []).append(e)
    over_cap = [i for i, es in by_employer.items()
                if sum(x["employment_form"] == "dispatched" for x in es) > 0.1 * len(es)]  # fmt: skip
    assert over_cap
    for e in entries:
        c = e["contract"]
        if c and c["status"] == "in_force" and c["end_date"]:
            assert c["end_date"] >= TODAY


def test_roster_xlsx_header_and_bad_rows(tmp_path):
    path = tmp_path / "roster.xlsx"
    rows = synthetic.roster_sheet_rows(random.Random(9), 1000, today=TODAY)
    stats = synthetic.write_roster_xlsx(path, rows, bad_fraction=0.05, rng=random.Random(9), today=TODAY)
    assert stats.rows == 1000
    assert 30 <= stats.bad_total <= 75 and all(stats.bad.values())
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert str(sheet[0][0]).endswith("职工名册")
    assert sheet[stats.header_row - 1] == synthetic.ROSTER_HEADERS
    data = sheet[stats.header_row : stats.header_row + stats.rows]
    bad = 0
    seen: dict[str, str] = {}
    for row in data:
        name, number = row[1], row[3]
        if not isinstance(number, str):  # stored as a number: digits lost
            bad += 1
            continue
        try:
            parse_id_number(number, today=TODAY)
        except ValidationFailed:
            bad += 1
            continue
        if not name or seen.get(number, name) != name:
            bad += 1
            continue
        seen[number] = name
    assert bad == stats.bad_total
    assert sheet[-1][0] == "填表人："


@pytest.mark.parametrize("code", ["220702001000", "500103001000"])
def test_full_names_from_the_division_table(code):
    assert synthetic.full_name(code).endswith(synthetic.divisions()[code].name)


def test_load_demo_at_small_scale_has_the_alert_cases_and_is_idempotent(db):
    import io

    from django.core.management import call_command
    from django.db.models import Count, Q

    from chunnuan.accounts.models import User
    from chunnuan.employers.demo import DEMO_EMPLOYER_NAME
    from chunnuan.employers.models import Employer, Employment, LabourContract
    from chunnuan.workers.demo import DEMO_WORKER_NAME
    from chunnuan.workers.models import Worker, WorkerEvent

    call_command("load_demo", scale=0.1, stdout=io.StringIO())
    models = (Worker, WorkerEvent, Employer, Employment, LabourContract)
    counts = [m.objects.unscoped(reason="test").count() for m in models]
    assert counts[0] >= 600 and counts[2] >= 30 and counts[3] > 500
    clerk = User.objects.get(username="employer_clerk")
    assert clerk.employer is not None and clerk.employer.name == DEMO_EMPLOYER_NAME
    assert User.objects.get(username="worker_demo").worker.name == DEMO_WORKER_NAME
    today = dt.date.today()
    on_post = Employment.objects.unscoped(reason="test").filter(is_on_post=True)
    unsigned = on_post.exclude(employment_form="part_time").filter(contracts__isnull=True)
    assert unsigned.filter(start_date__lt=today - dt.timedelta(days=31)).exists()
    assert (
        LabourContract.objects.unscoped(reason="test")
        .filter(status="in_force", end_date__gt=today, end_date__lte=today + dt.timedelta(days=30))
        .exists()
    )
    per_employer = on_post.values("employer").annotate(
        n=Count("id"), dispatched=Count("id", filter=Q(employment_form="dispatched"))
    )
    assert any(row["dispatched"] * 10 > row["n"] for row in per_employer)
    call_command("load_demo", scale=0.1, stdout=io.StringIO())
    assert [m.objects.unscoped(reason="test").count() for m in models] == counts
