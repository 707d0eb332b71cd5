"""Starting and executing background runs (后台任务).

``run_start`` checks the actor may start the kind, validates its parameters, writes the Run and
enqueues ``execute_run`` after commit. ``run_execute`` (the task body) claims the run
(``queued`` → ``running`` in one UPDATE, so a duplicate task does nothing), rebuilds the actor of
the user who started it — with today's roles and jurisdiction, checked again — and runs the
handler inside ``actor_scope``. Whatever happens, the run ends ``succeeded`` or ``failed``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind, system_actor
from chunnuan.access.auth import actor_for_user
from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import actor_scope, ensure_in_scope
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_create, audit_record
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.live import Heartbeat, live_delete, live_read
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress, RunKind, get_run_kind
from chunnuan.batch.selectors import run_get
from chunnuan.core.crypto import decrypt_bytes, is_encrypted_bytes
from chunnuan.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from chunnuan.core.importing.engine import MODES, ImportResult, run_import
from chunnuan.core.importing.spec import ImportContext, ImportSpec, get_spec

logger = logging.getLogger(__name__)

_WORKER_REASON = "batch worker: a run executes for its creator, whatever the region"
_SYSTEM_PREFIX = "system:"


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
        region_code = actor.home_region_code
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
    claimed = runs.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return None
    run = runs.select_related("created_by").get(pk=run_id)
    progress = Progress(run)
    try:
        progress.log(f"开始运行：{run.title}")
        progress.flush()
        spec = get_run_kind(run.kind)
        actor = _actor_for_run(run)
        _require_kind(actor, spec)
        with actor_scope(actor), Heartbeat(run):
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
    live_delete(run.pk)
    return run


def run_result_bytes(run: Run) -> bytes:
    """The plaintext of a run's result file (stored encrypted; files from before were not)."""
    with run.result_file.open("rb") as handle:
        data = handle.read()
    return decrypt_bytes(data) if is_encrypted_bytes(data) else data


@dataclass(frozen=True)
class RunResult:
    run: Run
    name: str
    data: bytes


def run_download(*, actor: Actor, pk: int) -> RunResult:
    """The run's result file, decrypted, for the actor to download — recorded in the audit log
    (an import's rejected rows hold whole ID and phone numbers). A download is an export: the one
    export rule applies (``access.exports``)."""
    export_require(actor)
    run = run_get(actor=actor, pk=pk)
    if not run.has_result:
        raise NotFound("该任务没有可下载的结果文件")
    try:
        data = run_result_bytes(run)
    except (OSError, ValueError):
        raise NotFound("结果文件已过保存期限被删除，或已损坏") from None
    note = f"下载结果文件：{run.result_name}"
    if run.kind == IMPORT_RUN_KIND:
        note += "（未导入的行，含完整身份证号码和手机号码）"
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.EXPORT, obj=run, note=note)
    return RunResult(run=run, name=run.result_name, data=data)


# --- stale runs and restarting (issue 9 defect 6) ----------------------------------------------

RUN_INTERRUPTED = "后台任务中断（处理进程已停止），未写入任何数据，请重新开始"
_SWEEP_REASON = "runs sweep: fails every region's runs whose worker stopped"
_SWEEP_THROTTLE_SECONDS = 60.0
_last_sweep = {"at": 0.0}


def run_stale_seconds() -> float:
    """A running run with no heartbeat for this long has lost its worker."""
    return float(getattr(settings, "CHUNNUAN_RUN_STALE_SECONDS", 120))


def run_sweep(*, stale_seconds: float | None = None) -> list[int]:
    """Fail every running run whose heartbeat (``Run.heartbeat_at`` and the live file's) is older
    than ``stale_seconds``: its worker died (``kill -9``, a crash, a reboot). An import writes in one
    transaction, so nothing of it was written. Idempotent; returns the ids failed now."""
    limit = run_stale_seconds() if stale_seconds is None else max(0.0, stale_seconds)
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=limit)
    runs = Run.objects.unscoped(reason=_SWEEP_REASON)
    stale = runs.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    actor = system_actor("runs-sweep")
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S")
    swept: list[int] = []
    for run in stale.only("pk", "log", "title", "region_code", "employer_id"):
        state = live_read(run.pk)
        if state and float(state.get("beat") or 0) >= cutoff.timestamp():
            continue  # alive: busy inside a transaction that keeps the row's heartbeat still
        log = run.log + f"[{stamp}] 失败：{RUN_INTERRUPTED}\n"
        with transaction.atomic():
            changed = runs.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                status=RunStatus.FAILED, error=RUN_INTERRUPTED, finished_at=now, log=log
            )
            if changed:
                audit_record(
                    actor=actor, action=AuditAction.UPDATE, obj=run, note=f"后台任务中断：{run.title}"
                )
        if changed:
            live_delete(run.pk)
            logger.warning("batch: run %s had no heartbeat since %s; marked failed", run.pk, cutoff)
            swept.append(run.pk)
    return swept


