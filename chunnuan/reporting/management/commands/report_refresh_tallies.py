"""``python manage.py report_refresh_tallies [--employer ID ...] [--date YYYY-MM-DD]`` — recount the
roster tallies (名册统计): every employer once a day (cron / systemd timer, after midnight), or the
given employers."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.reporting.tallies import roster_tallies_refresh, roster_tallies_refresh_all


class Command(BaseCommand):
    help = "重新统计用人单位名册统计（每日运行；或指定单位）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employer", type=int, nargs="+", metavar="ID", help="只统计这些用人单位（ID）")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="统计日期（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        t0 = time.perf_counter()
        with actor_scope(system_actor("report-refresh-tallies")):
            if options["employer"]:
                count = roster_tallies_refresh(employer_ids=options["employer"], today=options["date"])
            else:
                count = roster_tallies_refresh_all(options["date"])
        self.stdout.write(f"已统计 {count} 家用人单位，用时 {time.perf_counter() - t0:.1f} 秒")
