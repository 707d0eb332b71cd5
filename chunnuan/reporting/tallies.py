"""名册统计: each employer's roster figures kept in :class:`RosterTally`, and the live regional
figures of the 春暖行动 labour-contract form read from them.

The figures are the base form's (``employer_contract_figures``: on roll, at post, migrant, due,
signed by term, filed, insured), counted by the one definition in
:mod:`chunnuan.employers.selectors`. A tally row also copies the employer's dimensions (region,
industry section, size class, above-scale) so a region's live figures are one ``GROUP BY`` over
one row per employer, never over the roster.

When a tally is recounted:

* **every roster, contract or employer write** in :mod:`chunnuan.employers.services` calls
  :func:`roster_tallies_refresh` for that employer *inside the write's transaction*. The tally is
  then committed (or rolled back) with the write: no moment where a committed roster and its tally
  disagree, and a failed recount fails the write instead of leaving a stale figure behind. The
  recount locks the employers' rows first (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL, which does
  not conflict with the key-share lock an inserted roster row takes on its employer), so two
  transactions writing one employer's roster recount one after the other and the second counts
  both writes — a recount before the lock could otherwise overwrite the first with a figure that
  misses it. SQLite serialises writers anyway.
* **imports** (:mod:`chunnuan.employers.spreadsheets`) collect the employers they touch and recount
  them once, in ``transaction.on_commit`` of the import's one write transaction: the import spec
  has no "after the last batch" hook, and recounting per batch would count a large roster again for
  every 1,000 rows. A dry run or a rolled-back import discards the callback. Should the process
  die between the commit and the recount, the daily run repairs the tallies.
* **daily** (:func:`roster_tallies_refresh_all`, command ``report_refresh_tallies``): what the
  calendar changes without any write — a first month that is over makes an entry due; a roster
  entry whose start date arrives goes on roll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce, Substr

from chunnuan.access.actor import Actor, system_actor
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.employers.models import Employer
from chunnuan.employers.selectors import CONTRACT_FIGURES, employer_contract_figures
from chunnuan.reporting.definitions import FormDef, UnitLevel, get_form
from chunnuan.reporting.models import RosterTally
from chunnuan.reporting.periods import local_today
from chunnuan.reporting.selectors import SummaryRow, region_unit_level, require_report_reader
from chunnuan.reporting.units import UNIT_DEPTH

BATCH = 2000  # employers per recount: three GROUP BY queries and one upsert per batch
SUMMARY_FORM = "CN_CONTRACT_SUMMARY"
_DIMS = ("region_code", "industry_section", "size_class", "is_above_scale")
_TOWNSHIP_DEPTH = UNIT_DEPTH[UnitLevel.TOWNSHIP]


def _system() -> Actor:
    return system_actor("roster-tallies")


# ---------------------------------------------------------------------------------------------
# Writes: recount
# ---------------------------------------------------------------------------------------------


def roster_tallies_refresh(*, employer_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Recount the tallies of these employers as on ``today`` (default: today in China); returns
    how many tally rows were written. Ids of employers that do not exist are skipped. Runs as a
    system actor: the caller has already checked that it may write these employers."""
    today = today or local_today()
    ids = sorted({int(pk) for pk in employer_ids})
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[start : start + BATCH], today)
    return written


@transaction.atomic
def _refresh_batch(ids: list[int], today: dt.date) -> int:
    employers = list(
        Employer.objects.unscoped(reason="roster tallies: system recount of the given employers")
        .filter(pk__in=ids)
        .select_for_update(no_key=True)
        .order_by("pk")
        .values_list("pk", *_DIMS)
    )
    if not employers:
        return 0
    figures = employer_contract_figures(actor=_system(), employer_ids=[e[0] for e in employers], today=today)
    tallies = [
        RosterTally(
            employer_id=pk,
            region_code=region_code,
            industry_section=section,
            size_class=size,
            is_above_scale=above,
            as_of=today,
            **figures[pk],
        )
        for pk, region_code, section, size, above in employers
    ]
    RosterTally.plain.bulk_create(
        tallies,
        update_conflicts=True,
        unique_fields=["employer"],
        update_fields=[*_DIMS, *CONTRACT_FIGURES, "as_of"],
    )
    return len(tallies)


def roster_tallies_refresh_all(today: dt.date | None = None) -> int:
    """The daily recount of every employer (what the calendar changed); idempotent."""
    ids = list(
        Employer.objects.unscoped(reason="roster tallies: the daily recount of every employer")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return roster_tallies_refresh(employer_ids=ids, today=today)


# ---------------------------------------------------------------------------------------------
# Reads: live figures of a region
# ---------------------------------------------------------------------------------------------


def _summary_form() -> FormDef:
    return get_form(SUMMARY_FORM)


def _region_tallies(actor: Actor, region_code: str) -> Any:
    require_report_reader(actor)
    ensure_in_scope(actor, region_code)
    prefix = region_code[: UNIT_DEPTH[region_unit_level(region_code)]]
    return RosterTally.objects.visible_to(actor).filter(region_code__startswith=prefix)


def live_contract_rows(*, actor: Actor, region_code: str) -> list[SummaryRow]:
    """The live figures of every township × industry section × size class × above-scale under the
    region, from the tallies (one GROUP BY), in the shape and order of a summary's roll-up rows."""
    form = _summary_form()
    codes = [f.code for f in form.input_fields]
    grouped = (
        _region_tallies(actor, region_code)
        .annotate(township=Substr("region_code", 1, _TOWNSHIP_DEPTH))
        .values("township", "industry_section", "size_class", "is_above_scale")
        .annotate(**{f"sum_{code}": Sum(code) for code in codes})
        .order_by()
    )
    rows = [
        SummaryRow(
            region=item["township"].ljust(12, "0"),
            section=item["industry_section"] or "",
            size=item["size_class"] or "",
            above_scale=bool(item["is_above_scale"]),
            values=form.complete({code: int(item[f"sum_{code}"] or 0) for code in codes}),
        )
        for item in grouped
    ]
    rows.sort(key=lambda r: (r.region, r.section, r.size, str(r.above_scale)))
    return rows


def live_contract_totals(*, actor: Actor, region_code: str) -> dict[str, int | None]:
    """The region's live figures in one row (computed fields included)."""
    form = _summary_form()
    codes = [f.code for f in form.input_fields]
    totals = _region_tallies(actor, region_code).aggregate(**{code: Coalesce(Sum(code), 0) for code in codes})
    return form.complete({code: int(totals[code]) for code in codes})


def roster_due_signed(*, actor: Actor, prefix: str) -> tuple[int, int]:
    """(due, signed) — contracts due and signed — of the rosters of every employer under ``prefix``,
    summed over one tally row per employer (never the rosters), within the actor's reach. The same
    definitions as the 用工统计 page (``employers.selectors``); ``due - signed`` is its "over a month
    without a contract". As of the tallies' last recount: every roster write, and daily."""
    totals = (
        RosterTally.objects.visible_to(actor)
        .filter(region_code__startswith=prefix)
        .aggregate(due=Coalesce(Sum("due"), 0), signed=Coalesce(Sum("signed"), 0))
    )
    return int(totals["due"]), int(totals["signed"])
