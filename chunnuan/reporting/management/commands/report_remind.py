"""``python manage.py report_remind [--date YYYY-MM-DD]`` — queue today's report reminders (催报).

Run daily (idempotent per unit, form, period and day). Acts as the system actor ``report_remind``.
Exit status 2 for a malformed ``--date``; 1 when the reminders cannot be worked out (e.g. a deadline
in a year the working-day calendar does not know yet).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.core.errors import DomainError
from chunnuan.reporting import services
from chunnuan.reporting.periods import local_today

EXIT_FAILED, EXIT_BAD_ARGUMENTS = 1, 2


class Command(BaseCommand):
    help = "发送报表催报：截止前两个工作日内、逾期1、3、7天的未报单位"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="按哪一天催报（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = local_today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"].strip())
            except ValueError:
                self.stderr.write(f"日期“{options['date']}”格式不正确，应为 YYYY-MM-DD")
                sys.exit(EXIT_BAD_ARGUMENTS)
        actor = system_actor("report_remind")
        try:
            with actor_scope(actor):
                queued = services.reminders_send(actor=actor, today=today)
        except DomainError as exc:
            self.stderr.write(exc.message)
            sys.exit(EXIT_FAILED)
        self.stdout.write(f"{today:%Y-%m-%d}：已将 {queued} 条催报消息加入发送队列")
