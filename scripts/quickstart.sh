#!/usr/bin/env bash
# Installs what is missing, builds the services and the CLI, starts both
# services on the embedded store, ingests the sample articles and runs an
# entity, a date-range and a topic query, and lists the stories (the
# articles about one event) they form.
#   scripts/quickstart.sh        run it (services keep running afterwards)
#   scripts/quickstart.sh stop   stop the services it started
set -euo pipefail
cd "$(dirname "$0")/.."
data=newsdesk-data
bin=build/bin

stop() {
  for service in ingest query; do
    if [ -f "$data/$service.pid" ]; then
      kill "$(cat "$data/$service.pid")" 2>/dev/null || true
      rm -f "$data/$service.pid"
    fi
  done
}
if [ "${1:-}" = "stop" ]; then stop; echo "stopped"; exit 0; fi

scripts/install_deps.sh
echo "building (the first build takes a few minutes)..."
scripts/build.sh newsdesk-ingest newsdesk-query newsdesk >/dev/null
stop
mkdir -p "$data"
rm -f "$data"/*.port

"$bin/newsdesk-ingest" --dev_mode_no_auth --listen=127.0.0.1:50051 --http_listen=127.0.0.1:9451 --data_dir="$data/ingest" \
  --port_file="$data/ingest.port" >"$data/ingest.log" 2>&1 &
echo $! >"$data/ingest.pid"
for i in $(seq 1 100); do [ -f "$data/ingest.port" ] && break; sleep 0.1; done
"$bin/newsdesk-query" --dev_mode_no_auth --listen=127.0.0.1:50052 --http_listen=127.0.0.1:9452 --ingest_address=127.0.0.1:50051 \
  --data_dir="$data/query" --port_file="$data/query.port" >"$data/query.log" 2>&1 &
echo $! >"$data/query.pid"
for i in $(seq 1 100); do
  [ -f "$data/ingest.port" ] && [ -f "$data/query.port" ] && break
  sleep 0.1
done
if [ ! -f "$data/ingest.port" ] || [ ! -f "$data/query.port" ]; then
  echo "the services did not start; see $data/ingest.log and $data/query.log" >&2
  exit 1
fi
cli="$bin/newsdesk"
"$cli" wait >/dev/null
echo "ingest service on 127.0.0.1:50051 (HTTP 9451), query service on 127.0.0.1:50052 (HTTP 9452); logs in $data/"

# Three of the sample articles name no date of their own: the feed's times
# for them come in a sidecar file, as a feed would send them.
echo; echo "\$ newsdesk ingest --hints=data/seeds.hints.tsv data/seeds"
"$cli" ingest --hints=data/seeds.hints.tsv data/seeds
sleep 0.2  # the query service applies new articles within milliseconds
echo; echo "\$ newsdesk entity Zelenskiy"
"$cli" entity Zelenskiy
echo; echo "\$ newsdesk dates 2023-04-01 2023-05-01"
"$cli" dates 2023-04-01 2023-05-01
echo; echo "\$ newsdesk topic 'conflict, war and peace'"
"$cli" topic "conflict, war and peace"
echo; echo "\$ newsdesk search --entity=Kiev --topic=diplomacy --order=relevance"
"$cli" search --entity=Kiev --topic=diplomacy --order=relevance
echo; echo "\$ newsdesk stories"
"$cli" stories
echo
echo "The services keep running: try build/bin/newsdesk --help. Stop them with: scripts/quickstart.sh stop"
