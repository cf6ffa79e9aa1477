#!/usr/bin/env bash
# Generates the Java client of newsdesk.v1 (messages and gRPC stubs, package
# io.newsdesk.v1) from proto/ into OUT_DIR as Java sources.
#   clients/java/generate.sh OUT_DIR
# Needs Debian's protobuf-compiler and protobuf-compiler-grpc-java-plugin.
set -euo pipefail
out_dir="${1:?usage: clients/java/generate.sh OUT_DIR}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "${out_dir}"
cd "${repo_root}/proto"
protoc -I . --java_out="${out_dir}" --grpc-java_out="${out_dir}" \
  --plugin=protoc-gen-grpc-java=/usr/bin/grpc_java_plugin \
  $(find newsdesk -name '*.proto' | sort)
