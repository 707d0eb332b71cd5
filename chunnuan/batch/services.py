"""Starting and executing background runs (后台任务).

``run_start`` checks the actor may start the kind, validates its parameters, writes the Run and
enqueues ``execute_run`` after commit. ``run_execute`` (the task body) claims the run
(``queued`` → ``running`` in one UPDATE, so a duplicate task does nothing), rebuilds the actor of
the user who started it — with today's roles and jurisdiction, checked again — and runs the
handler inside ``actor_scope``. Whatever happens, the run ends ``succeeded`` or ``failed``.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind, system_actor
from chunnuan.access.auth import actor_for_user
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import actor_scope, ensure_in_scope
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_create, audit_record
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, RunKind, get_run_kind
from chunnuan.batch.selectors import run_get
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

_WORKER_REASON = "batch worker: a run executes for its creator, whatever the region"
_SYSTEM_PREFIX = "system:"


def _home_region(actor: Actor) -> str:
    prefix = next((p for p in actor.region_prefixes if p), "")
    return prefix.ljust(12, "0") if prefix else ""


def _require_kind(actor: Actor, spec: RunKind) -> None:
    actor.require(Perm.RUN_EXPORTS)
    if spec.perm is not None:
        actor.require(spec.perm)


def _enqueue_run(run_id: int) -> None:
    """After commit: queue the task; if the queue refuses, fail the run rather than leave it queued."""
    from chunnuan.batch.tasks import execute_run

    runs = Run.objects.unscoped(reason=_WORKER_REASON)
    try:
        result = execute_run.enqueue(run_id)
    except Exception as exc:
        logger.exception("batch: could not enqueue run %s", run_id)
        message = f"无法提交后台任务：{exc}"
        runs.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED, error=message, finished_at=timezone.now()
        )
        return
    runs.filter(pk=run_id, task_id="").update(task_id=result.id[:64])


def run_start(
    *, actor: Actor, kind: str, params: dict[str, Any] | None = None, region_code: str | None = None
) -> Run:
    """Queue a run of ``kind`` for the actor. The run executes after the caller's transaction commits."""
    actor.require(Perm.RUN_EXPORTS)
    spec = get_run_kind(kind)
    _require_kind(actor, spec)
    clean = spec.clean_params(params)
    if region_code:
        ensure_in_scope(actor, region_code)
    else:
        region_code = _home_region(actor)
    with transaction.atomic():
        run = Run(
            kind=spec.kind,
            title=spec.title,
            status=RunStatus.QUEUED,
            params=clean,
            created_by_id=actor.user_id,
            created_by_label=actor.label[:150],
            employer_id=actor.employer_id if actor.kind is ActorKind.EMPLOYER else None,
            region_code=region_code,
        )
        run.save()
        audit_create(actor=actor, obj=run, note=f"启动后台任务：{spec.title}")
        transaction.on_commit(partial(_enqueue_run, run.pk))
    return run


def _actor_for_run(run: Run) -> Actor:
    if run.created_by is not None:
        actor = actor_for_user(run.created_by)
        if not actor.is_authenticated:
            raise PermissionDenied("发起该任务的用户已停用")
        return actor
    if run.created_by_label.startswith(_SYSTEM_PREFIX):
        return system_actor(run.created_by_label.removeprefix(_SYSTEM_PREFIX))
    raise PermissionDenied("发起该任务的用户已不存在")


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    return f"任务运行出错（{exc.__class__.__name__}）：{exc}"


def run_execute(*, run_id: int) -> Run | None:
    """The body of ``execute_run``. Idempotent: only a queued run is executed; returns None otherwise."""
    runs = Run.objects.unscoped(reason=_WORKER_REASON)
    now = timezone.now()
    if not runs.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING, started_at=now):
        return None
    run = runs.select_related("created_by").get(pk=run_id)
    progress = Progress(run)
    try:
        progress.log(f"开始运行：{run.title}")
        progress.flush()
        spec = get_run_kind(run.kind)
        actor = _actor_for_run(run)
        _require_kind(actor, spec)
        with actor_scope(actor):
            spec.handler(run=run, actor=actor, progress=progress)
    except Exception as exc:
        if not isinstance(exc, DomainError):
            logger.exception("batch: run %s (%s) failed", run_id, run.kind)
        message = _failure_message(exc)
        run.status = RunStatus.FAILED
        run.error = message[:2000]
        progress.log(f"失败：{message}")
    else:
        run.status = RunStatus.SUCCEEDED
        run.progress = 100
        if run.total and run.done < run.total:
            run.done = run.total
        progress.log("已完成")
    run.finished_at = timezone.now()
    progress.flush(extra_fields=("status", "error", "finished_at"))
    return run


def run_download(*, actor: Actor, pk: int) -> Run:
    """The run whose result file the actor is about to download (recorded in the audit log)."""
    run = run_get(actor=actor, pk=pk)
    if not run.has_result:
        raise NotFound("该任务没有可下载的结果文件")
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.EXPORT, obj=run, note=f"下载结果文件：{run.result_name}")
    return run
