#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/: the parsers (text, HTML, date
# expressions) and the requests of every RPC handler (ingest and query
# adapters in process), and runs each for SECONDS (default 20) from a fresh
# corpus seeded with data/seeds, fuzz/corpus and serialized sample requests
# (fuzz/make_request_corpus.py). Any crash, leak or undefined behaviour fails
# the script. A long run: scripts/fuzz.sh 600.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
build_dir="${NEWSDESK_FUZZ_BUILD_DIR:-build-fuzz}"
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
sanitizers="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_FLAGS="$sanitizers" -DCMAKE_CXX_FLAGS="$sanitizers" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DNEWSDESK_BUILD_TESTS=OFF -DNEWSDESK_BUILD_BENCH=OFF -DNEWSDESK_BUILD_FUZZERS=ON \
  "${launcher[@]}" >/dev/null
targets=(text_parser_fuzzer html_parser_fuzzer date_expression_fuzzer ingest_request_fuzzer
  query_request_fuzzer)
ninja -C "$build_dir" -j"${NEWSDESK_BUILD_JOBS:-$(nproc)}" "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for target in "${targets[@]}"; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  case "$target" in
    ingest_request_fuzzer) python3 fuzz/make_request_corpus.py data/seeds "$corpus" "$work/unused" ;;
    query_request_fuzzer) python3 fuzz/make_request_corpus.py data/seeds "$work/unused" "$corpus" ;;
    *) cp data/seeds/* "$corpus"/ ;;
  esac
  case "$target" in
    text_parser_fuzzer) cp fuzz/corpus/text/* "$corpus"/ ;;
    html_parser_fuzzer) cp fuzz/corpus/html/* "$corpus"/ ;;
    date_expression_fuzzer) cp fuzz/corpus/dates/* "$corpus"/ ;;
  esac
  echo "fuzzing $target for ${seconds}s"
  "$build_dir/bin/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" "$corpus" \
    >"$work/$target.log" 2>&1 || {
    tail -60 "$work/$target.log"
    mkdir -p fuzz-artifacts && cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* fuzz-artifacts/ 2>/dev/null || true
    echo "$target failed; inputs saved in fuzz-artifacts/"
    exit 1
  }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | sed "s/^/  /"
done
