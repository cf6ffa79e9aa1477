#!/usr/bin/env bash
# Builds newsdesk-parse-eval and runs it on Reuters-21578's TEST split.
# The corpus folder is NEWSDESK_CORPORA/reuters21578 (NEWSDESK_CORPORA
# defaults to ../shared/corpora next to the repository); when it is missing
# the evaluation is skipped and the script exits 0. Extra arguments go to the
# program (e.g. --show_failures=20).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${NEWSDESK_CORPORA:-../shared/corpora}"
if [ ! -d "$corpora/reuters21578" ]; then
  echo "Reuters-21578 not found at $corpora/reuters21578: evaluation skipped."
  exit 0
fi
scripts/build.sh newsdesk-parse-eval >/dev/null
"${NEWSDESK_BUILD_DIR:-build}"/bin/newsdesk-parse-eval --corpus="$corpora/reuters21578" "$@"
