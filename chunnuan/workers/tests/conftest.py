"""Helpers for the ledger's tests: synthetic people and officers acting in their regions."""

from __future__ import annotations

import random

import pytest

from chunnuan.access.scoping import actor_scope
from chunnuan.core import synthetic
from chunnuan.workers.types import WorkerIn


@pytest.fixture
def rng():
    return random.Random(42)


@pytest.fixture
def person(rng):
    """A factory of WorkerIn for a fresh synthetic person."""

    def make(origin: str = "220702001000", work: str = "", **extra):
        return WorkerIn(
            name=extra.pop("name", synthetic.person_name(rng)),
            id_number=extra.pop("id_number", synthetic.id_number(rng, origin[:6])),
            phone=extra.pop("phone", synthetic.phone(rng)),
            origin_region_code=origin,
            work_region_code=work,
            **extra,
        )

    return make


@pytest.fixture
def acting(personas):
    """``with acting("county") as actor:`` — the persona's actor, active for the block."""

    def make(name: str):
        return actor_scope(personas.actor(name))

    return make
