"""Where a row belongs, for specs: a 12-digit code column, else a township name within the chosen
region, else the chosen region — and whether the importing actor may place a row there.

In a spec's ``check_row``::

    code, errors = RegionResolver.of(ctx).resolve(
        code=row.values.get("region_code"), name=row.values.get("township"),
        code_label="区划代码", name_label="乡镇（街道）",
    )
    if not errors:
        row.values["region_code"] = code
    return errors

``RegionResolver.of(ctx)`` is cached in ``ctx.cache``: the regions under the chosen region are
read in one query for the whole import; codes outside it are looked up once each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chunnuan.core.importing.spec import CellError, ImportContext

_SUFFIXES = ("民族乡", "街道办事处", "街道办", "街道", "镇", "乡", "苏木", "管委会", "办事处")
_SPACES = re.compile(r"\s+")
TOWNSHIP_LEVEL = 4


@dataclass(frozen=True)
class _Region:
    code: str
    name: str
    level: int


def _bare(name: str) -> str:
    """团结街道 → 团结, 前郭尔罗斯镇 → 前郭尔罗斯 (for matching short spellings)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class RegionResolver:
    MSG_OUT_OF_REACH = "不在您的管辖范围内"

    def __init__(self, ctx: ImportContext) -> None:
        from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel

        self.ctx = ctx
        self.chosen: _Region | None = None
        self.prefix = ""
        self._by_code: dict[str, _Region | None] = {}
        self._by_name: dict[str, list[_Region]] = {}
        current = Region.objects.filter(valid_to__isnull=True)
        if ctx.region_code:
            row = current.filter(code=ctx.region_code).values_list("code", "name", "level").first()
            if row is not None:
                self.chosen = _Region(*row)
                self.prefix = row[0][: PREFIX_LENGTH[RegionLevel(row[2])]]
        # One query: every region under the chosen one (or under the actor's jurisdiction).
        prefixes = [self.prefix] if self.chosen else [p for p in ctx.actor.region_prefixes if p]
        if prefixes and len(prefixes) <= 20:
            from django.db.models import Q

            q = Q()
            for prefix in prefixes:
                q |= Q(code__startswith=prefix)
            for code, name, short_name, level in current.filter(q).values_list(
                "code", "name", "short_name", "level"
            ):
                region = _Region(code, name, level)
                self._by_code[code] = region
                if level == TOWNSHIP_LEVEL or (
                    self.chosen is not None and level == self.chosen.level + 1 and level > TOWNSHIP_LEVEL
                ):
                    for spelling in {name, short_name, _bare(name)} - {""}:
                        entries = self._by_name.setdefault(spelling, [])
                        if region not in entries:
                            entries.append(region)
        self._scope_label = f"“{self.chosen.name}”" if self.chosen else "您的管辖范围"

    @classmethod
    def of(cls, ctx: ImportContext) -> RegionResolver:
        resolver = ctx.cache.get("region_resolver")
        if not isinstance(resolver, cls):
            resolver = ctx.cache["region_resolver"] = cls(ctx)
        return resolver

    def by_code(self, code: str) -> str | None:
        """The code when it names a current region (one query per code outside the cache)."""
        if code not in self._by_code:
            from chunnuan.regions.models import Region

            row = (
                Region.objects.filter(code=code, valid_to__isnull=True)
                .values_list("code", "name", "level")
                .first()
            )
            self._by_code[code] = _Region(*row) if row else None
        region = self._by_code[code]
        return region.code if region else None

    def by_name(self, name: str) -> list[str]:
        """Codes of the townships (乡镇/街道) in the chosen region that ``name`` names."""
        text = _SPACES.sub("", name)
        found = self._by_name.get(text) or self._by_name.get(_bare(text)) or []
        return [r.code for r in found]

    def resolve(
        self,
        *,
        code: str | None = None,
        name: str | None = None,
        code_label: str = "区划代码",
        name_label: str = "乡镇（街道）",
    ) -> tuple[str | None, list[CellError]]:
        """The row's region code and the errors (empty when the code may be used)."""
        if code:
            if self.by_code(code) is None:
                return None, [CellError(code_label, f"区划代码“{code}”不存在或已停用")]
            if self.chosen is not None and not code.startswith(self.prefix):
                return None, [CellError(code_label, f"区划代码“{code}”不在所选地区“{self.chosen.name}”内")]
            label, shown = code_label, code
        elif name:
            if self.chosen is None and not self._by_name:
                return None, [CellError(name_label, "按乡镇（街道）名称确定地区时，请先选择导入的地区")]
            codes = self.by_name(name)
            if not codes:
                return None, [CellError(name_label, f"在{self._scope_label}内找不到乡镇（街道）“{name}”")]
            if len(codes) > 1:
                return None, [
                    CellError(name_label, f"“{name}”在{self._scope_label}内有多个同名地区，请改填区划代码")
                ]
            code, label, shown = codes[0], name_label, name
        elif self.chosen is not None:
            code, label, shown = self.chosen.code, "", self.chosen.name
        else:
            return None, [
                CellError(name_label, "无法确定所属地区：请填写区划代码或乡镇（街道），或在导入时选择地区")
            ]
        if not self.ctx.actor.covers(code):
            return None, [CellError(label, f"“{shown}”{self.MSG_OUT_OF_REACH}")]
        return code, []
