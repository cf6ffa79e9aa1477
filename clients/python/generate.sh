#!/usr/bin/env bash
# Generates the Python protobuf and gRPC stubs of the newsdesk.v1 API (and of
# grpc.health.v1) into OUT_DIR, default clients/python/gen (git-ignored).
#
# Uses the system protoc and Debian's grpc_python_plugin, not grpc_tools:
# Debian's grpc_tools bundles protoc 3.5, older than the python3-protobuf
# runtime. The stubs run with /usr/bin/python3 (python3-grpcio and
# python3-protobuf are visible only to it, not to a pyenv python3 on PATH).
#
# Usage: clients/python/generate.sh [OUT_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
out_dir="${1:-${here}/gen}"

protoc="${PROTOC:-/usr/bin/protoc}"
grpc_plugin="${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}"
python="${NEWSDESK_PYTHON:-/usr/bin/python3}"
health_proto=/usr/share/grpc-proto/grpc/health/v1/health.proto
apt_packages=(protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf grpc-proto)

have_tools() {
  [[ -x "${protoc}" && -x "${grpc_plugin}" && -x "${python}" && -f "${health_proto}" ]] &&
    "${python}" -c 'import grpc, google.protobuf' 2>/dev/null
}

if ! have_tools; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "generate.sh: installing ${apt_packages[*]}" >&2
    apt-get install -y -q "${apt_packages[@]}" >&2 ||
      { apt-get update -q >&2 && apt-get install -y -q "${apt_packages[@]}" >&2; }
  fi
  if ! have_tools; then
    echo "generate.sh: need ${protoc}, ${grpc_plugin} and ${python} with grpc and" \
      "protobuf; install: apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
fi

mkdir -p "${out_dir}"
out_dir="$(cd "${out_dir}" && pwd)"
# grpc.health.v1 from Debian's grpc-proto, compiled as grpc_health/v1/ so its
# Python module names are those of the grpcio-health-checking package (which
# Debian lacks) and do not shadow the `grpc` package.
health_root="$(mktemp -d)"
trap 'rm -rf "${health_root}"' EXIT
mkdir -p "${health_root}/grpc_health/v1"
cp "${health_proto}" "${health_root}/grpc_health/v1/health.proto"
cd "${repo_root}"
for import_root in proto "${health_root}"; do
  mapfile -t protos < <(cd "${import_root}" && find . -name '*.proto' -printf '%P\n' | sort)
  (
    cd "${import_root}"
    "${protoc}" -I . \
      --python_out="${out_dir}" --pyi_out="${out_dir}" \
      --grpc_python_out="${out_dir}" \
      --plugin=protoc-gen-grpc_python="${grpc_plugin}" \
      "${protos[@]}"
  )
done
echo "generate.sh: Python stubs written to ${out_dir}" >&2
