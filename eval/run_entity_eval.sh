#!/usr/bin/env bash
# Scores the entity extractors on the research corpora, which stay where they
# are (NEWSDESK_CORPORA, default ../shared/corpora beside the repository) and
# are never copied into it. Prints:
#  1. CoNLL-2003 eng.testb exact-span P/R/F1 of the shipped rule-based extractor;
#  2. the perceptron model trained on eng.train (epochs chosen on eng.testa),
#     with word clusters learned from the unlabelled text in place (Reuters-21578,
#     AG News, BBC and eng.train's tokens; never eng.testa or eng.testb),
#     written to a temporary folder (NEWSDESK_EVAL_DIR to keep it), scored on
#     eng.testb; NEWSDESK_EVAL_CLUSTERS_FROM=<model> reuses an earlier model's
#     clusters instead of learning them again;
#  3. Reuters-21578 TEST-split recall of PEOPLE and PLACES labels, for both.
# Skips (exit 0) whatever corpus is missing. Needs the build: scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${NEWSDESK_CORPORA:-$PWD/../shared/corpora}"
bin="${NEWSDESK_BUILD_DIR:-build}/bin"
epochs="${NEWSDESK_EVAL_EPOCHS:-20}"
out="${NEWSDESK_EVAL_DIR:-$(mktemp -d)}"
mkdir -p "$out"

if [ ! -d "$corpora" ]; then
  echo "skipped: no corpora at $corpora (set NEWSDESK_CORPORA)"
  exit 0
fi
for tool in newsdesk-eval-conll newsdesk-train-entities newsdesk-extract-tsv; do
  if [ ! -x "$bin/$tool" ]; then
    echo "missing $bin/$tool: run scripts/build.sh first" >&2
    exit 1
  fi
done

conll="$corpora/conll2003/original"
model=""
if [ -f "$conll/eng.train" ] && [ -f "$conll/eng.testa" ] && [ -f "$conll/eng.testb" ]; then
  echo "== CoNLL-2003 eng.testb, rule-based extractor as shipped"
  "$bin/newsdesk-eval-conll" --conll="$conll/eng.testb" 2>/dev/null
  echo
  echo "== CoNLL-2003: perceptron trained on eng.train, $epochs epochs, scored on eng.testa each epoch"
  model="$out/conll2003.model"
  if [ -n "${NEWSDESK_EVAL_CLUSTERS_FROM:-}" ]; then
    clusters=(--clusters_from="$NEWSDESK_EVAL_CLUSTERS_FROM")
  else
    python3 eval/unlabelled_text.py --corpora="$corpora" --out="$out/unlabelled"
    clusters=(--unlabelled="$out/unlabelled")
  fi
  "$bin/newsdesk-train-entities" --train="$conll/eng.train" --dev="$conll/eng.testa" \
    --epochs="$epochs" --out="$model" --test="$conll/eng.testb" "${clusters[@]}" 2>/dev/null
  echo
else
  echo "skipped CoNLL-2003: no eng.train, eng.testa and eng.testb in $conll"
fi

reuters="$corpora/reuters21578/reuters21578.jsonl"
if [ -f "$reuters" ]; then
  echo "== Reuters-21578 PEOPLE and PLACES recall"
  python3 eval/reuters_recall.py --corpus="$reuters" --extract="$bin/newsdesk-extract-tsv"
  if [ -n "$model" ]; then
    python3 eval/reuters_recall.py --corpus="$reuters" --extract="$bin/newsdesk-extract-tsv" \
      --entity_model="$model"
  fi
else
  echo "skipped Reuters-21578: $reuters not found"
fi
