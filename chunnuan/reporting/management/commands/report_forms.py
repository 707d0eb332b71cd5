"""``python manage.py report_forms [--json]`` — the declared forms and their fields.

With ``--json`` one JSON array of ``FormDef.as_dict()``; otherwise a readable table.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chunnuan.reporting.definitions import UNIT_LEVEL_LABELS, all_forms
from chunnuan.reporting.periods import PERIOD_KIND_LABELS


class Command(BaseCommand):
    help = "列出系统中声明的报表及其栏目"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="输出 JSON（报表定义列表）")

    def handle(self, *args: Any, **options: Any) -> None:
        forms = all_forms()
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in forms], ensure_ascii=False, indent=2))
            return
        kinds = {"entered": "填报", "prefilled": "预填", "computed": "计算"}
        for form in forms:
            levels = "、".join(UNIT_LEVEL_LABELS[lv] for lv in form.levels)
            self.stdout.write(f"{form.code}  {form.name}")
            line = f"  周期：{PERIOD_KIND_LABELS[form.period_kind]}　填报层级：{levels}"
            if form.summary_of:
                line += f"　汇总：{form.summary_of}"
            self.stdout.write(line)
            for f in form.fields:
                unit = "%" if f.is_rate else f.unit
                label = f"{f.group} · {f.label}" if f.group else f.label
                self.stdout.write(f"    {f.code:<24} {label}（{unit}）[{kinds[f.kind.value]}]")
            self.stdout.write("")
