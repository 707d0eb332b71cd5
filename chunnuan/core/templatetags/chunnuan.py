from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``{{ names|lookup:code }}`` — a value from a dict, or an empty string."""
    return (mapping or {}).get(key, "")
