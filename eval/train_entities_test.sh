#!/usr/bin/env bash
# Runs newsdesk-train-entities on a small made-up labelled file and made-up
# unlabelled text (no corpus): the model it writes holds word clusters, a
# second run reuses them with --clusters_from, and bad input gives a clear
# message and a non-zero exit.
#   eval/train_entities_test.sh <path to newsdesk-train-entities>
set -euo pipefail
tool="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

towns=(Brno Tartu Graz Porto Linz Gdansk)
people=(Novak Berg Santos Lind Ivanova Kowalski)
for round in 1 2 3; do
  for i in 0 1 2 3 4 5; do
    printf -- '-DOCSTART- -X- -X- O\n\n'
    printf '%s NNP B-NP B-PER\nsaid VBD B-VP O\nin IN B-PP O\n%s NNP B-NP B-LOC\n. . O O\n\n' \
      "${people[$(( (i + round) % 6 ))]}" "${towns[$i]}"
  done
  mkdir -p "$dir/text/more"
  for i in 0 1 2 3 4 5; do
    echo "${people[$i]} said it rained in ${towns[$(( (i + round) % 6 ))]} today."
    echo
  done >> "$dir/text/news.txt"
done > "$dir/train.conll"
cp "$dir/text/news.txt" "$dir/text/more/copy.txt"

expect() {  # expect <exit code> <text in the output> <command...>
  local want="$1" text="$2" code=0
  shift 2
  "$@" > "$dir/out" 2>&1 || code=$?
  if [ "$code" != "$want" ] || ! grep -q -- "$text" "$dir/out"; then
    echo "FAILED: $* exited $code (want $want), output:" >&2
    cat "$dir/out" >&2
    exit 1
  fi
}

expect 0 "word clusters: 18 words" "$tool" --train="$dir/train.conll" --epochs=2 \
  --out="$dir/clustered.model" --unlabelled="$dir/text" --clusters=4,2 --word_list=
expect 0 "word clusters from $dir/clustered.model: 18 words" "$tool" --train="$dir/train.conll" \
  --epochs=2 --out="$dir/again.model" --clusters_from="$dir/clustered.model" --word_list=
expect 0 "model written" "$tool" --train="$dir/train.conll" --epochs=2 --out="$dir/plain.model" \
  --tag_scheme=iob2 --word_list=
expect 1 "holds no word clusters" "$tool" --train="$dir/train.conll" --out="$dir/x.model" \
  --clusters_from="$dir/plain.model" --word_list=
expect 1 "no unlabelled text at $dir/missing" "$tool" --train="$dir/train.conll" \
  --out="$dir/x.model" --unlabelled="$dir/missing" --word_list=
expect 1 "fewer than the 500 clusters" "$tool" --train="$dir/train.conll" --out="$dir/x.model" \
  --unlabelled="$dir/text" --clusters=500,20 --word_list=
expect 1 "fall from the finest level" "$tool" --train="$dir/train.conll" --out="$dir/x.model" \
  --unlabelled="$dir/text" --clusters=4,8 --word_list=
expect 2 "tag_scheme must be" "$tool" --train="$dir/train.conll" --out="$dir/x.model" \
  --tag_scheme=bio --word_list=
echo "newsdesk-train-entities: all checks passed"
