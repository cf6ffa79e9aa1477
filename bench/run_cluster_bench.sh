#!/usr/bin/env bash
# Like run_pipeline_bench.sh, with the JetStream log: starts nats-server
# processes on free loopback ports (3 by default, a cluster holding the
# stream with three replicas; NEWSDESK_BENCH_NATS_SERVERS=1 for one server
# and one replica), one ingest and one query replica with
# --log_backend=jetstream, runs newsdesk-bench against them and stops
# everything. Extra arguments go to newsdesk-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
servers=${NEWSDESK_BENCH_NATS_SERVERS:-3}
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$nats" ] || { echo "nats-server is not installed (scripts/install_deps.sh)"; exit 1; }
scripts/build.sh newsdesk-ingest newsdesk-query newsdesk-bench >/dev/null
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() {
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "port $1 never opened"; return 1
}

client_ports=(); cluster_ports=()
for i in $(seq 0 $((servers - 1))); do client_ports+=("$(free_port)"); cluster_ports+=("$(free_port)"); done
urls=$(for p in "${client_ports[@]}"; do printf 'nats://127.0.0.1:%s,' "$p"; done)
urls=${urls%,}
for i in $(seq 0 $((servers - 1))); do
  args=(--jetstream --store_dir "$work/nats-$i" --addr 127.0.0.1 --port "${client_ports[$i]}"
        --server_name "n$i")
  if [ "$servers" -gt 1 ]; then
    routes=$(for j in $(seq 0 $((servers - 1))); do
      if [ "$j" -ne "$i" ]; then printf 'nats://127.0.0.1:%s,' "${cluster_ports[$j]}"; fi
    done)
    args+=(--cluster_name bench --cluster "nats://127.0.0.1:${cluster_ports[$i]}"
           --routes "${routes%,}")
  fi
  "$nats" "${args[@]}" 2>"$work/nats-$i.log" & echo $! >"$work/nats-$i.pid"
done
for p in "${client_ports[@]}"; do wait_port "$p"; done

# The first start creates the stream, which waits for the cluster's leader.
for attempt in $(seq 1 30); do
  build/bin/newsdesk-ingest --dev_mode_no_auth --listen=127.0.0.1:0 --log_backend=jetstream --nats_servers="$urls" \
    --jetstream_replicas="$servers" --port_file="$work/ingest.port" 2>>"$work/ingest.log" &
  echo $! >"$work/ingest.pid"
  for _ in $(seq 1 100); do
    [ -f "$work/ingest.port" ] && break
    kill -0 "$(cat "$work/ingest.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [ -f "$work/ingest.port" ] && break
  sleep 1
done
[ -f "$work/ingest.port" ] || { echo "ingest did not start:"; tail "$work/ingest.log"; exit 1; }
build/bin/newsdesk-query --dev_mode_no_auth --listen=127.0.0.1:0 --log_backend=jetstream --nats_servers="$urls" \
  --data_dir="$work/query" --port_file="$work/query.port" 2>"$work/query.log" &
echo $! >"$work/query.pid"
for _ in $(seq 1 100); do [ -f "$work/query.port" ] && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print $2/1048576 " GiB"}'); $(date -u +%F)"
echo "log: JetStream, $servers nats-server process(es) on loopback, stream replicas $servers"
build/bin/newsdesk-bench --ingest=127.0.0.1:"$(cat "$work/ingest.port")" \
  --query=127.0.0.1:"$(cat "$work/query.port")" --seeds=data/seeds "$@"
