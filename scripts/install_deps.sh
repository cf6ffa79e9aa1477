#!/usr/bin/env bash
# Installs what building, running and testing newsdesk needs, from Debian's
# archive (and npm for buf, via tools/, and for the Node.js client, via
# clients/node/). Installs only what is missing; uses
# sudo when not root. `--with-postgres` (or NEWSDESK_INSTALL_POSTGRES=1) also
# installs PostgreSQL, which only bench/run_scale_bench.sh uses (it skips
# PostgreSQL when it is absent).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  librocksdb-dev libgoogle-glog-dev libgumbo-dev libssl-dev libicu-dev
  clang-14 libclang-rt-14-dev
  iso-codes wamerican
  # WordNet 3.0: the rule-based entity extractor reads it at run time, and
  # data/topics/wordnet_terms.py regenerates (ctest checks) the WordNet
  # section of the topic term table from it.
  wordnet-base
  nats-server libnats-dev
  yamllint docker-compose python3-yaml
  python3 python3-grpcio python3-protobuf
  # Metrics and the HTTP/HTTPS endpoint (REST door); curl for its README
  # examples and tests.
  prometheus-cpp-dev libcpp-httplib-dev curl
  # google/rpc/{status,error_details}.proto (error details), compiled in the
  # build from this package's jar; health and reflection protos for
  # tools/grpc_reflect.py.
  libgoogle-common-protos-java grpc-proto
  # Generated clients and their tests (clients/): Go, Java (no Maven).
  golang-go golang-google-grpc-dev golang-google-protobuf-dev
  golang-github-golang-protobuf-1-5-dev golang-google-genproto-dev protoc-gen-go
  protoc-gen-go-grpc
  openjdk-17-jdk-headless libgrpc-java protobuf-compiler-grpc-java-plugin
  libprotobuf-java libnetty-java libperfmark-java libgoogle-gson-java
  libgeronimo-annotation-1.3-spec-java
  # The scale bench's PostgreSQL client (bench/pg_client).
  libpq-dev
  # The query service's allocator (NEWSDESK_JEMALLOC in CMakeLists.txt).
  libjemalloc-dev
  # TLS and authentication: libssl-dev (above) for SHA-256 and HTTPS; the
  # openssl command makes the test certificates at test time.
  openssl
)
if [ "${1:-}" = "--with-postgres" ] || [ -n "${NEWSDESK_INSTALL_POSTGRES:-}" ]; then
  # Optional: the server the scale bench compares newsdesk with.
  packages+=(postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm run buf (tools/package.json); a machine may already have
# them from elsewhere than Debian.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

# kubectl renders the Kubernetes manifests (kubectl kustomize) in
# deploy/check.sh; Debian's is in kubernetes-client, unless one is installed.
if ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
