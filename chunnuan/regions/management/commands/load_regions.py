"""``manage.py load_regions [--province 22 --province 50] [--path FILE] [--json]``"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.core.errors import DomainError
from chunnuan.regions.services import regions_load


class Command(BaseCommand):
    help = "导入（更新）行政区划数据：新增新代码、更新已变更的名称/类型/上级，从不删除。可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="22",
            help="只导入该省（2位代码）；可重复；默认全国",
        )
        parser.add_argument("--path", help="区划数据CSV（默认为随程序发布的 divisions.csv）")
        parser.add_argument("--json", action="store_true", help="以JSON输出统计")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_actor("load_regions")
        started = time.monotonic()
        try:
            with actor_scope(actor):
                counts = regions_load(actor=actor, provinces=options["provinces"], path=options["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = round(time.monotonic() - started, 2)
        if options["json"]:
            self.stdout.write(json.dumps({**counts, "seconds": seconds}, ensure_ascii=False))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"行政区划导入完成：新增 {counts['created']}，更新 {counts['updated']}，"
                    f"未变 {counts['unchanged']}（{seconds} 秒）"
                )
            )
