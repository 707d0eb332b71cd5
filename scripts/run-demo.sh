#!/usr/bin/env bash
# Run the demo on http://127.0.0.1:8000 with SQLite under var/:
#
#   bash scripts/run-demo.sh
#
# setup.sh, then reference regions and demo data, then the task worker in the background
# (stopped when this script exits) and Django's development server in the foreground (Ctrl-C stops both).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

PY=".venv/bin/python"
HOST="${DEMO_HOST:-127.0.0.1}"
PORT="${DEMO_PORT:-8000}"

say() { printf '\n\033[1m== demo: %s\033[0m\n' "$*"; }

say "loading regions"
"$PY" manage.py load_regions
say "loading demo data"
"$PY" manage.py load_demo

WORKER_PID=""
stop_worker() {
    if [[ -n "$WORKER_PID" ]] && kill -0 "$WORKER_PID" 2>/dev/null; then
        kill "$WORKER_PID" 2>/dev/null || true
        wait "$WORKER_PID" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting the task worker (db_worker) in the background"
"$PY" manage.py db_worker &
WORKER_PID=$!

say "web server on http://$HOST:$PORT/  (demo officer: songyuan_city / Chunnuan@2026; Ctrl-C to stop)"
"$PY" manage.py runserver "$HOST:$PORT"
