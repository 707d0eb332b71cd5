"""``python manage.py report_export FORM_CODE --region CODE --period PERIOD
[--format xlsx|pdf|json] -o FILE``

Writes one form's figures for a region and a period (the same data as the export page) to FILE.
Acts as the system actor ``report_export`` (every permission, nationwide); the filler's phone is
masked as in every export. Exit status: 0 written; 2 bad arguments (unknown form, region or
period, a period the form does not have, a region at a level that does not file the form);
1 any other failure (e.g. the file cannot be written). Messages are in Chinese, on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.core.errors import DomainError
from chunnuan.reporting import exports

EXIT_FAILED, EXIT_BAD_ARGUMENTS = 1, 2


class Command(BaseCommand):
    help = "导出报表：基层表（各单位已上报的报表）或汇总表（下级已审核报表的汇总），格式 xlsx、pdf 或 json"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("form_code", help="报表代码，如 CN_CONTRACT_SUMMARY（见 report_forms）")
        parser.add_argument("--region", required=True, help="地区区划代码（6、9或12位）")
        parser.add_argument(
            "--period",
            required=True,
            help="报表期间：2026、2026Q1、2026-02、2026-02D2、2026W07 或专项行动代码",
        )
        parser.add_argument("--format", default="xlsx", help="导出格式：xlsx（默认）、pdf 或 json")
        parser.add_argument("-o", "--output", required=True, help="写入的文件路径")

    def _fail(self, message: str, status: int) -> NoReturn:
        self.stderr.write(message)
        sys.exit(status)

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = str(options["format"]).strip().lower()
        if fmt not in exports.FORMATS:
            self._fail(f"导出格式“{options['format']}”不支持，应为 xlsx、pdf 或 json", EXIT_BAD_ARGUMENTS)
        output = Path(options["output"])
        actor = system_actor("report_export")
        try:
            with actor_scope(actor):
                data = exports.report_data(
                    actor=actor,
                    form_code=options["form_code"],
                    region_code=options["region"],
                    period_key=options["period"],
                )
                content, _type, _name = exports.report_bytes(data, fmt)
        except DomainError as exc:
            status = EXIT_FAILED if exc.code == "font_missing" else EXIT_BAD_ARGUMENTS
            self._fail(exc.message, status)
        try:
            output.write_bytes(content)
        except OSError as exc:
            self._fail(f"无法写入文件 {output}：{exc.strerror or exc}", EXIT_FAILED)
        self.stdout.write(f"已导出 {data.title}（{data.period.label}，{len(data.rows)} 行）到 {output}")
