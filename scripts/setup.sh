#!/usr/bin/env bash
# Idempotent setup of a development / demo / CI checkout on a Debian machine with Python 3.11.
#
#   bash scripts/setup.sh
#
# 1. .venv (python3.11) if missing, and `pip install -e .[dev]` when pyproject.toml changed
# 2. front-end assets from the npm registry into static/vendor/ (git-ignored): ECharts;
#    Debian fonts-wqy-microhei (CJK font for PDFs and screenshots) when missing and root
# 3. `manage.py migrate`, and `compilemessages` when locale/ exists
# A second run with nothing to do takes a few seconds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

ECHARTS_VERSION="6.1.0"

say() { printf '\n\033[1m== setup: %s\033[0m\n' "$*"; }

# --- Python environment ------------------------------------------------------------------------
if [[ ! -x .venv/bin/python ]]; then
    say "creating .venv with python3.11"
    PY="$(command -v python3.11 || true)"
    if [[ -z "$PY" ]]; then
        echo "python3.11 not found on PATH" >&2
        exit 1
    fi
    "$PY" -m venv .venv
fi
VENV_PY="$ROOT/.venv/bin/python"
if ! "$VENV_PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo ".venv is not Python 3.11; remove it and run again" >&2
    exit 1
fi

# Reinstall only when pyproject.toml changed (or the editable install is missing).
STAMP=".venv/.chunnuan-pyproject.sha256"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
HAVE="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$WANT" != "$HAVE" ]] || ! "$VENV_PY" -c 'import importlib.metadata as m; m.version("chunnuan")' 2>/dev/null; then
    say "installing Python dependencies (pip install -e .[dev])"
    PIPLOG="$(mktemp)"
    if ! "$VENV_PY" -m pip install --disable-pip-version-check -q -e ".[dev]" >"$PIPLOG" 2>&1; then
        cat "$PIPLOG" >&2
        rm -f "$PIPLOG"
        exit 1
    fi
    rm -f "$PIPLOG"
    echo "$WANT" >"$STAMP"
else
    say "Python dependencies up to date"
fi

# --- Front-end assets (no CDN: everything is served from static/) -------------------------------
VENDOR="static/vendor"
VERSIONS="$VENDOR/VERSIONS"
mkdir -p "$VENDOR/echarts"
if [[ -s "$VENDOR/echarts/echarts.min.js" ]] && grep -qx "echarts $ECHARTS_VERSION" "$VERSIONS" 2>/dev/null; then
    say "ECharts $ECHARTS_VERSION present"
else
    say "fetching ECharts $ECHARTS_VERSION from the npm registry"
    command -v npm >/dev/null || { echo "npm not found (apt-get install npm)" >&2; exit 1; }
    TMP="$(mktemp -d)"
    trap 'rm -rf "$TMP"' EXIT
    (cd "$TMP" && npm pack --silent "echarts@$ECHARTS_VERSION" >/dev/null 2>npm.log) || {
        cat "$TMP/npm.log" >&2
        exit 1
    }
    tar -xzf "$TMP/echarts-$ECHARTS_VERSION.tgz" -C "$TMP" package/dist/echarts.min.js package/package.json
    got="$("$VENV_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$TMP/package/package.json")"
    if [[ "$got" != "$ECHARTS_VERSION" ]]; then
        echo "npm gave echarts $got, expected $ECHARTS_VERSION" >&2
        exit 1
    fi
    install -m 0644 "$TMP/package/dist/echarts.min.js" "$VENDOR/echarts/echarts.min.js"
    # One line per asset: "<name> <version>", then where it came from.
    {
        grep -v '^echarts ' "$VERSIONS" 2>/dev/null | grep -v '^#' || true
    } >"$TMP/versions.rest"
    {
        echo "# Front-end assets fetched by scripts/setup.sh (git-ignored; re-created on setup)."
        echo "echarts $ECHARTS_VERSION"
        cat "$TMP/versions.rest"
    } >"$VERSIONS"
    echo "echarts.min.js $(sha256sum "$VENDOR/echarts/echarts.min.js" | cut -d' ' -f1)" >"$VENDOR/echarts/SHA256"
    rm -rf "$TMP"
    trap - EXIT
fi

# --- CJK font (Debian) -------------------------------------------------------------------------
# PDFs embed it (reportlab) and headless Chromium needs it to draw Chinese in screenshots.
CJK_FONT="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
if [[ ! -f "$CJK_FONT" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        say "installing Debian fonts-wqy-microhei"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei
    else
        echo "warning: $CJK_FONT missing (apt-get install fonts-wqy-microhei)" >&2
    fi
fi

# --- Database and translations -----------------------------------------------------------------
say "migrate"
"$VENV_PY" manage.py migrate --noinput -v 0

if [[ -d locale ]]; then
    if ! command -v msgfmt >/dev/null; then
        say "installing Debian gettext (msgfmt)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext
    fi
    say "compilemessages"
    "$VENV_PY" manage.py compilemessages -v 0 --ignore=.venv
fi

say "done"
