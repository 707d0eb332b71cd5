"""Import benchmark: a 200,000-row roster xlsx through ``import_ledger``, beside three baselines.

    python bench/import_roster.py [--rows 200000] [--sample 10000] [--no-pg] [--timeout 900]

What it does, all local and all bounded:

1. generates a roster workbook (``chunnuan.core.synthetic``: title rows, the 12 filing columns,
   ~3% bad rows, a signature footer) of ``--rows`` rows, and a ``--sample``-row workbook (the
   first rows of the same data) for the slow baseline;
2. for SQLite (a throwaway file) and PostgreSQL (a throwaway server from ``tests/infra/with_pg.sh``;
   the machine's :5432 is never touched): migrate, ``load_regions --province 22``, one employer in
   团结街道; then runs each contender as its own child process and records wall time and peak RSS
   (``os.wait4`` → ``ru_maxrss`` of that child, started from a tiny launcher so the parent's
   memory is not counted):
   - **ours**: ``manage.py import_ledger roster FILE --employer USCC --region 220700000000 --json``
     into an empty ledger (run last, after the baselines' rows are deleted), then a second run of
     the same file: the idempotent re-import, everything unchanged;
   - **(a) calamine**: python-calamine reading every cell of the file, nothing else;
   - **(b) pandas**: ``read_excel(engine="calamine", header=2, dtype=str)`` + ``to_sql`` into the
     same database (no validation at all);
   - **(c) django-import-export**: a ``ModelResource`` for the worker with the same checks (ID
     number by ``parse_id_number``, name required, phone normalised, dates) and a roster entry per
     row, on the ``--sample`` file; its time is extrapolated linearly to ``--rows``.
3. prints one table per database and the ratios the issue sets goals for: ours ÷ (a) ≤ 3,
   (c) ÷ ours ≥ 20, peak RSS ≤ 600 MB.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261122
REGION = "220700000000"  # 松原市
EMPLOYER_REGION = "220702001000"  # 团结街道


def base_env(tmp: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",  # DEBUG keeps every query in memory: it would inflate RSS
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CHUNNUAN_DATA_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CHUNNUAN_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


# --- generating the files ------------------------------------------------------------------------


def generate(path: Path, rows: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from chunnuan.core import synthetic

    t0 = time.perf_counter()
    stats = synthetic.write_roster_xlsx(
        path, synthetic.roster_sheet_rows(random.Random(SEED), rows), rng=random.Random(SEED + 1)
    )
    return {"rows": stats.rows, "bad": stats.bad_total, "seconds": time.perf_counter() - t0,
            "mb": path.stat().st_size / 1e6}  # fmt: skip


# --- measuring a child process -------------------------------------------------------------------


# A child forked from a big process starts with that process's RSS in its ru_maxrss (until exec), so
# each contender is started by this tiny launcher (``python -S``: a few MB), which forks, execs the
# contender, and reports the contender's own rusage from wait4.
LAUNCHER = """
import json, os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"rc": os.waitstatus_to_exitcode(status), "rss_kb": usage.ru_maxrss,
               "seconds": time.perf_counter() - t0}, fh)
