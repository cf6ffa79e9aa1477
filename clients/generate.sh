#!/usr/bin/env bash
# Regenerates every client of the newsdesk.v1 API from proto/ into
# OUT_DIR/<language>: python, go, java, node (TypeScript types) and cpp.
#   clients/generate.sh [OUT_DIR] [LANGUAGE...]     (OUT_DIR default build/clients)
# Generated code is never committed: each client's test generates it afresh
# from proto/, so it cannot go stale.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-${repo_root}/build/clients}"
shift || true
languages=("$@")
if [[ ${#languages[@]} -eq 0 ]]; then languages=(python go java node cpp); fi
for language in "${languages[@]}"; do
  script="${repo_root}/clients/${language}/generate.sh"
  [[ -x "${script}" ]] || { echo "generate.sh: no client for '${language}'" >&2; exit 1; }
  rm -rf "${out_dir:?}/${language}"
  "${script}" "${out_dir}/${language}"
  echo "generate.sh: ${language} client in ${out_dir}/${language}" >&2
done
