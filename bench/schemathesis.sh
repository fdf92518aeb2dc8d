#!/usr/bin/env bash
# The acceptance run of issue 18: Schemathesis over every documented operation with many
# generated requests (random, not the suite's fixed examples), through the real WSGI app.
# Usage: bench/schemathesis.sh [examples per operation, default 250]
# Prints the number of requests, the 5xx count and the time; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${1:-250}"
report="$(mktemp)"
start=$(date +%s)
status=0
CFMP_SCHEMATHESIS_EXAMPLES="$examples" CFMP_SCHEMATHESIS_RANDOM=1 \
  CFMP_SCHEMATHESIS_REPORT="$report" DATABASE_URL="${DATABASE_URL:-sqlite:///:memory:}" \
  .venv/bin/pytest -q -p no:cacheprovider tests/core/test_schemathesis.py || status=$?
elapsed=$(( $(date +%s) - start ))
read -r requests errors < "$report"
rm -f "$report"
echo "schemathesis: ${requests} requests, ${errors} answered 5xx, ${elapsed} s (exit ${status})"
exit "$status"
