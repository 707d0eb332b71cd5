"""Demo step: synthetic employers in the townships of 宁江区 and 前郭县 (松原市)."""

from __future__ import annotations

import random
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.core import synthetic
from chunnuan.employers.services import employer_register
from chunnuan.employers.types import EmployerIn
from chunnuan.regions.models import Region

PER_TOWNSHIP = 3


def demo_townships() -> list[Region]:
    return list(
        Region.objects.filter(
            parent__code__in=["220702000000", "220721000000"], valid_to__isnull=True
        ).order_by("code")
    )


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
    count = 0
    for township in demo_townships():
        for _ in range(PER_TOWNSHIP):
            employer_register(
                actor=actor,
                data=EmployerIn(
                    credit_code=synthetic.credit_code(rng, township.code[:6]),
                    name=synthetic.employer_name(rng, township.short_name or township.name[:2]),
                    region_code=township.code,
                ),
            )
            count += 1
    stdout.write(f"用人单位: {count}")
