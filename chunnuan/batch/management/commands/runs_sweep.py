"""``python manage.py runs_sweep`` — fail the runs whose worker died (no heartbeat).

Run it before starting ``db_worker`` (scripts/run-demo.sh does; a systemd unit's ExecStartPre)
and every few minutes from cron; a worker also sweeps when it takes a task, and so does the runs
page. Idempotent: prints the runs it failed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.batch.services import run_stale_seconds, run_sweep


class Command(BaseCommand):
    help = "把处理进程已停止（没有心跳）的后台任务标记为失败"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-seconds",
            type=float,
            default=None,
            help=f"多久没有心跳算作中断（默认 {run_stale_seconds():g} 秒）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with actor_scope(system_actor("runs-sweep")):
            swept = run_sweep(stale_seconds=options["stale_seconds"])
        for run_id in swept:
            self.stdout.write(f"后台任务 #{run_id} 已中断，标记为失败")
        self.stdout.write(f"共 {len(swept)} 个中断的后台任务")
