"""Helpers the reporting pages share: the actor, the export format asked for, status labels and
the link to fill a form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chunnuan.access.actor import Actor
from chunnuan.access.exports import may_export
from chunnuan.access.permissions import Perm
from chunnuan.reporting.choices import SubmissionStatus
from chunnuan.reporting.definitions import FormDef

STATUS_LABELS: dict[str, str] = {**{k: str(v) for k, v in SubmissionStatus.choices}, "missing": "未填报"}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def page_links(actor: Actor) -> dict[str, bool]:
    """Which of the reporting pages the actor may open, so that no button leads to a 403: the
    status board (报送进度) and the campaign summary (行动总结) need ``VIEW_DASHBOARDS`` (officers and
    read-only leaders), the export page ``RUN_EXPORTS``."""
    return {
        "may_read_status": actor.can(Perm.VIEW_DASHBOARDS),
        "may_read_summary": actor.can(Perm.VIEW_DASHBOARDS),
        "may_export": may_export(actor),
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
