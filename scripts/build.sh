#!/usr/bin/env bash
# Configures and builds newsdesk into build/ (programs in build/bin).
# Usage: scripts/build.sh [ninja targets...]
# NEWSDESK_BUILD_DIR picks another build folder; ccache is used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${NEWSDESK_BUILD_DIR:-build}"
launcher=()
if command -v ccache >/dev/null; then
  # Paths relative to the checkout, and the compiler's working directory
  # left out of the hash (debug builds hash it by default), so clones and
  # worktrees in other folders share the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
ninja -C "$build_dir" -j"${NEWSDESK_BUILD_JOBS:-$(nproc)}" "$@"
