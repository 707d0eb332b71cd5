#!/usr/bin/env bash
# Run a command against a THROWAWAY PostgreSQL server, then stop and delete it.
#
#   bash tests/infra/with_pg.sh .venv/bin/pytest -n 2 -m "not browser"
#
# The server lives in a fresh temp dir, listens only on 127.0.0.1 on a free port, keeps its unix
# socket in that temp dir, runs with fsync off, and is stopped and deleted when this script exits
# (success, failure or Ctrl-C). The machine's own PostgreSQL (on :5432) is never touched.
# The command runs with DATABASE_URL=postgres://chunnuan:…@127.0.0.1:PORT/chunnuan exported;
# the role may create databases, which pytest-django needs for test_chunnuan[_gwN].
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# --- find the server binaries (Debian: /usr/lib/postgresql/<major>/bin) --------------------------
PG_BIN=""
if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir 2>/dev/null)/initdb" ]]; then
    PG_BIN="$(pg_config --bindir)"
fi
if [[ -z "$PG_BIN" ]]; then
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
    echo "with_pg: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi

# Root may not run the server: run initdb/pg_ctl/psql as the 'postgres' OS user.
if [[ "$(id -u)" -eq 0 ]]; then
    PG_USER="postgres"
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_USER="$(id -un)"
    as_pg() { "$@"; }
fi

# /tmp, not $TMPDIR: the postgres user must be able to reach it when we run as root.
PG_TMP="$(mktemp -d /tmp/chunnuan-pg.XXXXXX)"
DATA="$PG_TMP/data"
SOCK="$PG_TMP/sock"
LOG="$PG_TMP/server.log"
mkdir -p "$SOCK"
if [[ "$(id -u)" -eq 0 ]]; then
    chown -R "$PG_USER:" "$PG_TMP"
fi
chmod 700 "$PG_TMP"

started=0
cleanup() {
    local rc=$?
    if [[ $started -eq 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$PG_TMP/initdb.log" 2>&1 || {
    cat "$PG_TMP/initdb.log" >&2
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A free port can be taken between the check and the server's bind: try a few.
for attempt in 1 2 3; do
    PORT="$(free_port)"
    if as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$SOCK -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null; then
        started=1
        break
    fi
    echo "with_pg: start on port $PORT failed (attempt $attempt)" >&2
    tail -n 5 "$LOG" >&2 || true
done
if [[ $started -ne 1 ]]; then
    exit 1
fi

as_pg "$PG_BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE chunnuan LOGIN CREATEDB PASSWORD '$PASSWORD';
CREATE DATABASE chunnuan OWNER chunnuan;
SQL

export DATABASE_URL="postgres://chunnuan:$PASSWORD@127.0.0.1:$PORT/chunnuan"
echo "with_pg: throwaway PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($PG_TMP)"

# Run the command as a child we wait for, so a signal to this script is handled at once (bash
# defers traps while a foreground child runs): stop the child, then the EXIT trap removes the server.
CHILD=""
on_signal() {
    if [[ -n "$CHILD" ]]; then
        kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
set +e
"$@" <&0 &
CHILD=$!
wait "$CHILD"
rc=$?
set -e
exit "$rc"
