#!/usr/bin/env python3
"""Checks eval/topics_eval.py's halves on a tiny corpus made here (no real
corpus is read): --half=dev takes the BBC files with an odd number and the
AG News rows with an odd index, --half=held the others, --half=all both, and
--errors is refused outside the development half.

  eval/topics_eval_test.py BUILD_DIR   (BUILD_DIR/bin/newsdesk-topics)
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "topics_eval.py")

TEXTS = {
    "business": "Shares rise after profit beats forecasts\n\nThe company said quarterly "
                "profit rose and investors bought its shares.",
    "entertainment": "Actress wins award for new film\n\nThe film premiere drew actors "
                     "and directors to the festival.",
    "politics": "Parliament votes on election reform\n\nMinisters and opposition MPs "
                "debated the bill before the vote.",
    "sport": "Striker scores twice in cup final\n\nThe football club won the match "
             "after the goalkeeper saved a penalty.",
    "tech": "New software update for mobile phones\n\nThe browser and email apps get "
            "a security fix for the smartphone.",
}


def make_corpus(root):
    for cls, text in TEXTS.items():
        folder = os.path.join(root, "bbc_news", "original", "bbc", cls)
        os.makedirs(folder)
        for number in range(1, 6):  # 001..005: dev 001 003 005, held 002 004
            with open(os.path.join(folder, "%03d.txt" % number), "w") as f:
                f.write(text)
    ag = os.path.join(root, "ag_news", "original")
    os.makedirs(ag)
    with open(os.path.join(ag, "classes.txt"), "w") as f:
        f.write("World\nSports\nBusiness\nSci/Tech\n")
    with open(os.path.join(ag, "test.csv"), "w") as f:
        for index in range(7):  # rows 0..6: dev 1 3 5, held 0 2 4 6
            f.write('"2","Striker scores in cup final %d","The football club won."\n' % index)


def run(build_dir, corpora, *args):
    return subprocess.run([sys.executable, EVAL, *args, f"--corpora={corpora}",
                           f"--build_dir={build_dir}"], capture_output=True, text=True)


def total(output, name):
    match = re.search(re.escape(name) + r": top-level accuracy [0-9.]+ \(\d+/(\d+)\)", output)
    if not match:
        sys.exit(f"FAIL: no result line for {name!r} in:\n{output}")
    return int(match.group(1))


def main():
    build_dir = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as corpora:
        make_corpus(corpora)
        for half, bbc, ag in (("dev", 15, 3), ("held", 10, 4), ("all", 25, 7)):
            out = run(build_dir, corpora, "bbc", f"--half={half}")
            if out.returncode != 0:
                sys.exit(f"FAIL: bbc --half={half}: {out.stderr}")
            if total(out.stdout, f"BBC News ({half})") != bbc:
                failures.append(f"bbc --half={half}: want {bbc} articles\n{out.stdout}")
            out = run(build_dir, corpora, "agnews", f"--half={half}")
            if out.returncode != 0:
                sys.exit(f"FAIL: agnews --half={half}: {out.stderr}")
            if total(out.stdout, f"AG News test ({half})") != ag:
                failures.append(f"agnews --half={half}: want {ag} items\n{out.stdout}")
        out = run(build_dir, corpora, "bbc", "--half=held", "--errors=3")
        if out.returncode == 0 or "development half" not in out.stderr:
            failures.append("--errors with --half=held was not refused")
        out = run(build_dir, corpora, "bbc", "--half=dev", "--errors=100")
        if out.returncode != 0:
            failures.append(f"--errors with --half=dev failed: {out.stderr}")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print("topics_eval halves: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
