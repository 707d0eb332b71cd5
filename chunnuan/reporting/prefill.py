"""Where a form's prefilled figures come from: the roster (职工名册) and the ledger (实名制台帐).

Each function takes the actor, the reporting unit and the period, and returns {field: figure}.
Figures are counted as on the period's last day, or today while the period is still running.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from chunnuan.access.actor import Actor
from chunnuan.reporting.periods import Period, local_today

if TYPE_CHECKING:
    from chunnuan.reporting.units import Unit


def _as_of(period: Period) -> dt.date:
    return min(period.end, local_today())


def employer_contract_figures(*, actor: Actor, unit: Unit, period: Period) -> dict[str, int]:
    from chunnuan.employers.selectors import employer_contract_figures as figures

    assert unit.employer_id is not None
    return figures(actor=actor, employer_ids=[unit.employer_id], today=_as_of(period))[unit.employer_id]


def township_dispatch_figures(*, actor: Actor, unit: Unit, period: Period) -> dict[str, int]:
    from chunnuan.workers.selectors import township_dispatch_figures as figures

    return figures(actor=actor, region_code=unit.region_code, start=period.start, end=period.end)


def township_returnee_employment_figures(*, actor: Actor, unit: Unit, period: Period) -> dict[str, int]:
    from chunnuan.workers.selectors import returnee_employment_figures as figures

    return figures(actor=actor, region_code=unit.region_code, start=period.start, end=_as_of(period))
