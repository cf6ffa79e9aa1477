#!/usr/bin/env python3
"""Evaluates newsdesk's topic classification on the research corpora.

  eval/topics_eval.py bbc       top-level accuracy of the shipped classifier
                                on BBC News (all 2,225 articles)
  eval/topics_eval.py agnews    the same on the AG News test split (7,600)
  eval/topics_eval.py reuters   micro-F1 on Reuters-21578 ModApte TEST of a
                                model trained on ModApte TRAIN with
                                `newsdesk-topics train`

The corpora are research-only: they are read in place (default
../shared/corpora beside the repository, or $NEWSDESK_CORPORA), converted into a temporary folder and deleted
afterwards; the trained model is written to that temporary folder too.
Nothing learnt from them is kept. When the corpora are missing the command
says so and exits 0.

BBC News and AG News have no development split, so they are cut in two
fixed halves: --half=dev (BBC files whose number is odd, AG News rows whose
index, counted from 0 in test.csv, is odd) for working on the classifier,
--half=held (the other files and rows) only for reporting, --half=all (the
default) for both. --errors=N prints up to N misclassified items of the dev
half (title and classes); it refuses the other halves.

The mappings from each corpus's classes to IPTC Media Topics below belong to
this evaluation only, never to the product. Needs build/bin/newsdesk-topics
(scripts/build.sh newsdesk-topics).
"""
import argparse
import collections
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# BBC News folder -> Media Topics that stand for it.
BBC_CLASSES = {
    "business": ["medtop:04000000"],        # economy, business and finance
    "entertainment": ["medtop:01000000"],   # arts, culture, entertainment and media
    "politics": ["medtop:11000000"],        # politics and government
    "sport": ["medtop:15000000"],           # sport
    "tech": ["medtop:13000000",             # science and technology
             "medtop:20000225"],            # computing and information technology
}

# AG News class (classes.txt order) -> Media Topics. "World" is the catch-all
# for general news: every top-level topic other than economy, science and
# technology, and sport.
AG_WORLD = ["medtop:%02d000000" % n for n in range(1, 18) if n not in (4, 13, 15)]
AG_CLASSES = {
    "World": AG_WORLD,
    "Sports": ["medtop:15000000"],
    "Business": ["medtop:04000000"],
    "Sci/Tech": ["medtop:13000000", "medtop:20000225"],
}

# Reuters-21578 TOPICS code -> Media Topic.
_AGRICULTURE = ("grain wheat corn barley oat rice sorghum rye oilseed soybean rapeseed "
                "sunseed groundnut linseed castorseed cottonseed copra-cake palmkernel "
                "veg-oil palm-oil soy-oil rape-oil sun-oil coconut-oil cotton-oil "
                "groundnut-oil lin-oil castor-oil corn-oil coconut meal-feed soy-meal "
                "sun-meal rape-meal lin-meal cornglutenfeed citruspulp fishmeal tapioca "
                "sugar coffee cocoa tea cotton orange potato red-bean livestock carcass "
                "hog l-cattle f-cattle pork-belly").split()
_CURRENCIES = ("money-fx dlr yen stg dmk austdlr nzdlr saudriyal dfl rand nkr peseta "
               "ringgit lit rupiah skr dkr cruzado sfr can").split()
_ENERGY = "crude nat-gas gas fuel heat propane naphtha jet pet-chem".split()
_METALS = ("gold silver platinum palladium copper alum zinc tin lead nickel iron-steel "
           "strategic-metal").split()
REUTERS_TOPICS = {
    "earn": "medtop:20000180",           # financial statement
    "acq": "medtop:20000204",            # merger or acquisition
    "trade": "medtop:20000373",          # international trade
    "bop": "medtop:20000375",            # balance of trade
    "interest": "medtop:20000371",       # interest rates
    "money-supply": "medtop:20000379",   # monetary policy
    "reserves": "medtop:20000350",       # central bank
    "ship": "medtop:20000291",           # shipping and postal service
    "gnp": "medtop:20000359",            # gross domestic product
    "cpi": "medtop:20000370",            # inflation
    "wpi": "medtop:20000370",
    "jobs": "medtop:20000365",           # employment statistics
    "ipi": "medtop:20000360",            # industrial production
    "cpu": "medtop:20000360",
    "lei": "medtop:20000346",            # economic trends and indicators
    "income": "medtop:20000346",
    "inventories": "medtop:20000346",
    "retail": "medtop:20000252",         # retail
    "housing": "medtop:20000235",        # construction and property
    "instal-debt": "medtop:20000393",    # loans and lending
    "lumber": "medtop:20000214",         # forestry and timber
    "plywood": "medtop:20000214",
    "rubber": "medtop:20000386",         # commodities market
    "wool": "medtop:20000386",
}
REUTERS_TOPICS.update({c: "medtop:20000210" for c in _AGRICULTURE})    # agriculture
REUTERS_TOPICS.update({c: "medtop:20000391" for c in _CURRENCIES})     # foreign exchange market
REUTERS_TOPICS.update({c: "medtop:20000387" for c in _ENERGY})         # energy market
REUTERS_TOPICS.update({c: "medtop:20000388" for c in _METALS})         # metal


