"""Guard (issue 9): ``kill -9`` the task worker in the middle of a background import, then sweep.

A real ``manage.py db_worker`` runs as a subprocess against a throwaway database (a file-based
SQLite database, or a fresh database on the PostgreSQL server of ``DATABASE_URL`` under
``tests/infra/with_pg.sh``). The import's progress must move past 50 % while it writes (defect 6:
it used to stay at 50 % until the commit); the worker is killed there; nothing of the import may
be written; ``runs_sweep`` fails the run with the Chinese message; 重新开始 imports the same file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from chunnuan.batch.services import RUN_INTERRUPTED

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "tests" / "_run_kill_helper.py"
ROWS = 10_000
PYTHON = sys.executable


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    import psycopg

    name = f"chunnuan_kill_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    var = tmp_path / "var"
    (var / "staticfiles").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.update(CHUNNUAN_VAR_DIR=str(var), DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    return env


def _run(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _helper(env: dict[str, str], action: str, arg: int) -> dict[str, Any]:
    out = _run(env, str(HELPER), action, str(arg))
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _live(env: dict[str, str], run_id: int) -> dict[str, Any] | None:
    path = Path(env["CHUNNUAN_VAR_DIR"]) / "media" / "runs" / "live" / f"{run_id}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data


def test_a_killed_worker_writes_nothing_and_the_sweeper_fails_its_run(
    tmp_path: Path, database_url: str
) -> None:
    env = _env(tmp_path, database_url)
    _run(env, "manage.py", "migrate", "--skip-checks", "-v0", timeout=120)
    run_id = _helper(env, "setup", ROWS)["run_id"]

    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            state = _live(env, run_id)
            if state is not None:
                seen.append(int(state["progress"]))
                if seen[-1] >= 55:  # the write phase: rows are being written in one transaction
                    break
            assert worker.poll() is None, "the worker stopped by itself"
            time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)  # kill -9: no handler, no finally, no rollback by us
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    assert seen and 55 <= seen[-1] < 100, f"progress seen: {sorted(set(seen))}"

    state = _helper(env, "state", run_id)
    assert state["status"] == "running"  # nobody is left to say otherwise
    assert state["workers"] == 1, "half an import was written"  # only the personas' worker

    beat = float((_live(env, run_id) or {}).get("beat", 0))
    time.sleep(max(0.0, beat + 1.2 - time.time()))
    out = _run(env, "manage.py", "runs_sweep", "--skip-checks", "--stale-seconds", "1")
    assert f"#{run_id}" in out, (out, _helper(env, "state", run_id), time.time())
    state = _helper(env, "state", run_id)
    assert (state["status"], state["error"]) == ("failed", RUN_INTERRUPTED)
    assert state["workers"] == 1
    assert _live(env, run_id) is None
    assert "共 0 个" in _run(
        env, "manage.py", "runs_sweep", "--skip-checks", "--stale-seconds", "1"
    )  # idempotent

    again = _helper(env, "restart", run_id)["run_id"]
    _run(env, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", timeout=180)
    state = _helper(env, "state", again)
    assert state["status"] == "succeeded", state
    assert state["workers"] == ROWS + 1 and state["result"] == {"created": ROWS, "rejected": 0}
