"""``python manage.py load_demo`` — the demo city (吉林省松原市), accounts and synthetic data.

Idempotent. Each app that contributes demo data has a ``demo.py`` with
``load(*, actor, rng, stdout) -> None``; add yours to ``DEMO_STEPS`` in dependency order.
"""

from __future__ import annotations

import importlib
import os
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope

DEMO_STEPS = [
    "chunnuan.regions.demo",
    "chunnuan.employers.demo",
    "chunnuan.workers.demo",
    "chunnuan.accounts.demo",
    "chunnuan.reporting.demo",  # acts as the demo officers: after the accounts
]


class Command(BaseCommand):
    help = "载入演示数据（松原市、演示账号、合成的农民工和用人单位），可重复执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help="演示数据规模系数（默认取环境变量 CHUNNUAN_DEMO_SCALE，未设置为 1：约 6000 名农民工、300 家用人单位）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_actor("load_demo")
        rng = random.Random(20260122)  # noqa: S311 — synthetic data, reproducible
        previous = os.environ.get("CHUNNUAN_DEMO_SCALE")
        if options.get("scale") is not None:  # the steps read it through employers.demo.demo_scale()
            os.environ["CHUNNUAN_DEMO_SCALE"] = str(options["scale"])
        try:
            with actor_scope(actor):
                for step in DEMO_STEPS:
                    module = importlib.import_module(step)
                    module.load(actor=actor, rng=rng, stdout=self.stdout)
        finally:
            if previous is None:
                os.environ.pop("CHUNNUAN_DEMO_SCALE", None)
            else:
                os.environ["CHUNNUAN_DEMO_SCALE"] = previous
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
