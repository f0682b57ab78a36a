#!/usr/bin/env bash
# Runs the service on the embedded SQLite database with demo data: http://127.0.0.1:8080
# (set-up included: virtual environment, install, migrations, demo data). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
# The demo client area (/client-area) signs the demo customer's id with this secret; set your own in
# production (it is shared with the real client area).
export CHATBOT_IDENTITY_SECRET="${CHATBOT_IDENTITY_SECRET:-demo-client-area-secret}"
.venv/bin/chatbot db upgrade
.venv/bin/chatbot demo
exec .venv/bin/chatbot serve "$@"