def find_corpora(explicit):
    candidates = [explicit, os.environ.get("NEWSDESK_CORPORA"),
                  os.path.join(REPO, "..", "shared", "corpora")]
    for c in candidates:
        if c and os.path.isdir(c):
            return os.path.abspath(c)
    return None


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "").replace("\n", "\\n")


def write_dataset(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        for labels, content in rows:
            out.write(",".join(labels) + "\t" + escape(content) + "\n")


def tool(build_dir):
    path = os.path.join(build_dir, "bin", "newsdesk-topics")
    if not os.access(path, os.X_OK):
        sys.exit(f"{path} is missing: run scripts/build.sh newsdesk-topics")
    return path


# The data folder newsdesk-topics reads (taxonomy, term table); --data_dir
# sets it to compare another term table.
DATA_DIR = None


def classify(build_dir, dataset, model=None):
    cmd = [tool(build_dir), "classify", f"--input={dataset}"]
    if model:
        cmd.append(f"--model={model}")
    if DATA_DIR:
        cmd.append(f"--data_files_dir={DATA_DIR}")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def topic_labels():
    """qcode -> English label, from the shipped vocabulary."""
    if not _LABELS:
        with open(os.path.join(REPO, "data", "iptc", "mediatopics.tsv"), encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 4:
                    _LABELS[cols[0]] = cols[4]
    return _LABELS


_LABELS = {}


def in_half(number, half):
    """Whether item `number` (a BBC file number, an AG News row index) is in
    the half: dev the odd ones, held the even ones, all every one."""
    return half == "all" or (number % 2 == 1) == (half == "dev")


def top_level_accuracy(name, rows, classes, build_dir, workdir, errors=0):
    """rows: (class name, content). Prints and returns accuracy; prints up
    to `errors` misclassified items."""
    dataset = os.path.join(workdir, f"{name}.tsv")
    write_dataset(dataset, [([], content) for _, content in rows])
    results = classify(build_dir, dataset)
    code_class = {code: cls for cls, codes in classes.items() for code in codes}
    correct = 0
    confusion = collections.Counter()
    for (truth, content), result in zip(rows, results):
        # The class of the best-scored topic that stands for a class; a
        # deeper (more specific) code wins a tie with its ancestor.
        best = None
        for rank, topic in enumerate(result["topics"]):
            cls = code_class.get(topic["code"])
            if cls is None:
                continue
            key = (topic["score"], not topic["implied"], -rank)
            if best is None or key > best[0]:
                best = (key, cls)
        predicted = best[1] if best else "(no topic)"
        confusion[(truth, predicted)] += 1
        correct += predicted == truth
        if predicted != truth and errors > 0:
            errors -= 1
            title = content.strip().split("\n")[0][:100]
            best_topics = ", ".join(f"{topic_labels().get(t['code'], t['code'])} "
                                    f"{t['score']:.2f}"
                                    for t in result["topics"] if not t["implied"])
            print(f"  error: {truth} -> {predicted}: {title} [{best_topics}] "
                  f"{' '.join(result.get('entities', []))}")
    total = len(rows)
    print(f"{name}: top-level accuracy {correct / total:.4f} ({correct}/{total})")
    labels = list(classes) + ["(no topic)"]
    print("confusion (rows: truth, columns: predicted):")
    print("  " + " ".join(f"{l[:10]:>10}" for l in labels))
    for truth in classes:
        print(f"  {truth[:12]:<12}" + " ".join(f"{confusion[(truth, p)]:>10}" for p in labels))
    return correct / total


def read_text(path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def run_bbc(corpora, build_dir, workdir, half, errors):
    root = os.path.join(corpora, "bbc_news", "original", "bbc")
    rows = []
    for cls in sorted(BBC_CLASSES):
        folder = os.path.join(root, cls)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt") and in_half(int(name[:-4]), half):
                rows.append((cls, read_text(os.path.join(folder, name))))
    return top_level_accuracy(f"BBC News ({half})", rows, BBC_CLASSES, build_dir, workdir,
                              errors)


def ag_clean(text):
    """Undoes AG News's encoding: a backslash for a line break, "#39;" for
    "&#39;", HTML entities and the odd link tag."""
    text = text.replace("\\", " ")
    text = re.sub(r" #39;", "&#39;", text)
    text = re.sub(r"(?<!&)#(\d+);", r"&#\1;", text)
    text = html.unescape(text)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def run_agnews(corpora, build_dir, workdir, half, errors):
    root = os.path.join(corpora, "ag_news", "original")
    names = [l.strip() for l in open(os.path.join(root, "classes.txt")) if l.strip()]
    rows = []
    with open(os.path.join(root, "test.csv"), newline="", encoding="utf-8") as f:
        for index, (cls, title, description) in enumerate(csv.reader(f)):
            if in_half(index, half):
                rows.append((names[int(cls) - 1],
                             f"{ag_clean(title)}\n\n{ag_clean(description)}"))
    return top_level_accuracy(f"AG News test ({half})", rows, AG_CLASSES, build_dir, workdir,
                              errors)


def run_reuters(corpora, build_dir, workdir, half, errors):
    del half, errors  # Reuters has its own TRAIN and TEST splits.
    path = os.path.join(corpora, "reuters21578", "reuters21578.jsonl")
    train, test = [], []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        codes = sorted({REUTERS_TOPICS[t] for t in d["topics"] if t in REUTERS_TOPICS})
        if not codes or d["lewissplit"] not in ("TRAIN", "TEST"):
            continue
        content = (d.get("title") or "") + "\n\n" + (d.get("body") or "")
        if not content.strip():
            continue
        (train if d["lewissplit"] == "TRAIN" else test).append((codes, content))
    train_path = os.path.join(workdir, "reuters-train.tsv")
    test_path = os.path.join(workdir, "reuters-test.tsv")
    model = os.path.join(workdir, "reuters-model.txt")
    write_dataset(train_path, train)
    write_dataset(test_path, [([], content) for _, content in test])
    subprocess.run([tool(build_dir), "train", f"--input={train_path}", f"--output={model}"],
                   check=True)
    results = classify(build_dir, test_path, model)
    tp = fp = fn = 0
    for (truth, _), result in zip(test, results):
        predicted = {t["code"] for t in result["topics"] if not t["implied"]}
        truth = set(truth)
        tp += len(predicted & truth)
        fp += len(predicted - truth)
        fn += len(truth - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"Reuters-21578 ModApte: trained on {len(train)} TRAIN articles, tested on "
          f"{len(test)} TEST articles, {len(set(REUTERS_TOPICS.values()))} Media Topics")
    print(f"micro precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    return f1


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", choices=["bbc", "agnews", "reuters", "all"])
    parser.add_argument("--corpora", help="folder holding bbc_news/, ag_news/, reuters21578/")
    parser.add_argument("--build_dir", default=os.path.join(REPO, "build"))
    parser.add_argument("--half", choices=["dev", "held", "all"], default="all",
                        help="BBC News and AG News: the development half (odd file numbers "
                             "and row indices), the held-out half, or all")
    parser.add_argument("--errors", type=int, default=0,
                        help="print up to this many misclassified items (dev half only)")
    parser.add_argument("--data_dir", help="data folder to classify with (default the "
                                           "repository's data/)")
    args = parser.parse_args()
    global DATA_DIR
    DATA_DIR = args.data_dir
    if args.errors and args.half != "dev":
        parser.error("--errors looks at the development half only (--half=dev)")
    corpora = find_corpora(args.corpora)
    if corpora is None:
        print("topics_eval: no corpora folder found (../shared/corpora beside the repository "
              "or $NEWSDESK_CORPORA); skipping")
        return 0
    runs = {"bbc": run_bbc, "agnews": run_agnews, "reuters": run_reuters}
    chosen = list(runs) if args.corpus == "all" else [args.corpus]
    workdir = tempfile.mkdtemp(prefix="newsdesk-topics-eval-")
    try:
        for name in chosen:
            runs[name](corpora, args.build_dir, workdir, args.half, args.errors)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
