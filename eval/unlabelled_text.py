#!/usr/bin/env python3
"""Writes the unlabelled text the entity evaluation learns word clusters
from, as plain-text files in a scratch folder (never in the repository):
Reuters-21578 titles and bodies, AG News titles and descriptions, the BBC
articles and the tokens of CoNLL-2003 eng.train (not eng.testa or
eng.testb). Whatever corpus is missing is left out; prints what it wrote.

  eval/unlabelled_text.py --corpora=../shared/corpora --out=/tmp/unlabelled
"""
import argparse
import csv
import json
import os
import shutil


def write_reuters(corpora, out):
    path = os.path.join(corpora, "reuters21578", "reuters21578.jsonl")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f, open(os.path.join(out, "reuters.txt"), "w") as o:
        for line in f:
            article = json.loads(line)
            o.write("%s\n\n%s\n\n" % (article.get("title", ""), article.get("body", "")))
    return "reuters.txt"


def write_ag_news(corpora, out):
    path = os.path.join(corpora, "ag_news", "original", "test.csv")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", newline="") as f, open(os.path.join(out, "ag_news.txt"), "w") as o:
        for row in csv.reader(f):
            if len(row) < 3:
                continue
            for field in row[1:3]:
                o.write(field.replace("\\", " ").replace("#36;", "$").replace("#39;", "'") + "\n\n")
    return "ag_news.txt"


def write_bbc(corpora, out):
    root = os.path.join(corpora, "bbc_news", "original", "bbc")
    if not os.path.isdir(root):
        return None
    target = os.path.join(out, "bbc")
    for topic in sorted(os.listdir(root)):
        if os.path.isdir(os.path.join(root, topic)):
            shutil.copytree(os.path.join(root, topic), os.path.join(target, topic), dirs_exist_ok=True)
    return "bbc/"


def write_conll_train(corpora, out):
    path = os.path.join(corpora, "conll2003", "original", "eng.train")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f, open(os.path.join(out, "conll_train.txt"), "w") as o:
        sentence = []
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if sentence:
                    o.write(" ".join(sentence) + "\n")
                    sentence = []
                if parts:
                    o.write("\n")
                continue
            sentence.append(parts[0])
        if sentence:
            o.write(" ".join(sentence) + "\n")
    return "conll_train.txt"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    written = [w for w in (write_reuters(args.corpora, args.out), write_ag_news(args.corpora, args.out),
                           write_bbc(args.corpora, args.out), write_conll_train(args.corpora, args.out))
               if w]
    print("unlabelled text in %s: %s" % (args.out, ", ".join(written) if written else "none"))


if __name__ == "__main__":
    main()
