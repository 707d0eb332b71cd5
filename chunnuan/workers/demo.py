"""Demo step: the real-name ledger of the demo city (松原市), its rosters, contracts and timelines.

- the demo worker 张春生 (phone 13800138000), registered through the service;
- ``WORKERS`` × ``demo_scale()`` synthetic people (``chunnuan.core.synthetic``): most from the
  city's five counties (working locally, in 长春, in 重庆, further away or at home), some from
  labour-exporting counties of 重庆 working in the city; help groups, needs, and the movements of a
  festival season that ends on the day of the load (``synthetic.Season``: came home, stayed for the
  festival, went back out after 正月十五 — in the weeks the campaign in progress reports on);
- the rosters (职工名册) of the city's employers with labour contracts and their events: signed,
  renewed, terminated/dissolved; unsigned entries past the 1-month rule; dispatched workers (one
  employer over the 10% cap); contracts ending within 30 days of today;
- the demo clerk's employer (``employers.demo.DEMO_EMPLOYER_NAME``) gets a roster of
  ``SHOWCASE_STAFF`` with every case its clerk should see (``synthetic.showcase_roster``), so its
  base form's prefilled 系统数 and its home's contracts ending / people without a contract show;
- each employer's roster tally (``reporting.tallies``), recounted once after the bulk writes; the
  region tally of the ledger (``workers.tallies``) moved by the people written.

Written with ``bulk_create``, only for people whose ID number is not in the ledger yet — so
re-running changes nothing. Dates of timelines, rosters and contracts are relative to the day it
first runs (``timezone.localdate()``); the people (names, ID numbers) are the same on any day.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.core import crypto, synthetic
from chunnuan.employers.demo import demo_employer_code, demo_scale, demo_townships
from chunnuan.employers.models import ContractEvent, Employer, Employment, LabourContract
from chunnuan.reporting.tallies import roster_tallies_refresh
from chunnuan.workers.models import Worker, WorkerEvent
from chunnuan.workers.services import worker_register
from chunnuan.workers.tallies import worker_tallies_move
from chunnuan.workers.types import WorkerIn

WORKERS = 6000  # at scale 1
DEMO_WORKER_PHONE = "13800138000"
DEMO_WORKER_NAME = "张春生"
DEMO_WORKER_ID = "220702199003151238"  # synthetic; check digit valid
SEED = 20260303
OUTSIDE_SHARE = 0.15  # people from labour-exporting counties working in the city
SHOWCASE_STAFF = 14  # the demo clerk's employer's roster, at any scale

_WORKER_FIELDS = [
    "name", "id_number", "sex", "birth_date", "phone", "origin_region_code", "work_region_code", "hukou_type",
    "origin_address", "current_address", "work_place", "education", "skills", "trade", "job_intention",
    "employment_status", "movement_status", "movement_date", "has_pension_insurance", "has_medical_insurance",
    "has_injury_insurance", "note", *synthetic.HELP_GROUP_RATES, *synthetic.NEED_RATES,
]  # fmt: skip


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
    manager = Worker.objects.unscoped(reason="demo data")
    if not manager.filter(id_number_hash=crypto.lookup_hash(DEMO_WORKER_ID)).exists():  # registered once
        worker_register(
            actor=actor,
            data=WorkerIn(
                name=DEMO_WORKER_NAME,
                id_number=DEMO_WORKER_ID,
                phone=DEMO_WORKER_PHONE,
                origin_region_code="220702001000",
                work_region_code="500103000000",
            ),
        )
    city = [t.code for t in demo_townships()]
    if not city:
        return
    gen = random.Random(SEED)
    today = timezone.localdate()
    outside = [c for county in synthetic.EXPORTING_COUNTIES for c in synthetic.townships(county)]
    people = list(
        synthetic.generate_workers(
            gen, round(WORKERS * demo_scale()), city, outside_region_codes=outside, outside_share=OUTSIDE_SHARE,
            season=synthetic.Season.ending(today), unique_ids={DEMO_WORKER_ID},
        )
    )  # fmt: skip
    hashes = [crypto.lookup_hash(p["id_number"]) for p in people]
    existing: set[str | None] = set()
    for i in range(0, len(hashes), 500):
        existing |= set(
            manager.filter(id_number_hash__in=hashes[i : i + 500]).values_list("id_number_hash", flat=True)
        )
    new_index = [i for i, h in enumerate(hashes) if h not in existing]
    if not new_index:
        stdout.write(f"农民工: {len(people) + 1}（已存在）")
        return
    with transaction.atomic():
        created = _create(gen, people, new_index, city, today)
    stdout.write(
        f"农民工: {len(people) + 1}（新建 {created['workers']}），名册 {created['employments']} 条，"
        f"劳动合同 {created['contracts']} 份，动态 {created['events']} 条"
    )


def _create(
    gen: random.Random, people: list[dict[str, Any]], new_index: list[int], city: list[str], today: dt.date
) -> dict[str, int]:
    city_set = set(city)
    employers: list[dict[str, Any]] = [
        dict(row)
        for row in Employer.objects.unscoped(reason="demo data")
        .filter(region_code__in=city, is_dispatch_agency=False)
        .order_by("id")
        .values("id", "region_code", "industry_section", "staff_count", "name", "credit_code")
    ]
    # The roster: people who work in the city now; past spells for others.
    current = [p["work_region_code"] in city_set for p in people]
    entries = synthetic.generate_roster(
        gen, employers, people, today=today, past_spells=0.6, current=current,
        dispatch_violator=_violator(employers),
    )  # fmt: skip
    entries = _with_showcase(gen, employers, entries, today)
    for entry in entries:
        if entry["is_on_post"]:  # the roster decides where they work and that they are employed
            person, employer = people[entry["worker"]], employers[entry["employer"]]
            person["work_region_code"] = employer["region_code"]
            person["work_place"] = employer["name"]
            person["employment_status"] = "employed"
    workers = []
    for i in new_index:
        worker = Worker(**{f: people[i][f] for f in _WORKER_FIELDS})
        worker.refresh_lookup_hashes()
        workers.append(worker)
    Worker.objects.unscoped(reason="demo data").bulk_create(workers, batch_size=500)
    worker_tallies_move(after=[(w.origin_region_code, w.work_region_code) for w in workers])
    pk = {i: w.pk for i, w in zip(new_index, workers, strict=True)}
    events = [
        WorkerEvent(worker_id=pk[i], kind=e["kind"], date=e["date"], place=e["place"], region_code=e["region_code"],
                    note=e["note"])
        for i in new_index for e in people[i]["events"]
    ]  # fmt: skip
    WorkerEvent.objects.unscoped(reason="demo data").bulk_create(events, batch_size=1000)
    mine = [en for en in entries if en["worker"] in pk]
    employments = [
        Employment(
            employer_id=employers[en["employer"]]["id"],
            worker_id=pk[en["worker"]],
            region_code=employers[en["employer"]]["region_code"],
            worker_origin_region_code=people[en["worker"]]["origin_region_code"],
            employment_form=en["employment_form"],
            post=en["post"],
            start_date=en["start_date"],
            end_date=en["end_date"],
            is_migrant_worker=en["is_migrant_worker"],
            is_on_post=en["is_on_post"],
            is_insured=en["is_insured"],
        )
        for en in mine
    ]
    Employment.objects.unscoped(reason="demo data").bulk_create(employments, batch_size=1000)
    signed = [(en["contract"], emp) for en, emp in zip(mine, employments, strict=True) if en["contract"]]
    contracts = [
        LabourContract(
            employment_id=emp.pk,
            contract_type=c["contract_type"],
            signed_date=c["signed_date"],
            start_date=c["start_date"],
            end_date=c["end_date"],
            probation_months=c["probation_months"],
            status=c["status"],
            ended_date=c["ended_date"],
        )
        for c, emp in signed
    ]
    LabourContract.objects.unscoped(reason="demo data").bulk_create(contracts, batch_size=1000)
    contract_events = [
        ContractEvent(contract_id=lc.pk, kind=kind, date=date, new_end_date=new_end)
        for (c, _), lc in zip(signed, contracts, strict=True)
        for kind, date, new_end in c["events"]
    ]
    ContractEvent.objects.unscoped(reason="demo data").bulk_create(contract_events, batch_size=1000)
    roster_tallies_refresh(employer_ids=sorted({e.employer_id for e in employments}), today=today)
    return {"workers": len(workers), "employments": len(employments), "contracts": len(contracts),
            "events": len(events) + len(contract_events)}  # fmt: skip


def _with_showcase(
    gen: random.Random, employers: list[dict[str, Any]], entries: list[dict[str, Any]], today: dt.date
) -> list[dict[str, Any]]:
    """The demo clerk's employer takes over ``SHOWCASE_STAFF`` people at post elsewhere (its own
    township's first), with the showcase mix of contracts; the other entries stay as they are."""
    code = demo_employer_code()
    mine = next((i for i, e in enumerate(employers) if e["credit_code"] == code), None)
    if mine is None:
        return entries
    region = employers[mine]["region_code"]
    movable = [
        n
        for n, en in enumerate(entries)
        if en["is_on_post"] and en["employer"] != mine and en["employment_form"] != "dispatched"
    ]
    movable.sort(key=lambda n: employers[entries[n]["employer"]]["region_code"] != region)  # stable
    taken = movable[:SHOWCASE_STAFF]
    showcase = synthetic.showcase_roster(
        gen, employers, mine, [entries[n]["worker"] for n in taken], today=today
    )
    dropped = set(taken)
    return [en for n, en in enumerate(entries) if n not in dropped] + showcase


def _violator(employers: list[dict[str, Any]]) -> int | None:
    """The employer over the 10% dispatch cap: the first medium or large manufacturer, if any."""
    for i, e in enumerate(employers):
        if e["industry_section"] == "C" and (e["staff_count"] or 0) >= 300:
            return i
    return 1 if len(employers) > 1 else None
