#!/usr/bin/env bash
# Builds the unit and adapter test binaries with clang and ThreadSanitizer
# into build-tsan/ and runs their concurrency tests: group commit, the
# store's commit thread under disk errors and checkpoints, the log follower,
# the call limiter, and the log service's streams, limits and stall watcher.
# Any data race fails the script. Usage: scripts/tsan.sh [gtest filter]
#
# Limitation: Debian's Abseil is built without ThreadSanitizer, so the
# hand-over that absl::Mutex makes between threads is invisible to it, and
# every access guarded by one is reported as a race (the first report is in
# RocksDbArticleStore's commit queue, which an absl::Mutex guards). The
# script gives useful answers only with an Abseil built with
# -fsanitize=thread, which Debian does not ship.
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
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
  -DNEWSDESK_BUILD_TESTS=ON -DNEWSDESK_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
ninja -C "$build_dir" -j"${NEWSDESK_BUILD_JOBS:-$(nproc)}" common_test ingest_test query_test http_test
filter="${1:-*Concurrent*:*Limit*:*Subscri*:*Follower*:*FailingDisk*:*Checkpoint*:*WaitForSequence*:*CallLimiter*:*Watch*:*AliasEditor*:*RestGateway*}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
for test in common_test ingest_test query_test http_test; do
  echo "== $test under ThreadSanitizer"
  "$build_dir/bin/$test" --gtest_filter="$filter" --gtest_brief=1
done
