#!/usr/bin/env bash
# Run the demo on http://127.0.0.1:8000 with SQLite under var/:
#
#   bash scripts/run-demo.sh
#
# setup.sh, then reference regions and demo data, then the task worker in the background
# (stopped when this script exits) and Django's development server in the foreground (Ctrl-C stops both).
#
# The demo looks like production: DEBUG off (Chinese 403/404/500 pages, never Django's technical
# pages), static files collected and served by the app (WhiteNoise). CHUNNUAN_DEMO=1 lets the keys
# be created under var/ on first run and keeps the https-only settings off for http://127.0.0.1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBUG=0
export CHUNNUAN_DEMO=1

bash scripts/setup.sh

PY=".venv/bin/python"
HOST="${DEMO_HOST:-127.0.0.1}"
PORT="${DEMO_PORT:-8000}"

say() { printf '\n\033[1m== demo: %s\033[0m\n' "$*"; }

say "collecting static files (served by WhiteNoise)"
"$PY" manage.py collectstatic --noinput -v 0

say "loading regions"
"$PY" manage.py load_regions
say "loading demo data"
"$PY" manage.py load_demo

# Both processes run in their own process group (setsid), so stopping one also stops the child
# that Django's autoreloader forks; the EXIT trap stops both whatever ends this script
# (Ctrl-C, kill, or the server exiting by itself).
WORKER_PID=""
WEB_PID=""
stop_all() {
    local pid
    for pid in "$WEB_PID" "$WORKER_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "$WEB_PID" "$WORKER_PID"; do
        [[ -n "$pid" ]] && wait "$pid" 2>/dev/null
    done
    return 0
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "failing runs a stopped worker left running (runs_sweep), then starting the task worker (db_worker)"
"$PY" manage.py runs_sweep
setsid "$PY" manage.py db_worker &
WORKER_PID=$!

say "web server on http://$HOST:$PORT/  (demo officer: songyuan_city / Chunnuan@2026; Ctrl-C to stop)"
setsid "$PY" manage.py runserver "$HOST:$PORT" &
WEB_PID=$!
wait "$WEB_PID"
