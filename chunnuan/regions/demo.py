"""Demo step: make sure the demo regions (吉林省 and 重庆市) are loaded."""

from __future__ import annotations

import random
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.regions.models import Region

DEMO_PROVINCES = ["22", "50"]  # 吉林省 (the demo city 松原市) and 重庆市 (the other province)


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
    from chunnuan.regions.services import regions_load

    if (
        Region.objects.filter(code="220700000000").exists()
        and Region.objects.filter(code__startswith="50").exists()
    ):
        return
    result = regions_load(actor=actor, provinces=DEMO_PROVINCES)
    stdout.write(f"行政区划: {result}")
