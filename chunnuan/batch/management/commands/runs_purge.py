"""``python manage.py runs_purge`` — daily: delete uploads, rejected-rows workbooks and run result
files older than ``CHUNNUAN_RUN_FILE_RETENTION_DAYS`` (default 30), and sweep stale runs.

Idempotent: prints what it removed; a second run the same day removes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.batch.services import run_file_retention_days, runs_purge


class Command(BaseCommand):
    help = "删除超过保存期限的导入文件、未导入行文件和后台任务结果文件（每日运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"保存天数（默认 {run_file_retention_days()} 天，CHUNNUAN_RUN_FILE_RETENTION_DAYS）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with actor_scope(system_actor("runs-purge")):
            report = runs_purge(days=options["days"])
        for upload_id in report.uploads:
            self.stdout.write(f"已删除上传的文件：{upload_id}")
        for name in report.reports:
            self.stdout.write(f"已删除未导入行文件：{name}")
        for run_id in report.result_files:
            self.stdout.write(f"已删除后台任务 #{run_id} 的结果文件")
        for run_id in report.swept:
            self.stdout.write(f"后台任务 #{run_id} 已中断，标记为失败")
        self.stdout.write(
            f"共删除 {len(report.uploads)} 个上传文件、{len(report.reports)} 个未导入行文件、"
            f"{len(report.result_files)} 个结果文件；{len(report.swept)} 个中断的任务"
        )
