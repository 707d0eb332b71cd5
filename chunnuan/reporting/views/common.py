"""Helpers the reporting pages share: the actor, the export format asked for, status labels and
the link to fill a form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor
from chunnuan.access.pages import can_open
from chunnuan.reporting.choices import SubmissionStatus
from chunnuan.reporting.definitions import FormDef

STATUS_LABELS: dict[str, str] = {**{k: str(v) for k, v in SubmissionStatus.choices}, "missing": "未填报"}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def page_links(actor: Actor) -> dict[str, bool]:
    """Which of the reporting pages the actor may open, so that no button leads to a 403 — read
    from the rule each page's view declares (``access.pages.can_open``), never a second list."""
    return {
        "may_read_status": can_open(actor, "reporting:status_board"),
        "may_read_summary": can_open(actor, "reporting:campaign_summary", 0),
        "may_export": can_open(actor, "reporting:export"),
    }


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("export", "")
    return fmt if fmt in ("xlsx", "csv") else ""


def _status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def _fill_url(form: FormDef, period_key: str, *, region: str = "", employer: Any = None) -> str:
    query: dict[str, Any] = {"form": form.code, "period": period_key}
    if employer:
        query["employer"] = employer
    elif region:
        query["region"] = region
    return reverse("reporting:submission_open") + "?" + urlencode(query)