"""


def measure(cmd: list[str], env: dict[str, str], timeout: float, log: Path) -> dict[str, Any]:
    """Run ``cmd``; wall seconds, peak RSS (MB) of that process, exit status, its last output line."""
    usage_file = log.with_suffix(".usage.json")
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(usage_file), *cmd], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        try:
            proc.wait(timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            timed_out = True
    usage = (
        json.loads(usage_file.read_text())
        if usage_file.exists()
        else {"rc": -9, "rss_kb": 0, "seconds": timeout}
    )
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return {"seconds": usage["seconds"], "rss_mb": usage["rss_kb"] / 1024, "rc": usage["rc"],
            "last": lines[-1] if lines else "", "timed_out": timed_out}  # fmt: skip


# --- one database: the phase (runs with DATABASE_URL set) ----------------------------------------


def phase(args: argparse.Namespace) -> int:
    tmp = Path(args.tmp)
    env = {**os.environ}
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from chunnuan.core import synthetic
    from chunnuan.employers.models import Employer, Employment
    from chunnuan.workers.models import Worker

    t0 = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_regions", province=["22"], stdout=open(os.devnull, "w"))
    code = synthetic.credit_code(random.Random(SEED), EMPLOYER_REGION[:6])
    Employer.objects.unscoped(reason="bench setup").get_or_create(
        credit_code=code, defaults={"name": "松原市鑫达食品有限公司", "region_code": EMPLOYER_REGION,
                                    "industry_section": "C"})  # fmt: skip
    vendor = connection.vendor
    connections.close_all()
    setup_s = time.perf_counter() - t0

    py = sys.executable
    me = str(Path(__file__).resolve())
    results: dict[str, Any] = {"vendor": vendor, "setup_s": setup_s}
    ours = [
        py,
        "manage.py",
        "import_ledger",
        "roster",
        args.file,
        "--employer",
        code,
        "--region",
        REGION,
        "--json",
    ]
    runs = [
        ("calamine", [py, me, "--child", "calamine", "--file", args.file]),
        ("pandas", [py, me, "--child", "pandas", "--file", args.file]),
        ("import_export", [py, me, "--child", "import_export", "--file", args.sample, "--employer", code]),
        ("ours", ours),
        ("ours_again", ours),
    ]
    for name, cmd in runs:
        if name == "ours":  # start from an empty ledger again: what import-export wrote goes
            Employment.objects.unscoped(reason="bench reset").all().delete()
            Worker.objects.unscoped(reason="bench reset").all().delete()
            connections.close_all()
        r = measure(cmd, env, args.timeout, tmp / f"{vendor}-{name}.log")
        if name.startswith("ours"):
            try:
                r["json"] = json.loads(r["last"])
            except ValueError:
                r["json"] = None
        results[name] = r
        print(f"  {vendor} {name}: {r['seconds']:.1f}s, {r['rss_mb']:.0f} MB, exit {r['rc']}", flush=True)
    Path(args.out).write_text(json.dumps(results, default=str))
    return 0


# --- the contenders that are not ours ------------------------------------------------------------


def child_calamine(file: str) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(file)
    cells = 0
    for row in book.get_sheet_by_index(0).iter_rows():
        cells += len(row)
    print(json.dumps({"cells": cells}))


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def child_pandas(file: str) -> None:
    import pandas as pd
    from sqlalchemy import create_engine

    frame = pd.read_excel(file, engine="calamine", header=2, dtype=str)
    engine = create_engine(_sqlalchemy_url(os.environ["DATABASE_URL"]))
    with engine.begin() as conn:
        frame.to_sql("bench_pandas_roster", conn, if_exists="replace", index=False, chunksize=10_000)
    print(json.dumps({"rows": len(frame)}))


def child_import_export(file: str, employer_code: str) -> None:
    """django-import-export with the same checks as ours, one worker + one roster entry per row."""
    import django

    django.setup()
    import datetime as dt

    import tablib
    from django.core.exceptions import ValidationError
    from import_export import resources
    from python_calamine import CalamineWorkbook

    from chunnuan.access.actor import system_actor
    from chunnuan.access.scoping import actor_scope
    from chunnuan.core import crypto
    from chunnuan.core.errors import ValidationFailed
    from chunnuan.core.identifiers import normalize_phone, parse_id_number
    from chunnuan.employers.models import Employer, Employment
    from chunnuan.workers.models import Worker

    columns = {"姓名": "name", "性别": "sex_label", "身份证号码": "id_number", "户籍地址": "origin_address",
               "现住址": "current_address", "联系电话": "phone", "用工形式": "form", "岗位": "post",
               "入职日期": "start_date", "合同期限": "term", "是否参加社会保险": "insured"}  # fmt: skip
    forms = {"全日制": "full_time", "非全日制": "part_time", "劳务派遣": "dispatched"}
    with actor_scope(system_actor("bench import-export")):
        employer = Employer.objects.unscoped(reason="bench").get(credit_code=employer_code)

        class RosterResource(resources.ModelResource):  # type: ignore[misc]
            seen: dict[str, str] = {}

            class Meta:
                model = Worker
                import_id_fields = ("id_number_hash",)
                fields = ("id_number_hash", "name", "id_number", "sex", "birth_date", "phone", "origin_region_code",
                          "origin_address", "current_address")  # fmt: skip
                skip_unchanged = True
                clean_model_instances = False

            def before_import_row(self, row: Any, **kwargs: Any) -> None:
                self.clean(row)

            def clean(self, row: Any) -> None:
                errors: dict[str, str] = {}
                if not (row.get("name") or "").strip():
                    errors["name"] = "请填写姓名"
                raw = row.get("id_number")
                if not isinstance(raw, str):
                    errors["id_number"] = "身份证号码被存成了数字，丢失了末尾数字"
                else:
                    try:
                        info = parse_id_number(raw)
                        row["id_number"], row["sex"], row["birth_date"] = (
                            info.number,
                            info.sex,
                            info.birth_date,
                        )
                        row["id_number_hash"] = crypto.lookup_hash(info.number)
                        row["origin_region_code"] = info.number[:6] + "000000"
                        if self.seen.setdefault(info.number, row.get("name")) != row.get("name"):
                            errors["id_number"] = "同一身份证号码在文件中出现多次且姓名不同"
                    except ValidationFailed as exc:
                        errors["id_number"] = str(exc)
                try:
                    row["phone"] = normalize_phone(row.get("phone") or "") if row.get("phone") else ""
                except ValidationFailed as exc:
                    errors["phone"] = str(exc)
                if not isinstance(row.get("start_date"), dt.date):
                    errors["start_date"] = "入职日期格式不正确"
                if errors:
                    raise ValidationError(errors)

            def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
                if kwargs.get("dry_run"):
                    return
                start = row["start_date"]
                start = start.date() if isinstance(start, dt.datetime) else start
                Employment.objects.unscoped(reason="bench").update_or_create(
                    employer=employer, worker=instance, start_date=start,
                    defaults={"region_code": employer.region_code,
                              "worker_origin_region_code": instance.origin_region_code,
                              "employment_form": forms.get(row.get("form"), "other"), "post": row.get("post") or "",
                              "is_insured": row.get("insured") == "是"})  # fmt: skip

            def get_queryset(self) -> Any:
                return Worker.objects.unscoped(reason="bench")

        sheet = CalamineWorkbook.from_path(file).get_sheet_by_index(0).to_python()
        header = [str(h) for h in sheet[2]]
        data = tablib.Dataset(headers=[columns.get(h, h) for h in header])
        for row in sheet[3:]:
            if row and isinstance(row[0], (int, float)):
                data.append(row)
        result = RosterResource().import_data(data, dry_run=False, raise_errors=False, use_transactions=True)
        print(json.dumps({"rows": len(data), "invalid": len(result.invalid_rows), "errors": len(result.row_errors()),
                          "totals": {k: v for k, v in result.totals.items() if v}}))  # fmt: skip


# --- the report ----------------------------------------------------------------------------------


def report(res: dict[str, Any], rows: int, sample: int) -> None:
    vendor = res["vendor"]
    cal, ours, pandas, ie = res["calamine"], res["ours"], res["pandas"], res["import_export"]
    factor = rows / sample
    ie_est = ie["seconds"] * factor
    print(f"\n### {vendor} (setup: migrate + regions {res['setup_s']:.0f}s)\n")
    print("| contender | rows | wall s | peak RSS MB | exit | ours ÷ this | note |")
    print("|---|---:|---:|---:|---:|---:|---|")

    def line(name: str, r: dict[str, Any], n: int, ratio: str, note: str = "") -> None:
        print(f"| {name} | {n} | {r['seconds']:.1f} | {r['rss_mb']:.0f} | {r['rc']} | {ratio} | {note} |")

    def summary(r: dict[str, Any]) -> str:
        j = r.get("json") or {}
        if not j:
            return "no JSON on the last line"
        return ", ".join(f"{k} {j.get(k)}" for k in ("rows", "created", "updated", "unchanged", "rejected"))

    line("ours: `import_ledger roster`", ours, rows, "1.0", summary(ours))
    line("ours, same file again", res["ours_again"], rows, "", summary(res["ours_again"]))
    line("(a) python-calamine read", cal, rows, f"{ours['seconds'] / cal['seconds']:.1f}")
    line("(b) pandas read_excel + to_sql", pandas, rows, f"{ours['seconds'] / pandas['seconds']:.1f}")
    line("(c) django-import-export", ie, sample, "", ie["last"][:120])
    print(
        f"| (c) extrapolated to {rows} | {rows} | {ie_est:.0f} | — | — | {ours['seconds'] / ie_est:.2f} | "
        f"linear: {factor:.0f} × the {sample}-row run |"
    )
    goals = [
        ("ours ≤ 3× (a)", ours["seconds"] / cal["seconds"] <= 3, f"{ours['seconds'] / cal['seconds']:.1f}×"),
        ("(c) ≥ 20× ours", ie_est / ours["seconds"] >= 20, f"{ie_est / ours['seconds']:.1f}×"),
        ("peak RSS ≤ 600 MB", ours["rss_mb"] <= 600, f"{ours['rss_mb']:.0f} MB"),
    ]
    print()
    for goal, ok, value in goals:
        print(f"- {goal}: {'met' if ok and ours['rc'] in (0, 1) else 'MISSED'} ({value})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--timeout", type=float, default=900, help="cap in seconds per contender")
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--sample-file", dest="sample_path", help=argparse.SUPPRESS)
    parser.add_argument("--employer", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "calamine":
        child_calamine(args.file)
        return 0
    if args.child == "pandas":
        child_pandas(args.file)
        return 0
    if args.child == "import_export":
        child_import_export(args.file, args.employer)
        return 0
    if args.phase:
        args.sample = args.sample_path
        return phase(args)

    rows = max(1000, min(args.rows, 1_000_000))
    sample = max(100, min(args.sample, rows))
    tmp = Path(tempfile.mkdtemp(prefix="chunnuan-bench-import-", dir="/tmp"))
    os.chmod(tmp, 0o755)  # noqa: S103 — the throwaway PostgreSQL runs as another user
    try:
        big, small = tmp / f"roster-{rows}.xlsx", tmp / f"roster-{sample}.xlsx"
        g = generate(big, rows)
        print(f"generated {big.name}: {g['rows']} rows, {g['bad']} bad, {g['mb']:.1f} MB in {g['seconds']:.1f}s",
              flush=True)  # fmt: skip
        generate(small, sample)
        env = {**os.environ, **base_env(tmp)}
        common = [sys.executable, str(Path(__file__).resolve()), "--phase", "--file", str(big), "--sample-file",
                  str(small), "--tmp", str(tmp), "--timeout", str(args.timeout)]  # fmt: skip
        outputs = []
        sqlite_out = tmp / "sqlite.json"
        subprocess.run([*common, "--out", str(sqlite_out)], cwd=ROOT, check=True,
                       env={**env, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}"})  # fmt: skip
        outputs.append(sqlite_out)
        if not args.no_pg:
            pg_out = tmp / "pg.json"
            subprocess.run(["bash", str(ROOT / "tests/infra/with_pg.sh"), *common, "--out", str(pg_out)],
                           cwd=ROOT, check=True, env=env)  # fmt: skip
            outputs.append(pg_out)
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + f" · load average at the end {load}"
        print(f"\nroster import · {rows} rows ({g['bad']} bad, {g['mb']:.1f} MB) · {when}")
        for out in outputs:
            report(json.loads(out.read_text()), rows, sample)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