def run_sweep_now_and_then() -> None:
    """Sweep at most once a minute per process (the runs list and each task start call this)."""
    at = time.monotonic()
    if at - _last_sweep["at"] < _SWEEP_THROTTLE_SECONDS:
        return
    _last_sweep["at"] = at
    try:
        run_sweep()
    except Exception:  # a locked SQLite database must not break the page or the task
        logger.exception("batch: runs sweep failed")


def _upload_of(*, actor: Actor, run: Run) -> StoredUpload | None:
    try:
        return import_upload_get(actor=actor, upload_id=str(run.params.get("upload_id", "")))
    except NotFound:
        return None


def run_restartable(*, actor: Actor, run: Run) -> bool:
    """Whether the actor may start this failed run again (an import: while its upload is kept)."""
    if run.status != RunStatus.FAILED or actor.user_id is None or run.created_by_id != actor.user_id:
        return False
    return run.kind != IMPORT_RUN_KIND or _upload_of(actor=actor, run=run) is not None


def run_restart(*, actor: Actor, pk: int) -> Run:
    """重新开始: a new run of a failed run's kind with the same parameters (an import: the same
    uploaded file). Only its starter may; the permissions and the region are checked again."""
    old = run_get(actor=actor, pk=pk)
    if actor.user_id is None or old.created_by_id != actor.user_id:
        raise PermissionDenied("只有发起人可以重新开始该任务")
    if old.status != RunStatus.FAILED:
        raise Conflict("只有失败的任务可以重新开始")
    if old.kind == IMPORT_RUN_KIND and _upload_of(actor=actor, run=old) is None:
        raise Conflict("上传的文件已删除（导入结束或已过保存期限），请重新上传")
    params = {k: v for k, v in old.params.items() if k != "result"}
    with transaction.atomic():
        run = run_start(actor=actor, kind=old.kind, params=params, region_code=old.region_code or None)
        run.title = old.title
        run.save(update_fields=["title"])
        audit_record(actor=actor, action=AuditAction.OTHER, obj=old, note=f"重新开始后台任务：#{run.pk}")
    return run


# --- imports (导入) ------------------------------------------------------------------------------
# One engine (chunnuan.core.importing) for every ledger. Uploaded files are kept under
# MEDIA_ROOT/imports/uploads/<hex id> with a sidecar <hex id>.json naming the uploader; pages and
# the API pass the id, never a path. Small files run here (a dry run shows the preview); big ones
# run as a background run of kind "import" (chunnuan/batch/imports.py).

IMPORT_RUN_KIND = "import"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def import_max_bytes() -> int:
    return int(getattr(settings, "CHUNNUAN_IMPORT_MAX_BYTES", settings.MAX_REQUEST_BYTES))


def import_sync_max_bytes() -> int:
    """Files up to this size are checked (previewed) and imported at once; bigger ones run in the background."""
    return int(getattr(settings, "CHUNNUAN_IMPORT_SYNC_MAX_BYTES", 1024 * 1024))


@dataclass(frozen=True)
class StoredUpload:
    id: str
    name: str
    size: int
    path: Path


def _uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "uploads"


