#!/usr/bin/env bash
# Runs the whole test suite (set-up included: virtual environment, test dependencies, the system
# packages the tests need, the local PostgreSQL and Redis started if they are down). Idempotent.
set -uo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh test,redis || exit 1
scripts/test-services.sh || exit 1
.venv/bin/python -m pytest "$@"
status=$?
# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
if [ "$status" -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit "$status"
