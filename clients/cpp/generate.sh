#!/usr/bin/env bash
# Generates the C++ client of newsdesk.v1 (messages and gRPC stubs) from
# proto/ into OUT_DIR, for services built outside this repository. (This
# repository's own build generates the same code into build/proto/gen.)
#   clients/cpp/generate.sh OUT_DIR
# Needs Debian's protobuf-compiler and protobuf-compiler-grpc.
set -euo pipefail
out_dir="${1:?usage: clients/cpp/generate.sh OUT_DIR}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "${out_dir}"
cd "${repo_root}/proto"
protoc -I . --cpp_out="${out_dir}" --grpc_out="${out_dir}" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin \
  $(find newsdesk -name '*.proto' | sort)
