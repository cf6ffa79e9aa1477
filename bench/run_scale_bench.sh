#!/usr/bin/env bash
# newsdesk against PostgreSQL at scale, in one command:
#   bench/run_scale_bench.sh [articles] [newsdesk-scale-bench flags...]
# (articles: default 100000; 1000000 for the 1M run). `--smoke` instead runs
# 2,000 generated articles with short measurements (ctest: scale_bench_smoke).
#
# Builds what it needs, starts both services with the embedded store on
# fresh directories and free loopback ports, and, when Debian's PostgreSQL
# is installed, a private postgres on a unix socket in the same scratch
# directory (as `nobody` when run as root; NEWSDESK_BENCH_NO_PG=1 leaves it
# out). Runs newsdesk-scale-bench
# against them, then restarts the query service on its data and times its
# start-up: until it answers its liveness check, and until SERVING. Prints the results and writes them as Markdown to
# $NEWSDESK_BENCH_OUT (default /tmp/newsdesk-scale-<articles>.md), the query
# service's log beside it (-query.log). NEWSDESK_BENCH_KEEP_DATA=1 keeps the
# scratch directory with both services' data (to start them on it again,
# e.g. for a profile) and says where it is.
# Articles are real stories from ${NEWSDESK_CORPORA:-../shared/corpora}, read
# in place, when that folder exists, else generated.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build="${NEWSDESK_BUILD_DIR:-build}"
articles=100000
extra=()
corpora="${NEWSDESK_CORPORA:-../shared/corpora}"
command="bench/run_scale_bench.sh $*"
if [ "${1:-}" = "--smoke" ]; then
  shift
  articles=2000
  corpora=""
  extra=(--queries=20 --seconds=0.3 --threads=2 --pg_insert_rows=200 --batch_size=100
         --ingest_concurrency=4)
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  articles=$1
  shift
fi
out="${NEWSDESK_BENCH_OUT:-/tmp/newsdesk-scale-$articles.md}"
if [ -z "${NEWSDESK_NO_BUILD:-}" ]; then
  NEWSDESK_BUILD_DIR="$build" scripts/build.sh newsdesk-ingest newsdesk-query \
    newsdesk-scale-bench newsdesk-health-probe >/dev/null
fi
bin="$build/bin"
[ -d "$corpora" ] || corpora=""

work=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-scale.XXXXXX")
chmod 755 "$work"
pg_bin=""
pg_user=()
keep_work=""
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  if [ -n "$pg_bin" ] && [ -f "$work/pg/postmaster.pid" ]; then
    "${pg_user[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  sleep 0.5
  if [ -n "${NEWSDESK_BENCH_KEEP_DATA:-}" ]; then
    echo "data and logs kept in $work"
  elif [ -n "$keep_work" ]; then
    rm -rf "$work/ingest" "$work/query" "$work/pg"
    echo "logs kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

wait_file() {
  for _ in $(seq 1 600); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "$1 never appeared"; return 1
}

start_query() {  # $1: listen address
  "$bin/newsdesk-query" --dev_mode_no_auth --listen="$1" --ingest_address="127.0.0.1:$ingest_port" \
    --data_dir="$work/query" --port_file="$work/query.port" \
    --http_listen=127.0.0.1:0 --http_port_file="$work/query.http" 2>>"$work/query.log" &
  echo $! >"$work/query.pid"
}

"$bin/newsdesk-ingest" --dev_mode_no_auth --listen=127.0.0.1:0 --data_dir="$work/ingest" \
  --port_file="$work/ingest.port" 2>"$work/ingest.log" &
echo $! >"$work/ingest.pid"
wait_file "$work/ingest.port"
ingest_port=$(cat "$work/ingest.port")
start_query 127.0.0.1:0
wait_file "$work/query.port"
wait_file "$work/query.http"
query_port=$(cat "$work/query.port")

