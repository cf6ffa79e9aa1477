#!/usr/bin/env bash
# Configures and builds newsdesk into build/ (programs in build/bin).
# Usage: scripts/build.sh [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"${NEWSDESK_BUILD_JOBS:-$(nproc)}" "$@"
