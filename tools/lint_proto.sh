#!/usr/bin/env bash
# Lints the newsdesk.v1 API with buf (STANDARD rules, proto/buf.yaml) and
# checks that the protos are buf-formatted. Exits non-zero on any finding.
#
# buf comes from the npm registry, pinned in tools/package.json and
# tools/package-lock.json; it is installed into tools/node_modules on first
# use, so a fresh clone needs only node and npm. (`npm install --no-save`, not
# `npm ci`: the registry mirror reachable here serves only the Linux builds of
# buf, so the lock file lists only those and `npm ci` rejects it as out of
# sync. --no-save leaves the lock file untouched.)
#
# Usage: tools/lint_proto.sh        (from anywhere; works on the repo root)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
buf="${repo_root}/tools/node_modules/.bin/buf"

if [[ ! -x "${buf}" ]]; then
  echo "lint_proto: installing buf into tools/node_modules" >&2
  npm install --prefix "${repo_root}/tools" --no-save --no-audit --no-fund >&2
fi

cd "${repo_root}"
echo "lint_proto: $("${buf}" --version 2>&1 | head -n1 | sed 's/^/buf /')" >&2

status=0
"${buf}" lint proto || status=$?
# --exit-code makes `buf format` fail when a file is not formatted.
"${buf}" format proto --diff --exit-code || status=$?

if [[ ${status} -ne 0 ]]; then
  echo "lint_proto: FAILED (fix the findings above; 'tools/node_modules/.bin/buf format -w proto' fixes formatting)" >&2
  exit "${status}"
fi
echo "lint_proto: OK" >&2