# PostgreSQL: Debian's newest installed server, private to this run.
pg_args=()
# NEWSDESK_BENCH_NO_PG=1 leaves it out (newsdesk's figures alone, sooner).
initdb=""
if [ -z "${NEWSDESK_BENCH_NO_PG:-}" ]; then
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
fi
if [ -n "$initdb" ]; then
  pg_bin=$(dirname "$initdb")
  if [ "$(id -u)" -eq 0 ]; then pg_user=(runuser -u nobody --); fi
  mkdir -p "$work/pg" "$work/pgsock"
  [ "$(id -u)" -eq 0 ] && chown nobody "$work/pg" "$work/pgsock"
  "${pg_user[@]}" "$pg_bin/initdb" -D "$work/pg" -U bench --auth=trust -E UTF8 --locale=C \
    >"$work/initdb.log" 2>&1
  # Tuned for this machine and a read-mostly index of articles: a buffer
  # cache that holds the tables and indexes, memory for sorts and hash
  # aggregates, SSD costs, no JIT for short queries, checkpoints that do not
  # interrupt the load; commits stay synchronous and fsynced.
  "${pg_user[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pgsock/postgres.log" -o "\
    -c listen_addresses='' -c unix_socket_directories='$work/pgsock' -c port=5432 \
    -c shared_buffers=4GB -c effective_cache_size=12GB -c work_mem=64MB \
    -c maintenance_work_mem=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min \
    -c random_page_cost=1.1 -c effective_io_concurrency=200 -c jit=off \
    -c synchronous_commit=on -c fsync=on -c max_connections=64" start >/dev/null
  pg_args=(--pg="host=$work/pgsock port=5432 dbname=postgres user=bench")
elif [ -n "${NEWSDESK_BENCH_NO_PG:-}" ]; then
  echo "NEWSDESK_BENCH_NO_PG is set; measuring newsdesk only."
else
  echo "PostgreSQL is not installed (Debian: postgresql); measuring newsdesk only."
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
set +e
"$bin/newsdesk-scale-bench" --ingest="127.0.0.1:$ingest_port" --query="127.0.0.1:$query_port" \
  --query_http="127.0.0.1:$(cat "$work/query.http")" --query_pid="$(cat "$work/query.pid")" \
  --corpora="$corpora" --data="$root/data" --articles="$articles" \
  --markdown="$work/table.md" "${pg_args[@]}" "${extra[@]}" "$@"
status=$?
set -e
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [ $status -ne 0 ]; then
  echo "newsdesk-scale-bench failed ($status)"
  keep_work=1
  exit $status
fi

# Start-up: stop the query service, start it on the same data and port, and
# time until it answers its liveness check (it loads its replica in the
# background) and until grpc.health.v1 reports SERVING (ready).
kill "$(cat "$work/query.pid")"
while kill -0 "$(cat "$work/query.pid")" 2>/dev/null; do sleep 0.05; done
rm -f "$work/query.port" "$work/query.http"
started=$(date +%s.%N)
start_query "127.0.0.1:$query_port"
probe_until() {  # $@: health probe flags
  until "$bin/newsdesk-health-probe" --address="127.0.0.1:$query_port" --timeout_ms=200 "$@" \
      >/dev/null 2>&1; do
    sleep 0.02
    kill -0 "$(cat "$work/query.pid")" || { echo "query service died on restart"; keep_work=1; exit 1; }
  done
}
probe_until --service=liveness
alive=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
probe_until
startup=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

{
  echo "Run of $(date -u '+%F %H:%M') UTC on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) ($(uname -r));"
  echo "load average $load_before before, $load_after after. Command: ${command% }."
  echo
  cat "$work/table.md"
  echo
  echo "Query service start-up after a restart with every article: answering its liveness check in $(printf '%.2f' "$alive") s, SERVING in $(printf '%.2f' "$startup") s."
} >"$out"
echo
echo "query service start-up after restart: live in $(printf '%.2f' "$alive") s, SERVING in $(printf '%.2f' "$startup") s"
# The query service's log (its start-up steps with their times) beside it.
cp "$work/query.log" "${out%.md}-query.log"
echo "results written to $out, the query service's log to ${out%.md}-query.log"
