"""A running run's live state: progress and heartbeat in a small file beside the database.

Why a file (issue 9 defect 6, recorded in docs/security.md): an import writes its rows in one
transaction. Progress saved to the Run row inside it is invisible until the commit (the bar stood
at 50 % through the whole write phase), and on SQLite no other connection may write while the
import holds the write lock, so a second connection cannot help there. A file written with
``os.replace`` is visible at once on both databases and never waits for a lock. The worker writes
it with every progress report and, from a daemon thread, at least every
``CHUNNUAN_RUN_HEARTBEAT_SECONDS``; the run pages overlay it while a run is running; the sweeper
counts its heartbeat as well as ``Run.heartbeat_at``. It holds counts only — no personal data.

Files live under ``MEDIA_ROOT/runs/live/`` (the upload folder, which web and worker already
share), readable by the app only.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from chunnuan.batch.models import Run


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CHUNNUAN_RUN_HEARTBEAT_SECONDS", 10))


def live_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "runs" / "live"


def _path(run_id: int) -> Path:
    return live_dir() / f"{int(run_id)}.json"


def live_write(run: Run) -> None:
    """Write the run's progress and a fresh heartbeat (atomically; errors are not the run's)."""
    folder = live_dir()
    state = {
        "progress": run.progress,
        "done": run.done,
        "total": run.total,
        "beat": time.time(),
        "pid": os.getpid(),
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{run.pk}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(state, handle)
        os.replace(tmp, _path(run.pk))
    except OSError:
        pass


def live_read(run_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(run_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def live_delete(run_id: int) -> None:
    _path(run_id).unlink(missing_ok=True)


def live_overlay(run: Run) -> Run:
    """A running run with its live progress (newer than the row while the import writes)."""
    from chunnuan.batch.choices import RunStatus

    if run.status != RunStatus.RUNNING:
        return run
    state = live_read(run.pk)
    if state:
        try:
            progress, done, total = int(state["progress"]), int(state["done"]), int(state["total"])
        except (KeyError, TypeError, ValueError):
            return run
        if progress >= run.progress:
            run.progress, run.done, run.total = progress, done, total
    return run


class Heartbeat:
    """While the block runs, a daemon thread rewrites the live file every ``interval`` seconds,
    so a run busy inside one long step (a big write batch) still shows it is alive."""

    def __init__(self, run: Run, *, interval: float | None = None) -> None:
        self.run = run
        self.interval = heartbeat_seconds() if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"run-{run.pk}-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            live_write(self.run)

    def __enter__(self) -> Heartbeat:
        live_write(self.run)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
