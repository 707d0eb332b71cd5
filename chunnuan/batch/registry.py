"""The registry of run kinds, and the progress reporter a handler writes through.

An app declares a kind of background run in its ``runs.py`` (imported at start-up)::

    @run_handler("audit_export", title="审计日志导出", perm=Perm.VIEW_AUDIT, params=AuditExportParams)
    def audit_export(*, run: Run, actor: Actor, progress: Progress) -> None:
        progress.step(0, total)
        ...
        progress.attach("审计日志.xlsx", data)

``run_start`` checks ``perm`` (besides ``RUN_EXPORTS``) and validates ``params`` with the given
Pydantic model before the run is queued; the handler runs inside ``actor_scope(actor)`` as the
user who started it. Raising :class:`~chunnuan.core.errors.DomainError` fails the run with its
Chinese message.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.batch.live import live_write
from chunnuan.core.crypto import encrypt_bytes
from chunnuan.core.errors import ValidationFailed

if TYPE_CHECKING:
    from chunnuan.batch.models import Run

MAX_LOG_CHARS = 200_000


class Handler(Protocol):
    def __call__(self, *, run: Run, actor: Actor, progress: Progress) -> None: ...


@dataclass(frozen=True)
class RunKind:
    kind: str
    title: str
    handler: Handler
    perm: Perm | None = None
    params: type[BaseModel] | None = None

    def clean_params(self, raw: dict[str, Any] | None) -> dict[str, Any]:
        """Validated, JSON-ready parameters; ValidationFailed (Chinese, per field) otherwise."""
        raw = raw or {}
        if self.params is None:
            return dict(raw)
        try:
            return self.params.model_validate(raw).model_dump(mode="json")
        except Exception as exc:  # pydantic.ValidationError, or a model validator's ValueError
            fields: dict[str, list[str]] = {}
            for err in getattr(exc, "errors", list)():
                name = ".".join(str(p) for p in err.get("loc", ())) or "params"
                fields.setdefault(name, []).append(str(err.get("msg", "格式不正确")))
            raise ValidationFailed("任务参数不正确", fields=fields or {"params": ["格式不正确"]}) from None


_REGISTRY: dict[str, RunKind] = {}


def run_handler(
    kind: str, *, title: str, perm: Perm | None = None, params: type[BaseModel] | None = None
) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the body of runs of ``kind``."""

    def register(handler: Handler) -> Handler:
        existing = _REGISTRY.get(kind)
        if existing is not None and existing.handler is not handler:
            raise RuntimeError(f"run kind {kind!r} is registered twice")
        _REGISTRY[kind] = RunKind(kind=kind, title=title, handler=handler, perm=perm, params=params)
        return handler

    return register


def get_run_kind(kind: str) -> RunKind:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise ValidationFailed(f"未知的任务类型“{kind}”", fields={"kind": ["未知的任务类型"]}) from None


def run_kinds() -> list[RunKind]:
    return list(_REGISTRY.values())


def kinds_for(actor: Actor) -> list[str]:
    """The kinds the actor may start (and so may see others' runs of)."""
    if not actor.can(Perm.RUN_EXPORTS):
        return []
    return [k.kind for k in _REGISTRY.values() if k.perm is None or actor.can(k.perm)]


class Progress:
    """What a handler reports through. Writes at most every ``interval`` seconds (so a tight loop
    costs no more than ~2 writes a second); :meth:`flush` forces a write.

    Each write goes to the live file (``chunnuan.batch.live``) and, unless the handler is inside a
    transaction of its own (an import's write phase), to the Run row with a fresh
    ``heartbeat_at``. Saving the row inside that transaction would show nothing until the commit
    and, on PostgreSQL, hold the row locked; the live file shows the bar moving meanwhile."""

    def __init__(self, run: Run, *, interval: float = 0.5) -> None:
        self.run = run
        self.interval = interval
        self._last_write = 0.0
        self._dirty = False
        # The transaction depth the run started at (1 under a test's transaction, else 0).
        self._depth = len(transaction.get_connection().atomic_blocks)

    def step(self, done: int, total: int, message: str = "") -> None:
        run = self.run
        run.done = max(0, int(done))
        run.total = max(0, int(total))
        run.progress = min(99, run.done * 100 // run.total) if run.total else 0
        self._dirty = True
        if message:
            self.log(message)
        else:
            self._maybe_flush()

    def fraction(self, done: int, total: int, message: str = "") -> None:
        """Move the bar to ``done / total`` of the work without showing them as counts: for work
        measured in units that are not what the user counts (the import engine's two passes over
        a sheet's every line). Set the counts with :meth:`step` once they are known."""
        run = self.run
        run.progress = min(99, max(0, int(done)) * 100 // int(total)) if total and total > 0 else 0
        self._dirty = True
        if message:
            self.log(message)
        else:
            self._maybe_flush()

    def log(self, line: str) -> None:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        text = self.run.log + f"[{stamp}] {line}\n"
        if len(text) > MAX_LOG_CHARS:
            text = "…\n" + text[-MAX_LOG_CHARS:].split("\n", 1)[-1]
        self.run.log = text
        self._dirty = True
        self._maybe_flush()

    def attach(self, filename: str, data: bytes) -> None:
        """Store the run's result file (replacing an earlier one); it is offered for download on success."""
        if self.run.result_file:
            self.run.result_file.delete(save=False)
        self.run.result_name = filename[:200]
        # Encrypted at rest with the data key; the download service decrypts it (issue 9 defect 2).
        self.run.result_file.save(filename, ContentFile(encrypt_bytes(data)), save=False)
        try:
            os.chmod(self.run.result_file.path, 0o600)
        except (NotImplementedError, OSError):  # a storage without local paths
            pass
        self.run.save(update_fields=["result_file", "result_name"])
        self.log(f"已生成结果文件：{filename}（{len(data):,} 字节）")

    def in_handler_transaction(self) -> bool:
        return len(transaction.get_connection().atomic_blocks) > self._depth

    def flush(self, *, extra_fields: tuple[str, ...] = ()) -> None:
        live_write(self.run)
        if extra_fields or not self.in_handler_transaction():
            self.run.heartbeat_at = timezone.now()
            self.run.save(update_fields=["progress", "done", "total", "log", "heartbeat_at", *extra_fields])
        self._last_write = time.monotonic()
        self._dirty = False

    def _maybe_flush(self) -> None:
        if self._dirty and time.monotonic() - self._last_write >= self.interval:
            self.flush()
