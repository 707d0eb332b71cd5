"""Reads of the region tree. Regions are public reference data (a global model), so these query
``Region.objects`` directly; the *management* list is limited to the actor's jurisdiction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import region_filter
from chunnuan.core.errors import NotFound
from chunnuan.regions.models import PREFIX_LENGTH, Region, RegionLevel
from chunnuan.regions.types import RegionFilter

_CODE = re.compile(r"^[0-9]{12}$")
_DIGITS = re.compile(r"^[0-9]{1,12}$")


def _current() -> QuerySet[Region]:
    return Region.objects.filter(valid_to__isnull=True)


def is_region_code(value: object) -> bool:
    return isinstance(value, str) and bool(_CODE.match(value))


def region_get(*, code: str) -> Region:
    """The current region with this 12-digit code; NotFound otherwise."""
    if not is_region_code(code):
        raise NotFound("未找到该区划")
    try:
        return _current().select_related("parent").get(code=code)
    except Region.DoesNotExist:
        raise NotFound("未找到该区划") from None


def region_children(*, code: str) -> QuerySet[Region]:
    """The current regions directly under the current region ``code``, ordered by code."""
    if not is_region_code(code):
        return Region.objects.none()
    return _current().filter(parent__code=code, parent__valid_to__isnull=True).order_by("code")


def region_provinces() -> QuerySet[Region]:
    return _current().filter(level=RegionLevel.PROVINCE).order_by("code")


def region_ancestors(region: Region) -> list[Region]:
    """Province → … → the region itself, by the parent links (one query)."""
    chain = Region.objects.select_related("parent__parent__parent__parent").filter(pk=region.pk).first()
    path: list[Region] = []
    node: Region | None = chain or region
    while node is not None and len(path) < len(PREFIX_LENGTH):
        path.append(node)
        node = node.parent
    path.reverse()
    return path


def jurisdiction_regions(actor: Actor) -> list[Region]:
    """The regions the actor's jurisdiction prefixes name; all provinces for a nationwide actor."""
    if not actor.is_region_actor:
        return []
    prefixes = actor.region_prefixes
    if "" in prefixes:
        return list(region_provinces())
    codes = [prefix.ljust(12, "0") for prefix in prefixes if _DIGITS.match(prefix)]
    regions = _current().filter(code__in=codes).select_related("parent").order_by("code")
    # A code padded with zeros names the region only when its level's prefix has that length.
    return [r for r in regions if r.scope_prefix in prefixes]


def region_list(*, actor: Actor, filters: RegionFilter | None = None) -> QuerySet[Region]:
    """The management list: regions within the actor's jurisdiction, searched and filtered."""
    filters = filters or RegionFilter()
    if not actor.is_region_actor or not actor.region_prefixes:
        return Region.objects.none()
    qs = Region.objects.all() if filters.include_retired else _current()
    scope = region_filter(actor, ("code",))
    if scope is not None:
        qs = qs.filter(scope)
    if filters.q:
        term = filters.q
        match = Q(name__icontains=term) | Q(short_name__icontains=term)
        if _DIGITS.match(term):
            match |= Q(code__startswith=term)
        qs = qs.filter(match)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent, parent__valid_to__isnull=True)
    return qs.select_related("parent").order_by("code", "-id")


@dataclass
class PickerLevel:
    """One <select> of the cascading picker: the choices under ``parent`` and the chosen one."""

    parent_code: str
    choices: list[Region]
    chosen: str = ""
    level_label: str = ""


@dataclass
class PickerState:
    fixed: list[Region] = field(default_factory=list)  # shown as text: above and including the root
    levels: list[PickerLevel] = field(default_factory=list)
    value: str = ""  # the deepest chosen code, or "" for none


def picker_state(
    *, roots: list[Region], value: str = "", max_level: int = RegionLevel.TOWNSHIP
) -> PickerState:
    """What the cascading picker shows for a chosen ``value`` under ``roots``.

    ``roots`` empty means the whole country; one root is shown fixed (with its ancestors) and the
    selects start below it; several roots give a first select among them.
    """
    state = PickerState()
    chosen: Region | None = None
    if is_region_code(value):
        try:
            chosen = region_get(code=value)
        except NotFound:
            chosen = None
    if chosen is not None and roots and not any(chosen.code.startswith(r.scope_prefix) for r in roots):
        chosen = None
    if chosen is not None and chosen.level > max_level:
        chosen = None
    path = region_ancestors(chosen) if chosen is not None else []

    base = ""
    if len(roots) == 1:
        root = roots[0]
        state.fixed = region_ancestors(root)
        base = parent_code = root.code
        below = [r for r in path if r.level > root.level]
        choices = list(region_children(code=root.code)) if root.level < max_level else []
    else:
        root_codes = {r.code for r in roots}
        start = next((i for i, r in enumerate(path) if r.code in root_codes), None) if roots else 0
        below = path[start:] if start is not None else []
        parent_code = ""
        choices = list(roots) if roots else list(region_provinces())

    state.value = base
    for node in [*below, None]:
        if not choices:
            break
        picked = node if node is not None and any(c.pk == node.pk for c in choices) else None
        label = RegionLevel(min(c.level for c in choices)).label
        state.levels.append(
            PickerLevel(
                parent_code=parent_code,
                choices=choices,
                chosen=picked.code if picked else "",
                level_label=str(label),
            )
        )
        if picked is None or picked.level >= max_level:
            break
        state.value = parent_code = picked.code
        choices = list(region_children(code=picked.code))
    if state.levels and state.levels[-1].chosen:
        state.value = state.levels[-1].chosen
    return state
