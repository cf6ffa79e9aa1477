#!/usr/bin/env bash
# What the topic term table costs: CPU seconds (user + sys) of
# `newsdesk-topics classify` (parse, entities, topics, key phrases: the ingest
# pipeline without the store) over 1,000 copies of the seed articles, with
# the term table of git revision REV and with the current one, alternating,
# RUNS runs each; prints every run and the medians. OLD_BINARY, optional, is
# a newsdesk-topics built from REV, to run the old table with the old
# classifier too (otherwise both run with build/bin/newsdesk-topics).
#   bench/run_topic_cost_bench.sh REV [RUNS] [OLD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:?usage: bench/run_topic_cost_bench.sh REV [RUNS] [OLD_BINARY]}"
runs="${2:-5}"
old_binary="${3:-build/bin/newsdesk-topics}"
scripts/build.sh newsdesk-topics >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for table in old new; do
  mkdir -p "$work/$table/topics"
  ln -s "$PWD/data/iptc" "$work/$table/iptc"
  ln -s "$PWD/data/entities" "$work/$table/entities"
done
git show "$rev:data/topics/topic_terms.tsv" >"$work/old/topics/topic_terms.tsv"
cp data/topics/topic_terms.tsv "$work/new/topics/topic_terms.tsv"
python3 - "$work/articles.tsv" <<'PY'
import os, sys
seeds = sorted(os.listdir("data/seeds"))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for copy in range(200):
        for name in seeds:
            with open(os.path.join("data/seeds", name), encoding="utf-8") as f:
                text = f.read() + "\n\nCopy %d." % copy
            escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            out.write("medtop:16000000\t" + escaped + "\n")
PY
echo "machine: $(nproc) cores; $(date -u +%F); old table: $rev ($(wc -l <"$work/old/topics/topic_terms.tsv") lines, run by $old_binary), new: $(wc -l <data/topics/topic_terms.tsv) lines"
for i in $(seq 1 "$runs"); do
  for table in old new; do
    binary=build/bin/newsdesk-topics
    [ "$table" = old ] && binary="$old_binary"
    /usr/bin/time -f "%U %S" -o "$work/time" "$binary" classify \
      --input="$work/articles.tsv" --data_files_dir="$work/$table" >/dev/null 2>"$work/log"
    awk -v t="$table" '{printf "%s %.2f\n", t, $1 + $2}' "$work/time" | tee -a "$work/cpu"
  done
done
for table in old new; do
  grep "^$table " "$work/cpu" | awk '{print $2}' | sort -n |
    awk -v t="$table" '{v[NR]=$1} END {printf "median CPU, %s table: %.2f s for 1,000 articles\n", t, v[int((NR+1)/2)]}'
done
