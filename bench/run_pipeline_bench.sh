#!/usr/bin/env bash
# Starts both services on fresh data directories and free ports, runs
# newsdesk-bench against them and stops them. Extra arguments go to
# newsdesk-bench (e.g. --articles=5000 --concurrency=32).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh newsdesk-ingest newsdesk-query newsdesk-bench >/dev/null
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
build/bin/newsdesk-ingest --dev_mode_no_auth --listen=127.0.0.1:0 --data_dir="$work/ingest" \
  --port_file="$work/ingest.port" 2>"$work/ingest.log" & echo $! >"$work/ingest.pid"
for i in $(seq 1 100); do [ -f "$work/ingest.port" ] && break; sleep 0.1; done
ingest_port=$(cat "$work/ingest.port")
build/bin/newsdesk-query --dev_mode_no_auth --listen=127.0.0.1:0 --ingest_address=127.0.0.1:$ingest_port \
  --data_dir="$work/query" --port_file="$work/query.port" 2>"$work/query.log" &
echo $! >"$work/query.pid"
for i in $(seq 1 100); do [ -f "$work/query.port" ] && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print $2/1048576 " GiB"}'); $(date -u +%F)"
build/bin/newsdesk-bench --ingest=127.0.0.1:$ingest_port \
  --query=127.0.0.1:$(cat "$work/query.port") --seeds=data/seeds "$@"
