"""Test helpers shared by every app's tests: a small region tree and the named personas.

Personas (one fixture, used everywhere — see conftest.py):
    township_a  officer of 团结街道 (220702001)      township_b  officer of sibling 文化街道 (220702002)
    county      officer of 宁江区 (220702)           city        officer of 松原市 (2207)
    elsewhere   officer of 重庆市渝中区 (500103)      clerk       clerk of an employer in 团结街道
    worker      a worker whose 户籍 is in 团结街道     admin       administrator of 松原市
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.access.auth import actor_for_user
from chunnuan.core import synthetic
from chunnuan.regions.models import Region, RegionKind, RegionLevel

TEST_PASSWORD = "Chunnuan@2026"

REGION_ROWS = [
    ("220000000000", "吉林省", RegionLevel.PROVINCE, RegionKind.PROVINCE, None),
    ("220700000000", "松原市", RegionLevel.CITY, RegionKind.CITY, "220000000000"),
    ("220702000000", "宁江区", RegionLevel.COUNTY, RegionKind.DISTRICT, "220700000000"),
    ("220721000000", "前郭尔罗斯蒙古族自治县", RegionLevel.COUNTY, RegionKind.COUNTY, "220700000000"),
    ("220702001000", "团结街道", RegionLevel.TOWNSHIP, RegionKind.STREET, "220702000000"),
    ("220702002000", "文化街道", RegionLevel.TOWNSHIP, RegionKind.STREET, "220702000000"),
    ("220721100000", "前郭尔罗斯镇", RegionLevel.TOWNSHIP, RegionKind.TOWN, "220721000000"),
    ("500000000000", "重庆市", RegionLevel.PROVINCE, RegionKind.MUNICIPALITY, None),
    ("500103000000", "渝中区", RegionLevel.COUNTY, RegionKind.DISTRICT, "500000000000"),
]


def make_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, kind, parent in REGION_ROWS:
        regions[code], _ = Region.objects.get_or_create(
            code=code,
            valid_to=None,
            defaults={
                "name": name,
                "short_name": name[:2],
                "level": level,
                "kind": kind,
                "parent": regions.get(parent) if parent else None,
            },
        )
    return regions


@dataclass
class Personas:
    township_a: Any
    township_b: Any
    county: Any
    city: Any
    elsewhere: Any
    clerk: Any
    worker: Any
    admin: Any
    integration: Any
    worker_record: Any
    employer: Any

    def actor(self, name: str) -> Actor:
        return actor_for_user(getattr(self, name), ip="127.0.0.1")


def make_user(username: str, role: str, regions: list[str] = (), **extra: Any) -> Any:  # type: ignore[assignment]
    from chunnuan.accounts.models import Role, User

    user = User(username=username, full_name=username, **extra)
    user.set_password(TEST_PASSWORD)
    user.save()
    user.roles.set(Role.objects.filter(code=role))
    user.regions.set(Region.objects.filter(code__in=regions, valid_to__isnull=True))
    return user


def make_personas() -> Personas:
    from chunnuan.access.actor import system_actor
    from chunnuan.accounts.services import roles_ensure_defaults
    from chunnuan.employers.services import employer_register
    from chunnuan.employers.types import EmployerIn
    from chunnuan.workers.services import worker_register
    from chunnuan.workers.types import WorkerIn

    make_regions()
    roles_ensure_defaults()
    system = system_actor("tests")
    rng = random.Random(7)
    employer = employer_register(
        actor=system,
        data=EmployerIn(
            credit_code=synthetic.credit_code(rng, "220702"),
            name="团结测试建筑有限公司",
            region_code="220702001000",
        ),
    )
    worker_record = worker_register(
        actor=system,
        data=WorkerIn(
            name="甲镇测试工人",
            id_number="220702199003151238",
            phone="13800138000",
            origin_region_code="220702001000",
            work_region_code="220702001000",
        ),
    )
    return Personas(
        township_a=make_user("township_a", "township_officer", ["220702001000"]),
        township_b=make_user("township_b", "township_officer", ["220702002000"]),
        county=make_user("county", "bureau_officer", ["220702000000"]),
        city=make_user("city", "bureau_officer", ["220700000000"]),
        elsewhere=make_user("elsewhere", "bureau_officer", ["500103000000"]),
        clerk=make_user("clerk", "employer_clerk", kind="employer", employer=employer),
        worker=make_user("worker", "worker", kind="worker", worker=worker_record),
        admin=make_user("admin", "admin", ["220700000000"]),
        integration=make_user("integration", "integration", ["220702002000"], kind="integration"),
        worker_record=worker_record,
        employer=employer,
    )


def officer(prefix: str, *perms: Any, user_id: int | None = None) -> Actor:
    """An officer actor over one code prefix holding ``perms`` (no database row needed)."""
    from chunnuan.access.actor import ActorKind

    return Actor(
        kind=ActorKind.OFFICER,
        label=f"officer-{prefix}",
        region_prefixes=(prefix,),
        permissions=frozenset(str(p) for p in perms),
        user_id=user_id,
    )


def make_officer_user(username: str, prefix: str, perms: Any) -> Any:
    """An officer user with a role of exactly ``perms`` over the county-level ``prefix``."""
    from chunnuan.accounts.models import Role, User

    region, _ = Region.objects.get_or_create(
        code=prefix.ljust(12, "0"),
        valid_to=None,
        defaults={"name": f"区{prefix}", "level": RegionLevel.COUNTY, "kind": RegionKind.DISTRICT},
    )
    role = Role.objects.create(code=f"role-{username}", name=username, permissions=[str(p) for p in perms])
    user = User.objects.create_user(username=username, password=TEST_PASSWORD, kind="officer")
    user.roles.add(role)
    user.regions.add(region)
    return user


def run_parallel(count: int, request: Any) -> list[Any]:
    """Run ``request(i)`` in ``count`` threads released at once (each closes its own connection);
    an exception is returned in its place, for the test to fail on. For the parallel-requests tests."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = request(i)
        except Exception as exc:  # reported back to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _needs_postgres() -> Any:
    import pytest
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel requests need a database server; SQLite's in-memory test database is one connection",
    )


needs_postgres = _needs_postgres()
"""Mark for the parallel-requests tests: they run on PostgreSQL (the suite runs there too)."""
