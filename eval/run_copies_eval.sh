#!/usr/bin/env bash
# Builds newsdesk-copies-eval and runs it on Reuters-21578: precision and
# recall of near-duplicate links on edited copies mixed with the unchanged
# corpus. The corpus folder is NEWSDESK_CORPORA/reuters21578 (NEWSDESK_CORPORA
# defaults to ../shared/corpora next to the repository); when it is missing
# the evaluation is skipped and the script exits 0. Extra arguments go to the
# program (e.g. --show_errors=20).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${NEWSDESK_CORPORA:-../shared/corpora}"
if [ ! -d "$corpora/reuters21578" ]; then
  echo "Reuters-21578 not found at $corpora/reuters21578: evaluation skipped."
  exit 0
fi
scripts/build.sh newsdesk-copies-eval >/dev/null
"${NEWSDESK_BUILD_DIR:-build}"/bin/newsdesk-copies-eval --corpus="$corpora/reuters21578" "$@"
