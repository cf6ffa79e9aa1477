#!/usr/bin/env bash
# Generates the Go client of newsdesk.v1 (messages and gRPC stubs) from
# proto/ into OUT_DIR as a GOPATH tree: OUT_DIR/src/<go_package path>.
#   clients/go/generate.sh OUT_DIR
# Needs Debian's protobuf-compiler, protoc-gen-go and protoc-gen-go-grpc.
set -euo pipefail
out_dir="${1:?usage: clients/go/generate.sh OUT_DIR}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "${out_dir}/src"
cd "${repo_root}/proto"
protoc -I . --go_out="${out_dir}/src" --go-grpc_out="${out_dir}/src" \
  $(find newsdesk -name '*.proto' | sort)
