#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: unit,
# adapter and integration tests (C++), the HTTP side (REST, metrics, request
# ids) and reflection session, the clients of every language against the real
# services, buf lint, buf breaking and the API reference check; then a short
# run of each parser fuzzer (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
start=$(date +%s)
scripts/build.sh
echo "build: $(( $(date +%s) - start )) s"
start=$(date +%s)
cd "${NEWSDESK_BUILD_DIR:-build}"
ctest --output-on-failure -j"${NEWSDESK_TEST_JOBS:-2}"
echo "tests: $(( $(date +%s) - start )) s"
# A short run of each parser fuzzer (clang, ASan, UBSan) in build-fuzz/.
cd - >/dev/null
start=$(date +%s)
scripts/fuzz.sh "${NEWSDESK_FUZZ_SECONDS:-20}"
echo "fuzzing: $(( $(date +%s) - start )) s"
