"""Exports (导出): the one rule every download of a list, report or table goes through.

* **Who may export** — :func:`export_require`: the role's ``run_exports`` permission (导出与后台任务),
  whatever the page. A role that may *read* a list (a read-only leader) may not carry it away as a
  file. Every export branch of a view calls it first; the page answers a 403 that says why.
  Templates show export buttons only when ``may_export`` (the context processor sets it from
  :func:`may_export`), so no one is offered a download that would be refused.
* **Personal data in an export** — :func:`export_reveal`: ID and phone numbers are masked unless the
  person *asks* for whole numbers (``full=1``) *and* their role may see them; a whole-number export
  is written to the audit log. The ledger, the dynamic ledger and employers' rosters all ask here.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_record
from chunnuan.core.errors import PermissionDenied

EXPORT_REFUSED = gettext_lazy(
    "您的角色无权导出数据：导出需要“导出与后台任务”权限，如确需导出请联系系统管理员。"
)


class ExportRefused(PermissionDenied):
    """An export asked for by a role without ``run_exports``."""

    code = "export_refused"


def may_export(actor: Actor) -> bool:
    return actor.can(Perm.RUN_EXPORTS)


def export_require(actor: Actor) -> None:
    """Raise :class:`ExportRefused` unless ``actor`` may export (the one check of every export)."""
    if not may_export(actor):
        raise ExportRefused(str(EXPORT_REFUSED))


@transaction.atomic
def export_reveal(
    *,
    actor: Actor,
    asked: bool,
    what: str,
    obj: models.Model | None = None,
    object_type: str = "",
    params: str = "",
) -> bool:
    """Whether this export writes whole ID and phone numbers: only when ``asked`` (``full=1``) and the
    role may see them (``view_personal_data``); then it is audited as an export of ``obj`` (or of
    ``object_type`` rows). Checks the export rule first (raises :class:`ExportRefused`)."""
    export_require(actor)
    if not (asked and actor.can(Perm.VIEW_PERSONAL_DATA)):
        return False
    note = f"导出{what}（含完整身份证号和手机号）{params}"
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=obj,
        object_type=object_type or None,
        object_repr=None if obj is not None else what,
        note=note,
    )
    return True
