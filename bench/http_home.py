"""HTTP benchmark: the officer home page and /healthz against a bare Django response, under gunicorn.

    python bench/http_home.py [--requests 1000] [--duration 30]

What it does, all on loopback and all bounded:

1. a throwaway SQLite database and var dir in a temp dir (DATABASE_URL, CHUNNUAN_VAR_DIR);
   ``migrate``, ``collectstatic``, ``load_regions --province 22`` (吉林) and ``load_demo``;
2. gunicorn (2 sync workers, production-like settings: DEBUG=0, ALLOWED_HOSTS=127.0.0.1,
   SECURE_SSL_REDIRECT=0 so plain http works) serving ``bench.bench_wsgi:application`` on a free
   127.0.0.1 port — the project's WSGI app plus ``/bench/bare``, a minimal HttpResponse answered
   before middleware: the floor cost of the same server;
3. a session for the demo officer (``songyuan_city``) made in-process with Django's test Client,
   whose session cookie the load generator sends;
4. for each target: a short warm-up, then ``--requests`` GETs from 8 threads (keep-alive
   http.client connections; gunicorn's sync workers close after each response, so http.client
   reconnects), stopped early at ``--duration`` seconds; prints requests/second, p50 and p95
   latency, and each figure's ratio to ``/bench/bare``.

The numbers are for comparing one revision with another on the same machine, not capacity
planning: the load generator shares the 2 cores with the server.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONCURRENCY = 8
WARMUP = 20
OFFICER_USERNAME = "songyuan_city"
BARE = "/bench/bare"


@dataclass
class Result:
    target: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    wall_s: float = 0.0
    note: str = ""

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.ok / self.wall_s if self.wall_s else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_environment(tmp: Path) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CHUNNUAN_DATA_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "CHUNNUAN_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
    }
    os.environ.update(env)
    return env


def load_data() -> tuple[str | None, str]:
    """Migrate and load data in-process; return (session cookie or None, note)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    try:
        t0 = time.perf_counter()
        call_command("load_regions", province=["22"])
        call_command("load_demo")
        print(f"demo data loaded in {time.perf_counter() - t0:.1f}s", flush=True)
        user = get_user_model().objects.get(username=OFFICER_USERNAME)
    except Exception as exc:  # the commands are written by others; report, do not crash the bench
        connections.close_all()
        return None, f"not run: demo data unavailable ({type(exc).__name__}: {exc})"
    client = Client()
    client.force_login(user)
    cookie = client.cookies.get("sessionid")
    connections.close_all()
    if cookie is None:
        return None, "not run: no session cookie after force_login"
    return cookie.value, ""


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "gunicorn", "bench.bench_wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--chdir", str(ROOT),
        "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            status, _ = get_once(port, "/healthz", None)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"gunicorn did not answer /healthz within 30s:\n{log.read_text()}")


def get_once(port: int, path: str, session: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers(session))
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def headers(session: str | None) -> dict[str, str]:
    h = {"Accept-Language": "zh-CN", "Accept": "text/html,application/json"}
    if session:
        h["Cookie"] = f"sessionid={session}"
    return h


def run_load(port: int, path: str, session: str | None, total: int, duration: float) -> Result:
    result = Result(target=path)
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + duration

    def worker() -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        hdrs = headers(session)
        latencies: list[float] = []
        errors = 0
        try:
            while time.monotonic() < deadline:
                with lock:
                    if issued >= total:
                        break
                    issued += 1
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path, headers=hdrs)
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status == 200:
                        latencies.append((time.perf_counter() - t0) * 1000)
                    else:
                        errors += 1
                except (OSError, http.client.HTTPException):
                    errors += 1
                    conn.close()
        finally:
            conn.close()
            with lock:
                result.latencies_ms.extend(latencies)
                result.errors += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CONCURRENCY)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 15)
    result.wall_s = time.perf_counter() - t0
    if issued < total:
        result.note = f"duration cap hit after {issued} requests"
    return result


def print_table(results: list[Result], skipped: dict[str, str]) -> None:
    bare = next((r for r in results if r.target == BARE), None)
    print()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"gunicorn 2 sync workers · concurrency {CONCURRENCY} · loopback · {when}")
    print()
    print("| target | ok | errors | req/s | p50 ms | p95 ms | req/s ÷ bare | p50 × bare | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        rps_ratio = f"{r.rps / bare.rps:.2f}" if bare and bare.rps else "—"
        p50_ratio = f"{r.pct(50) / bare.pct(50):.1f}" if bare and bare.ok and r.ok else "—"
        print(
            f"| `{r.target}` | {r.ok} | {r.errors} | {r.rps:.0f} | {r.pct(50):.1f} | {r.pct(95):.1f} "
            f"| {rps_ratio} | {p50_ratio} | {r.note} |"
        )
    for target, why in skipped.items():
        print(f"| `{target}` | — | — | — | — | — | — | — | {why} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per target (max 5000)")
    parser.add_argument("--duration", type=float, default=30.0, help="cap in seconds per target (max 120)")
    args = parser.parse_args()
    total = max(1, min(args.requests, 5000))
    duration = max(1.0, min(args.duration, 120.0))

    tmp = Path(tempfile.mkdtemp(prefix="chunnuan-bench-"))
    proc: subprocess.Popen[bytes] | None = None
    try:
        env = prepare_environment(tmp)
        session, home_note = load_data()
        port = free_port()
        proc = start_gunicorn(env, port, tmp / "gunicorn.log")

        targets: list[tuple[str, str | None]] = [(BARE, None), ("/healthz", None)]
        skipped: dict[str, str] = {}
        if session:
            status = get_once(port, "/", session)[0]
            if status == 200:
                targets.append(("/", session))
            else:
                skipped["/"] = f"not run: GET / as {OFFICER_USERNAME} answered {status}"
        else:
            skipped["/"] = home_note

        results = []
        for path, cookie in targets:
            run_load(port, path, cookie, WARMUP, duration)
            r = run_load(port, path, cookie, total, duration)
            print(f"{path}: {r.ok} ok, {r.errors} errors in {r.wall_s:.1f}s", flush=True)
            results.append(r)
        print_table(results, skipped)
        return 1 if any(r.errors for r in results) or skipped else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
