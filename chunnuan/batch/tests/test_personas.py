"""The run scoping rules with the project's named personas (see chunnuan.core.testing)."""

from __future__ import annotations

from typing import Any

import pytest

from chunnuan.batch.choices import RunStatus
from chunnuan.batch.selectors import run_get, run_list
from chunnuan.batch.services import run_start
from chunnuan.core.errors import NotFound, PermissionDenied
from chunnuan.core.testing import Personas

pytestmark = pytest.mark.django_db


def test_county_export_is_seen_above_not_beside_or_below(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=personas.actor("county"), kind="audit_export", params={})
    assert run_get(actor=personas.actor("county"), pk=run.pk).status == RunStatus.SUCCEEDED
    assert run_get(actor=personas.actor("admin"), pk=run.pk).pk == run.pk  # 松原市 administrator
    for name in ("township_a", "township_b", "elsewhere", "clerk", "worker"):
        with pytest.raises(NotFound):
            run_get(actor=personas.actor(name), pk=run.pk)
        assert run.pk not in {r.pk for r in run_list(actor=personas.actor(name))}


def test_who_may_start_an_audit_export(personas: Personas) -> None:
    for name in ("township_a", "clerk", "worker", "integration"):
        with pytest.raises(PermissionDenied):
            run_start(actor=personas.actor(name), kind="audit_export", params={})