def import_upload_save(*, actor: Actor, chunks: Iterable[bytes], filename: str, size: int) -> StoredUpload:
    """Keep an uploaded spreadsheet for a preview and the import that follows it."""
    limit = import_max_bytes()
    too_big = f"文件过大（超过 {limit // (1024 * 1024)} MB），请拆分后再导入"
    if size > limit:
        raise ValidationFailed(too_big, fields={"file": [too_big]})
    if size == 0:
        raise ValidationFailed("文件是空的", fields={"file": ["文件是空的"]})
    folder = _uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    upload_id = uuid.uuid4().hex
    path = folder / upload_id
    written = 0
    # Readable by the app only: a ledger holds whole ID and phone numbers. Deleted after the import,
    # or by ``runs_purge`` once the retention period has passed (issue 9 defect 2).
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                handle.close()
                path.unlink(missing_ok=True)
                raise ValidationFailed(too_big, fields={"file": [too_big]})
            handle.write(chunk)
    name = Path(filename or "upload").name[:200]
    meta = {"user_id": actor.user_id, "actor": actor.label, "name": name, "size": written}
    sidecar = os.open(folder / f"{upload_id}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(sidecar, "w") as meta_file:
        meta_file.write(json.dumps(meta, ensure_ascii=False))
    return StoredUpload(id=upload_id, name=name, size=written, path=path)


def import_upload_get(*, actor: Actor, upload_id: str) -> StoredUpload:
    """An upload the actor made (NotFound for any other id)."""
    if not _UPLOAD_ID.match(upload_id or ""):
        raise NotFound("上传的文件已失效，请重新上传")
    folder = _uploads_dir()
    try:
        meta = json.loads((folder / f"{upload_id}.json").read_text())
    except (OSError, ValueError):
        raise NotFound("上传的文件已失效，请重新上传") from None
    path = folder / upload_id
    if meta.get("user_id") != actor.user_id or meta.get("actor") != actor.label or not path.exists():
        raise NotFound("上传的文件已失效，请重新上传")
    return StoredUpload(
        id=upload_id, name=str(meta.get("name", "")), size=int(meta.get("size", 0)), path=path
    )


def import_upload_delete(*, upload_id: str) -> None:
    if _UPLOAD_ID.match(upload_id or ""):
        folder = _uploads_dir()
        (folder / upload_id).unlink(missing_ok=True)
        (folder / f"{upload_id}.json").unlink(missing_ok=True)


def import_context(
    *,
    actor: Actor,
    kind: str,
    region_code: str | None = None,
    employer: str | int | None = None,
    dry_run: bool = False,
) -> tuple[ImportSpec, ImportContext]:
    """The spec and context of an import: permission, chosen region in reach, the roster's employer."""
    from chunnuan.batch.selectors import import_employer_id
    from chunnuan.regions.selectors import region_get

    spec = get_spec(kind)
    if spec.permission:
        actor.require(spec.permission)
    code = (region_code or "").strip() or None
    if code:
        try:
            region_get(code=code)
        except NotFound:
            raise ValidationFailed(f"区划代码“{code}”不存在", fields={"region": ["区划不存在"]}) from None
        ensure_in_scope(actor, code)
    employer_id: int | None = None
    if employer not in (None, ""):
        employer_id = (
            employer
            if isinstance(employer, int)
            else import_employer_id(actor=actor, credit_code=str(employer))
        )
    elif spec.needs_employer and actor.kind is ActorKind.EMPLOYER and actor.employer_id:
        employer_id = actor.employer_id
    if spec.needs_employer and employer_id is None:
        message = f"导入{spec.title}时请指定用人单位（统一社会信用代码）"
        raise ValidationFailed(message, fields={"employer": [message]})
    return spec, ImportContext(actor=actor, region_code=code, employer_id=employer_id, dry_run=dry_run)


def import_execute(
    *,
    actor: Actor,
    kind: str,
    source: str | Path | IO[bytes],
    filename: str = "",
    region_code: str | None = None,
    employer: str | int | None = None,
    mode: str = "valid-rows",
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Import one file now. Writes the rows (unless a dry run) and one audit row, in one transaction."""
    spec, ctx = import_context(
        actor=actor, kind=kind, region_code=region_code, employer=employer, dry_run=dry_run
    )

    def audit(result: ImportResult) -> None:
        audit_record(
            actor=actor,
            action=AuditAction.OTHER,
            note=result.summary,
            region_code=ctx.region_code or None,
            object_type="import",
            object_id=spec.kind,
            object_repr=f"导入{spec.title}：{filename}",
            changes={
                "kind": spec.kind,
                "file": filename,
                "mode": mode,
                **{k: getattr(result, k) for k in ("rows", "created", "updated", "unchanged", "rejected")},
            },
        )

    return run_import(
        spec=spec,
        source=source,
        filename=filename,
        ctx=ctx,
        mode=mode,
        progress=progress,
        finalize=None if dry_run else audit,
    )


def import_start(
    *,
    actor: Actor,
    kind: str,
    upload: StoredUpload,
    region_code: str | None = None,
    employer: str | int | None = None,
    mode: str = "valid-rows",
    dry_run: bool = False,
    background: bool | None = None,
) -> ImportResult | Run:
    """Import an uploaded file: at once when it is small (``background`` None) or asked to, else
    as a background run (the run's result file is the error report)."""
    spec, ctx = import_context(
        actor=actor, kind=kind, region_code=region_code, employer=employer, dry_run=dry_run
    )
    if mode not in MODES:
        raise ValidationFailed("不支持的导入方式", fields={"mode": ["不支持的导入方式"]})
    if background is None:
        background = upload.size > import_sync_max_bytes()
    if not background:
        try:
            result = import_execute(
                actor=actor,
                kind=kind,
                source=upload.path,
                filename=upload.name,
                region_code=ctx.region_code,
                employer=ctx.employer_id,
                mode=mode,
                dry_run=dry_run,
            )
        finally:
            if not dry_run:
                import_upload_delete(upload_id=upload.id)
        if result.error_report:  # nobody downloads it from here: a background run keeps one
            Path(result.error_report).unlink(missing_ok=True)
            result.error_report = None
        return result
    params = {
        "kind": spec.kind,
        "upload_id": upload.id,
        "filename": upload.name,
        "region_code": ctx.region_code or "",
        "employer_id": ctx.employer_id,
        "mode": mode,
        "dry_run": dry_run,
    }
    with transaction.atomic():  # the run is queued when this block commits, after its title is set
        run = run_start(actor=actor, kind=IMPORT_RUN_KIND, params=params, region_code=ctx.region_code)
        run.title = f"{'预检' if dry_run else '导入'}{spec.title}：{upload.name}"[:200]
        run.save(update_fields=["title"])
    return run


# --- retention (保存期限) --------------------------------------------------------------------------


def run_file_retention_days() -> int:
    return int(getattr(settings, "CHUNNUAN_RUN_FILE_RETENTION_DAYS", 30))


@dataclass
class PurgeReport:
    uploads: list[str]
    reports: list[str]
    result_files: list[int]  # run ids whose result file was deleted
    swept: list[int]


def _older_files(folder: Path, cutoff: float) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime < cutoff]


def runs_purge(*, days: int | None = None) -> PurgeReport:
    """Delete what holds personal data past the retention period: uploaded spreadsheets, rejected-
    rows workbooks, and finished runs' result files (the run and its masked summary stay). Also
    sweeps stale runs. Idempotent: a second call finds nothing."""
    from chunnuan.core.importing.report import reports_dir

    keep_days = run_file_retention_days() if days is None else days
    now = timezone.now()
    cutoff = now - dt.timedelta(days=keep_days)
    runs = Run.objects.unscoped(reason="runs purge: the retention period applies to every region")
    active_uploads = {
        str(params.get("upload_id", ""))
        for params in runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).values_list(
            "params", flat=True
        )
        if isinstance(params, dict)
    }
    uploads: list[str] = []
    for path in _older_files(_uploads_dir(), cutoff.timestamp()):
        upload_id = path.name.removesuffix(".json")
        if upload_id in active_uploads:
            continue
        path.unlink(missing_ok=True)
        if not path.name.endswith(".json"):
            uploads.append(upload_id)
    reports = []
    for path in _older_files(reports_dir(), cutoff.timestamp()):
        path.unlink(missing_ok=True)
        reports.append(path.name)
    result_files: list[int] = []
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S")
    expired = runs.exclude(result_file="").filter(finished_at__lt=cutoff)
    for run in expired.only("pk", "result_file", "log"):
        run.result_file.delete(save=False)
        run.log += f"[{stamp}] 结果文件已过保存期限（{keep_days} 天），已删除\n"
        run.save(update_fields=["result_file", "log"])
        result_files.append(run.pk)
    return PurgeReport(uploads=uploads, reports=reports, result_files=result_files, swept=run_sweep())
