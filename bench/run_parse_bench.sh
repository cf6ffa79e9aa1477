#!/usr/bin/env bash
# Builds newsdesk-parse-bench and prints the median parsing throughput of
# five repetitions, single-threaded (MB/s per core), for text and for HTML.
# Extra arguments go to the benchmark (e.g. --benchmark_min_time=2).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh newsdesk-parse-bench >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
"${NEWSDESK_BUILD_DIR:-build}"/bin/newsdesk-parse-bench --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true "$@" |
  grep -E 'Benchmark|---|_median'
