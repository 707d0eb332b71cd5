"""Helper of tests/test_run_kill.py, run as a separate process against a throwaway database:

    python tests/_run_kill_helper.py setup ROWS     # regions, personas, an upload, a queued import run
    python tests/_run_kill_helper.py state RUN_ID   # the run and the ledger, as JSON
    python tests/_run_kill_helper.py restart RUN_ID # 重新开始, as the run's starter

Settings come from the environment (DATABASE_URL, CHUNNUAN_VAR_DIR, …) with config.settings, so
the task backend is the database one the real ``db_worker`` reads.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, as the tests

from django.db import transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from chunnuan.access.actor import system_actor  # noqa: E402
from chunnuan.access.auth import actor_for_user  # noqa: E402
from chunnuan.access.scoping import actor_scope  # noqa: E402
from chunnuan.accounts.models import User  # noqa: E402
from chunnuan.batch.live import live_read  # noqa: E402
from chunnuan.batch.models import Run  # noqa: E402
from chunnuan.batch.services import import_start, import_upload_save, run_restart  # noqa: E402
from chunnuan.core import synthetic  # noqa: E402
from chunnuan.core.testing import make_personas  # noqa: E402
from chunnuan.workers.models import Worker  # noqa: E402

HEADER = ["姓名", "身份证号码", "联系电话", "户籍地区划代码"]


def ledger(rows: int) -> bytes:
    rng = random.Random(20261204)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台帐")
    sheet.append(HEADER)
    seen: set[str] = set()
    while len(seen) < rows:
        number = synthetic.id_number(rng, "220702")
        if number in seen:
            continue
        seen.add(number)
        sheet.append([synthetic.person_name(rng), number, synthetic.phone(rng), "220702001000"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def county_actor():  # type: ignore[no-untyped-def]
    return actor_for_user(User.objects.get(username="county"))


def setup(rows: int) -> dict[str, int]:
    with actor_scope(system_actor("test-setup")):
        make_personas()
    actor = county_actor()
    data = ledger(rows)
    with actor_scope(actor):
        upload = import_upload_save(actor=actor, chunks=[data], filename="台帐.xlsx", size=len(data))
        with transaction.atomic():
            run = import_start(
                actor=actor,
                kind="workers",
                upload=upload,
                region_code="220702001000",
                background=True,
            )
    assert isinstance(run, Run)
    return {"run_id": run.pk, "bytes": len(data)}


def state(run_id: int) -> dict[str, object]:
    run = Run.objects.unscoped(reason="test helper").get(pk=run_id)
    return {
        "status": run.status,
        "error": run.error,
        "progress": run.progress,
        "heartbeat_at": run.heartbeat_at.isoformat() if run.heartbeat_at else None,
        "live": live_read(run_id),
        "workers": Worker.objects.unscoped(reason="test helper").count(),
        "result": {k: v for k, v in (run.params.get("result") or {}).items() if k in ("created", "rejected")},
    }


def restart(run_id: int) -> dict[str, int]:
    actor = county_actor()
    with actor_scope(actor):
        run = run_restart(actor=actor, pk=run_id)
    return {"run_id": run.pk}


if __name__ == "__main__":
    action, arg = sys.argv[1], int(sys.argv[2])
    out = {"setup": setup, "state": state, "restart": restart}[action](arg)
    print(json.dumps(out, ensure_ascii=False))
