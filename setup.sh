#!/usr/bin/env bash
# Set up nichegraph on a fresh machine: a Python 3.11 virtualenv with the package and its
# test tools, the explorer's front-end assets from npm (lockfile), and the local Neo4j
# server's jars from Maven Central (cached; later starts need no network). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
  echo "setup: Python 3.11 or newer is required (found $("$python" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$python" --version)"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "setup: Python packages installed"

if [ -f web/package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is required to install the explorer's front-end assets (web/package-lock.json)" >&2
    exit 1
  fi
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "setup: front-end assets installed from web/package-lock.json"
fi

.venv/bin/nichegraph db install
echo "setup: done. Next: .venv/bin/nichegraph run"
