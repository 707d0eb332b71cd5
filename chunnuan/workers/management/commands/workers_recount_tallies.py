"""``python manage.py workers_recount_tallies`` — recount the ledger's region tally (台帐人数统计) from
the ledger: the repair when an import's after-commit update was lost (the process died between the
commit and it) or after data were written around the services (a restore, a hand-made fix)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.workers.tallies import worker_tallies_recount


class Command(BaseCommand):
    help = "按台帐重新统计各地区农民工人数（台帐人数统计）"

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        with actor_scope(system_actor("workers-recount-tallies")):
            count = worker_tallies_recount()
        self.stdout.write(f"已统计 {count} 个地区，用时 {time.perf_counter() - t0:.1f} 秒")
