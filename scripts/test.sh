#!/usr/bin/env bash
# Everything CI runs (.ci/run execs this). Stops at the first failing step and exits non-zero.
#
#   bash scripts/test.sh
#
# Steps: setup · system packages · ruff check · ruff format --check · mypy · manage.py check ·
# makemigrations --check · check --deploy (production env) · pytest on SQLite (xdist) ·
# pytest on a throwaway PostgreSQL (xdist) · browser tests (Playwright + Debian Chromium).
# Environment knobs: PYTEST_WORKERS (default 2), PYTEST_ARGS (extra args for every pytest run).
# `--keep-going` (local use): run every step even after a failure; still exits non-zero.
set -uo pipefail

KEEP_GOING=0
for arg in "$@"; do
    case "$arg" in
        --keep-going) KEEP_GOING=1 ;;
        *) echo "usage: $0 [--keep-going]" >&2; exit 2 ;;
    esac
done
FAILED=()

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
VENV="$ROOT/.venv/bin"
WORKERS="${PYTEST_WORKERS:-2}"
read -r -a EXTRA <<<"${PYTEST_ARGS:-}"

RUN_START=$(date +%s)
SUMMARY=()
CI_TMP="$(mktemp -d /tmp/chunnuan-ci.XXXXXX)"
trap 'rm -rf "$CI_TMP"' EXIT

# Tests must not depend on the developer's shell or on var/: SQLite unless a step says otherwise,
# a scratch var dir, and keys from the environment (so xdist workers never race to create key files).
unset DATABASE_URL DEBUG ALLOWED_HOSTS SECURE_SSL_REDIRECT
gen_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(64))'; }
gen_data_key() { python3 -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'; }

header() { printf '\n\033[1;34m==== [%s] %s ====\033[0m\n' "$(date +%H:%M:%S)" "$*"; }

finish() {
    local status="$1"
    printf '\n\033[1m==== summary ====\033[0m\n'
    local line
    for line in "${SUMMARY[@]}"; do
        echo "  $line"
    done
    local total=$(($(date +%s) - RUN_START))
    echo "test.sh: $status in ${total}s"
    # The plain closing line CI reads: every pytest run of this script, added up.
    python3 - "$CI_TMP" <<'PY'
import glob, sys
import xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/junit-*.xml"):
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
print(f"tests: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
}

# step NAME COMMAND... : run one step; stop everything on failure.
step() {
    local name="$1"
    shift
    header "$name"
    local t0 rc
    t0=$(date +%s)
    "$@"
    rc=$?
    local dt=$(($(date +%s) - t0))
    if [[ $rc -ne 0 ]]; then
        SUMMARY+=("$(printf '%-34s FAILED (exit %d, %ds)' "$name" "$rc" "$dt")")
        STEP_NOTE=""
        if [[ $KEEP_GOING -eq 1 ]]; then
            FAILED+=("$name")
            return 0
        fi
        finish "FAILED at '$name'"
        exit "$rc"
    fi
    SUMMARY+=("$(printf '%-34s ok%s (%ds)' "$name" "${STEP_NOTE:-}" "$dt")")
    STEP_NOTE=""
}
STEP_NOTE=""

# pytest exits 5 when it collected no tests (e.g. an app with no tests yet, or every test
# deselected by -m). That is not a failure of the code, but it must be visible: noted in the summary.
JUNIT_N=0
pytest_step() {
    JUNIT_N=$((JUNIT_N + 1))
    PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-} --junitxml=$CI_TMP/junit-$JUNIT_N.xml" "$@"
    local rc=$?
    if [[ $rc -eq 5 ]]; then
        echo "(pytest collected no tests: treated as success, noted in the summary)"
        STEP_NOTE=" — NO TESTS COLLECTED"
        return 0
    fi
    return "$rc"
}

system_packages() {
    local missing=()
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        missing+=(postgresql)
    fi
    if [[ ! -x /usr/bin/chromium ]]; then
        missing+=(chromium)
    fi
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "postgresql and chromium already installed"
        return 0
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "missing Debian packages: ${missing[*]} (run: apt-get install ${missing[*]})" >&2
        return 1
    fi
    echo "installing: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

deploy_check() {
    local dir="$CI_TMP/deploy"
    mkdir -p "$dir"
    env DEBUG=0 \
        SECRET_KEY="$(gen_secret)" \
        CHUNNUAN_DATA_KEY="$(gen_data_key)" \
        ALLOWED_HOSTS=chunnuan.example.gov.cn \
        DATABASE_URL="sqlite:///$dir/db.sqlite3" \
        CHUNNUAN_VAR_DIR="$dir" \
        "$VENV/python" manage.py check --deploy --fail-level WARNING
}

test_env() {
    mkdir -p "$CI_TMP/var/staticfiles"  # STATIC_ROOT; whitenoise warns when it is missing
    export CHUNNUAN_VAR_DIR="$CI_TMP/var"
    export SECRET_KEY
    SECRET_KEY="$(gen_secret)"
    export CHUNNUAN_DATA_KEY
    CHUNNUAN_DATA_KEY="$(gen_data_key)"
}

# ------------------------------------------------------------------------------------------------
step "setup" bash scripts/setup.sh
step "system packages" system_packages
step "ruff check" "$VENV/ruff" check .
step "ruff format --check" "$VENV/ruff" format --check .
step "mypy" "$VENV/mypy" chunnuan config
step "manage.py check" "$VENV/python" manage.py check
step "makemigrations --check" "$VENV/python" manage.py makemigrations --check --dry-run
step "check --deploy (production env)" deploy_check

test_env
XDIST=()
if "$VENV/python" -c 'import xdist' 2>/dev/null; then
    XDIST=(-n "$WORKERS")
else
    echo "pytest-xdist not installed: running the suites in one process" >&2
fi

step "pytest (SQLite)" pytest_step "$VENV/pytest" "${XDIST[@]}" -m "not browser" "${EXTRA[@]}"
step "pytest (PostgreSQL)" pytest_step bash tests/infra/with_pg.sh \
    "$VENV/pytest" "${XDIST[@]}" -m "not browser" "${EXTRA[@]}"
mkdir -p test-artifacts
step "browser tests (Chromium)" pytest_step env CHUNNUAN_REQUIRE_BROWSER=1 \
    "$VENV/pytest" -m browser tests/browser "${EXTRA[@]}"

if [[ ${#FAILED[@]} -gt 0 ]]; then
    finish "FAILED (${#FAILED[@]} steps: $(IFS=,; echo "${FAILED[*]}"))"
    exit 1
fi
finish "PASSED"
