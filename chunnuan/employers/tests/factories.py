"""Helpers for the employers tests: employers, roster entries and contracts with valid identifiers."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from chunnuan.access.actor import system_actor
from chunnuan.core import synthetic
from chunnuan.employers import services
from chunnuan.employers.types import ContractIn, EmployerIn, EmploymentIn

SYSTEM = system_actor("tests")
_rng = random.Random(42)
TOWNSHIP_A = "220702001000"
TOWNSHIP_B = "220702002000"


def employer(region: str = TOWNSHIP_A, **fields: Any) -> Any:
    data = {
        "credit_code": synthetic.credit_code(_rng, region[:6]),
        "name": f"测试单位{_rng.randint(1, 10**6)}",
        "region_code": region,
        **fields,
    }
    return services.employer_register(actor=SYSTEM, data=EmployerIn(**data))


def id_number(address6: str = "220702", birth: str = "19900101") -> str:
    first = f"{address6}{birth}{_rng.randint(0, 999):03d}"
    return _check(first)


_serial = itertools.count(1)


def unique_id(address6: str = "220702") -> str:
    n = next(_serial)
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n % 12000)
    return _check(f"{address6}{birth:%Y%m%d}{n % 1000:03d}")


def _check(first17: str) -> str:
    from chunnuan.core.identifiers import id_check_char

    return first17 + id_check_char(first17)


def employment(
    emp: Any,
    start: dt.date,
    *,
    form: str = "full_time",
    name: str = "",
    address6: str = "220702",
    **fields: Any,
) -> Any:
    return services.employment_add(
        actor=SYSTEM,
        employer_id=emp.pk,
        data=EmploymentIn(
            id_number=unique_id(address6),
            name=name or f"职工{_rng.randint(1, 10**6)}",
            employment_form=form,
            start_date=start,
            **fields,
        ),
    )


def contract(emp_row: Any, start: dt.date, end: dt.date | None = None, kind: str = "fixed_term") -> Any:
    return services.contract_sign(
        actor=SYSTEM,
        employment_id=emp_row.pk,
        data=ContractIn(
            contract_type=kind, signed_date=min(start, dt.date.today()), start_date=start, end_date=end
        ),
    )
