#!/usr/bin/env bash
# Shared set-up for ./run.sh and ./test.sh: the virtual environment in .venv/ with the project
# installed (editable). Idempotent: reinstalls only when pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { dpkg --configure -a || true; apt-get update -q && apt-get install -y -q python3-venv && "$PY" -m venv .venv; }
fi
EXTRAS="${1:-}"
STAMP=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  rm -f .venv/.installed-*
  touch "$STAMP"
fi
