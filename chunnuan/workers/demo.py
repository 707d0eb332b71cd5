"""Demo step: synthetic migrant workers of 宁江区 and 前郭县, some working in other places."""

from __future__ import annotations

import random
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.core import synthetic
from chunnuan.employers.demo import demo_townships
from chunnuan.workers.services import worker_register
from chunnuan.workers.types import WorkerIn

PER_TOWNSHIP = 12
DEMO_WORKER_PHONE = "13800138000"
DEMO_WORKER_NAME = "张春生"
DEMO_WORKER_ID = "220702199003151238"  # synthetic; check digit valid
WORK_PLACES = ["220702001000", "220781001000", "500103000000", "500112000000", ""]


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
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
    count = 1
    for township in demo_townships():
        for _ in range(PER_TOWNSHIP):
            worker_register(
                actor=actor,
                data=WorkerIn(
                    name=synthetic.person_name(rng),
                    id_number=synthetic.id_number(rng, township.code[:6]),
                    phone=synthetic.phone(rng),
                    origin_region_code=township.code,
                    work_region_code=rng.choice(WORK_PLACES),
                ),
            )
            count += 1
    stdout.write(f"农民工: {count}")
