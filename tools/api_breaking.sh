#!/usr/bin/env bash
# Checks the newsdesk.v1 API against the last released one with `buf
# breaking` (FILE rules, proto/buf.yaml): the released API is the descriptor
# set committed in proto/released/newsdesk_v1.binpb. Exits non-zero on any
# incompatible change (a removed or renumbered field, a changed type, a
# removed RPC, ...). Adding fields, messages and RPCs is compatible.
#
#   tools/api_breaking.sh             check proto/ against the released API
#   tools/api_breaking.sh --self-test also check that a breaking change (a
#                                     field removed from a copy of proto/) is
#                                     caught, so the check cannot pass vacuously
#   tools/api_breaking.sh --release   record proto/ as the released API (run
#                                     when a release is cut; commit the file)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
buf="${repo_root}/tools/node_modules/.bin/buf"
released="${repo_root}/proto/released/newsdesk_v1.binpb"
if [[ ! -x "${buf}" ]]; then
  echo "api_breaking: installing buf into tools/node_modules" >&2
  npm install --prefix "${repo_root}/tools" --no-save --no-audit --no-fund >&2
fi
cd "${repo_root}"

case "${1:-}" in
  --release)
    "${buf}" build proto --exclude-source-info -o "${released}"
    echo "api_breaking: proto/ recorded as the released API in ${released#"${repo_root}"/}" >&2
    exit 0
    ;;
  --self-test)
    work="$(mktemp -d -t newsdesk-breaking-XXXXXX)"
    trap 'rm -rf "${work}"' EXIT
    cp -r proto "${work}/proto"
    # Remove the first field of RawArticle: a breaking change.
    sed -i '0,/^  bytes content = 1;$/{/^  bytes content = 1;$/d}' \
      "${work}/proto/newsdesk/v1/ingest_service.proto"
    if "${buf}" breaking "${work}/proto" --against "${released}" >"${work}/out" 2>&1; then
      echo "api_breaking: FAILED: removing RawArticle.content was not reported" >&2
      exit 1
    fi
    echo "api_breaking: a removed field is reported: $(head -n1 "${work}/out")" >&2
    ;;
  "") ;;
  *) echo "usage: tools/api_breaking.sh [--self-test|--release]" >&2; exit 2 ;;
esac

if ! "${buf}" breaking proto --against "${released}"; then
  echo "api_breaking: FAILED: proto/ breaks the released newsdesk.v1 API (above)." >&2
  echo "Make the change compatible (add, don't remove or renumber), or plan newsdesk.v2." >&2
  exit 1
fi
echo "api_breaking: OK (compatible with the released API)" >&2
