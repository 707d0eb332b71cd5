"""``python manage.py import_ledger KIND FILE [--region CODE] [--employer USCC]
[--mode valid-rows|all-or-nothing] [--dry-run] [--json]``

Acts as the system actor ``import_ledger``, limited to ``--region`` when given. Exit status: 0 when
no row was rejected, 1 when some were, 2 when the file cannot be read at all (or the kind, region or
employer is wrong). With ``--json`` the last line of output is one JSON object (see
``ImportResult.as_json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.batch.services import import_execute
from chunnuan.core.errors import DomainError
from chunnuan.core.importing.engine import MODES
from chunnuan.core.importing.reader import ReadError

EXIT_REJECTED, EXIT_UNREADABLE = 1, 2  # 0 when nothing was rejected


class Command(BaseCommand):
    help = "从表格文件导入台帐（xlsx/xls/csv）：KIND 为 workers、employers 或 roster"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="导入类型：workers / employers / roster …")
        parser.add_argument("file", help="表格文件路径")
        parser.add_argument(
            "--region", default="", help="所选地区的区划代码（6、9或12位）；导入者的范围也限于此"
        )
        parser.add_argument("--employer", default="", help="用人单位的统一社会信用代码（roster 必填）")
        parser.add_argument(
            "--mode", default="valid-rows", choices=MODES, help="导入正确的行，或全部正确才导入"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")

    def _fail(self, message: str, options: dict[str, Any]) -> None:
        if options["json"]:  # the same shape, so a caller can always parse the last line
            failed = {
                "kind": options["kind"],
                **dict.fromkeys(("rows", "created", "updated", "unchanged", "rejected", "warnings"), 0),
                "errors": [{"row": 0, "column": "", "message": message}],
                "error_report": None,
            }
            self.stdout.write(json.dumps(failed, ensure_ascii=False))
        self.stderr.write(message)
        sys.exit(EXIT_UNREADABLE)

    def handle(self, *args: Any, **options: Any) -> None:
        from chunnuan.regions.selectors import region_get

        path = Path(options["file"])
        if not path.is_file():
            self._fail(f"找不到文件：{path}", options)
        actor = system_actor("import_ledger")
        region_code = ""
        if options["region"]:
            code = "".join(options["region"].split())
            padded = code.ljust(12, "0") if code.isdigit() and len(code) in (2, 4, 6, 9, 12) else code
            try:
                region = region_get(code=padded)
            except DomainError:
                self._fail(f"区划代码“{code}”不存在", options)
                return
            region_code = region.code
            actor = system_actor("import_ledger", region_prefixes=(region.scope_prefix,))

        def progress(done: int, total: int, message: str) -> None:
            if message and not options["json"]:
                self.stdout.write(message)

        try:
            with actor_scope(actor):
                result = import_execute(
                    actor=actor,
                    kind=options["kind"],
                    source=path,
                    filename=path.name,
                    region_code=region_code or None,
                    employer=options["employer"] or None,
                    mode=options["mode"],
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except (ReadError, DomainError) as exc:
            self._fail(exc.message, options)
            return
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(result.summary)
            if result.note:
                self.stdout.write(result.note)
            if result.ignored_columns:
                self.stdout.write("已忽略的列：" + "、".join(result.ignored_columns))
            for error in result.errors[:50]:
                self.stdout.write(f"第{error['row']}行 {error['column']}：{error['message']}")
            if len(result.errors) > 50:
                self.stdout.write(f"……共 {len(result.errors)} 条错误")
            if result.error_report:
                self.stdout.write(f"未导入的行已写入：{result.error_report}")
        if result.rejected:
            sys.exit(EXIT_REJECTED)
