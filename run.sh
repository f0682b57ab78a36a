#!/usr/bin/env bash
# Runs the service on the embedded SQLite database with demo data: http://127.0.0.1:8080
# (set-up included: virtual environment, install, migrations, demo data). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
.venv/bin/chatbot db upgrade
.venv/bin/chatbot demo
exec .venv/bin/chatbot serve "$@"
