"""Region names for display (regions are public reference data)."""

from __future__ import annotations

from collections.abc import Iterable

from chunnuan.regions.models import Region


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """``{code: name}`` for the current regions among ``codes`` (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(Region.objects.filter(code__in=wanted, valid_to__isnull=True).values_list("code", "name"))


def address_code_known(address6: str) -> bool:
    """Whether a 6-digit address code (身份证前6位) is a current county-level or higher division."""
    return Region.objects.filter(code=address6.ljust(12, "0")).exists()
