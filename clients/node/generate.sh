#!/usr/bin/env bash
# Generates the TypeScript types of newsdesk.v1 from proto/ into OUT_DIR
# (@grpc/proto-loader's proto-loader-gen-types). At run time @grpc/grpc-js
# and @grpc/proto-loader load the .proto files themselves; the types make
# calls and messages type-checked.
#   clients/node/generate.sh OUT_DIR
# Installs clients/node/node_modules from package-lock.json when missing.
set -euo pipefail
out_dir="${1:?usage: clients/node/generate.sh OUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
if [[ ! -x "${here}/node_modules/.bin/proto-loader-gen-types" ]]; then
  echo "generate.sh: installing clients/node/node_modules" >&2
  npm install --prefix "${here}" --no-save --no-audit --no-fund >&2
fi
mkdir -p "${out_dir}"
cd "${repo_root}/proto"
mapfile -t protos < <(find newsdesk -name '*service.proto' | sort)
"${here}/node_modules/.bin/proto-loader-gen-types" "${protos[@]}" \
  --grpcLib=@grpc/grpc-js --outDir="${out_dir}" --longs=String --enums=String \
  --defaults --oneofs --includeComments -I . /usr/include >/dev/null
