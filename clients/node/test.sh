#!/usr/bin/env bash
# The Node.js client's test: generates the TypeScript types from proto/ into
# a temporary folder, type-checks and compiles the example with tsc and runs
# it against the real services.
#   clients/node/test.sh        (ctest: node_client_test)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
work="$(mktemp -d -t newsdesk-node-XXXXXX)"
trap 'rm -rf "${work}"' EXIT
"${here}/generate.sh" "${work}/types"
cp "${here}/example.ts" "${here}/tsconfig.json" "${work}/"
ln -s "${here}/node_modules" "${work}/node_modules"
"${here}/node_modules/.bin/tsc" -p "${work}"
cd "${repo_root}"
NEWSDESK_PROTO_DIR="${repo_root}/proto" /usr/bin/python3 \
  "${repo_root}/clients/testing/run_example.py" \
  --expect "all three queries found the ingested article" -- \
  node "${work}/dist/example.js"
