#!/usr/bin/env bash
# Soak test: mixed ingest and queries against both services as real
# processes for MINUTES (default 15), printing per interval the call rates,
# p99 latencies, resident memory of both services and errors; fails on any
# error, on memory growth after the warm-up, or on p99 drift
# (tests/integration/soak_test.cc). Usage: bench/run_soak.sh [MINUTES]
# NEWSDESK_SOAK_POOL and NEWSDESK_SOAK_THREADS change the article pool
# (default 5000 here) and the threads of each kind (4).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-15}"
scripts/build.sh soak_test newsdesk-ingest newsdesk-query >/dev/null
NEWSDESK_SOAK_SECONDS=$(( minutes * 60 )) NEWSDESK_SOAK_POOL="${NEWSDESK_SOAK_POOL:-5000}" \
  "${NEWSDESK_BUILD_DIR:-build}/bin/soak_test"
