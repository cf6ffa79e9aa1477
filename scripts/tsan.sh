#!/usr/bin/env bash
# Builds the unit and adapter tests with clang and ThreadSanitizer into
# build-tsan/ and runs every test of the test programs that start threads:
# common_test, ingest_test, query_test, http_test and stories_test (group
# commit, failing disk, checkpoints and backups, the log follower, the call
# limiter, watches, alias edits, and each gRPC adapter over its in-process or
# loopback channel), after tsan_shim_test and tsan_without_shim_test, which
# prove that the build sees what Abseil and gRPC order and still sees races.
# Any data race fails the script. Usage: scripts/tsan.sh [gtest filter]
#
# Debian's Abseil, gRPC and RocksDB are not built with ThreadSanitizer:
# tests/tsan/ (linked into every program of this build, NEWSDESK_TSAN)
# annotates what their synchronisation orders, and tests/tsan/suppressions.txt
# keeps out the memory they manage inside (docs/TESTING.md, "Sanitizers").
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${NEWSDESK_TSAN_BUILD_DIR:-build-tsan}"
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_FLAGS="-fsanitize=thread" -DCMAKE_CXX_FLAGS="-fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DNEWSDESK_TSAN=ON \
  -DNEWSDESK_BUILD_TESTS=ON -DNEWSDESK_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
proofs=(tsan_shim_test tsan_without_shim_test)
tests=(common_test ingest_test query_test http_test stories_test)
ninja -C "$build_dir" -j"${NEWSDESK_BUILD_JOBS:-$(nproc)}" "${proofs[@]}" "${tests[@]}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan/suppressions.txt"
for test in "${proofs[@]}"; do
  echo "== $test"
  "$build_dir/bin/$test" --gtest_brief=1
done
filter="${1:-*}"
for test in "${tests[@]}"; do
  echo "== $test under ThreadSanitizer"
  "$build_dir/bin/$test" --gtest_filter="$filter" --gtest_brief=1
done
