"""One way to page a list, on pages and in the API."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def paginate(queryset: QuerySet[Any] | list[Any], page: Any, *, per_page: int = PAGE_SIZE) -> Page[Any]:
    """A page of results; a bad or out-of-range page number gives the nearest valid page."""
    per_page = max(1, min(int(per_page), MAX_PAGE_SIZE))
    return Paginator(queryset, per_page).get_page(page)
