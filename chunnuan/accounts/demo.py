"""Demo step: the roles and the demo accounts listed in the README (password DEMO_PASSWORD)."""

from __future__ import annotations

import random
from typing import Any

from chunnuan.access.actor import Actor
from chunnuan.accounts.models import ApiToken, Role, User, UserKind
from chunnuan.accounts.services import roles_ensure_defaults, token_digest
from chunnuan.core.crypto import lookup_hash
from chunnuan.employers.models import Employer
from chunnuan.regions.models import Region
from chunnuan.workers.demo import DEMO_WORKER_ID
from chunnuan.workers.models import Worker

DEMO_PASSWORD = "Chunnuan@2026"
DEMO_API_TOKEN = "cn_demo-songyuan-integration-token"  # demo only: lets the README show a working API call

# username, full name, kind, role, jurisdiction region codes
DEMO_ACCOUNTS: list[tuple[str, str, str, str, list[str]]] = [
    ("admin", "系统管理员", UserKind.OFFICER, "admin", ["220700000000"]),
    ("songyuan_city", "松原市人社局干部", UserKind.OFFICER, "bureau_officer", ["220700000000"]),
    ("ningjiang_county", "宁江区人社局干部", UserKind.OFFICER, "bureau_officer", ["220702000000"]),
    ("qianguo_county", "前郭县人社局干部", UserKind.OFFICER, "bureau_officer", ["220721000000"]),
    ("tuanjie_township", "团结街道劳动保障所干部", UserKind.OFFICER, "township_officer", ["220702001000"]),
    ("wenhua_township", "文化街道劳动保障所干部", UserKind.OFFICER, "township_officer", ["220702002000"]),
    ("songyuan_inspector", "松原市劳动保障监察员", UserKind.OFFICER, "inspector", ["220700000000"]),
    ("songyuan_jobs", "松原市就业服务人员", UserKind.OFFICER, "employment_service", ["220700000000"]),
    ("songyuan_training", "松原市培训管理员", UserKind.OFFICER, "training_admin", ["220700000000"]),
    ("songyuan_leader", "松原市领导", UserKind.OFFICER, "leader", ["220700000000"]),
    ("chongqing_officer", "重庆市渝中区人社局干部", UserKind.OFFICER, "bureau_officer", ["500103000000"]),
    ("songyuan_api", "松原市数据交换客户端", UserKind.INTEGRATION, "integration", ["220700000000"]),
]
DEMO_EMPLOYER_CLERK = "employer_clerk"


def _account(
    username: str,
    full_name: str,
    kind: str,
    role: str,
    regions: list[str],
    employer: Employer | None = None,
    worker: Worker | None = None,
) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "kind": kind}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.full_name, user.kind, user.employer, user.worker = full_name, kind, employer, worker
    user.save()
    user.roles.set(Role.objects.filter(code=role))
    user.regions.set(Region.objects.filter(code__in=regions, valid_to__isnull=True))
    return user


def load(*, actor: Actor, rng: random.Random, stdout: Any) -> None:
    roles_ensure_defaults()
    for username, full_name, kind, role, regions in DEMO_ACCOUNTS:
        _account(username, full_name, kind, role, regions)
    employer = (
        Employer.objects.unscoped(reason="demo").filter(region_code="220702001000").order_by("id").first()
    )
    _account(
        DEMO_EMPLOYER_CLERK, "用人单位经办人", UserKind.EMPLOYER, "employer_clerk", [], employer=employer
    )
    worker = Worker.objects.unscoped(reason="demo").get(id_number_hash=lookup_hash(DEMO_WORKER_ID))
    _account("worker_demo", worker.name, UserKind.WORKER, "worker", [], worker=worker)
    admin = User.objects.get(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    ApiToken.objects.get_or_create(
        token_hash=token_digest(DEMO_API_TOKEN),
        defaults={
            "user": User.objects.get(username="songyuan_api"),
            "name": "演示令牌",
            "prefix": DEMO_API_TOKEN[:10],
        },
    )
    stdout.write(f"演示账号: {len(DEMO_ACCOUNTS) + 2}，密码 {DEMO_PASSWORD}")
