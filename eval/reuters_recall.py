#!/usr/bin/env python3
"""Recall of Reuters-21578's PEOPLE and PLACES labels by the entity extractor.

Reads reuters21578.jsonl (the research-only corpus, left where it is), runs
newsdesk-extract-tsv over the articles of the Lewis TEST split and counts, for
every gold label of an article, whether the extractor found that person (a
PERSON entity whose name ends with the label's words: "volcker" matches
"Paul Volcker") or that place (a LOCATION entity with that name). The labels
are lower-case codes ("usa", "west-germany", "james-baker"); the few codes that
are not plain names are mapped to names here, in the evaluation only.

  eval/reuters_recall.py --corpus .../reuters21578.jsonl --extract build/bin/newsdesk-extract-tsv
"""
import argparse
import json
import os
import subprocess
import sys
import unicodedata

# Codes that are not the place's name written with spaces for hyphens.
PLACE_NAMES = {
    "usa": "united states",
    "uk": "united kingdom",
    "ussr": "soviet union",
    "uae": "united arab emirates",
    "west-germany": "west germany",
    "east-germany": "east germany",
    "hong-kong": "hong kong",
    "south-korea": "south korea",
    "north-korea": "north korea",
    "south-africa": "south africa",
    "new-zealand": "new zealand",
    "saudi-arabia": "saudi arabia",
    "ivory-coast": "ivory coast",
    "sri-lanka": "sri lanka",
    "el-salvador": "el salvador",
    "costa-rica": "costa rica",
    "puerto-rico": "puerto rico",
    "dominican-republic": "dominican republic",
    "papua-new-guinea": "papua new guinea",
    "burkina-faso": "burkina faso",
    "sierra-leone": "sierra leone",
    "trinidad-tobago": "trinidad and tobago",
    "netherlands-antilles": "netherlands antilles",
    "cayman-islands": "cayman islands",
    "faroe-islands": "faroe islands",
    "falkland-islands": "falkland islands",
    "french-guiana": "french guiana",
    "new-caledonia": "new caledonia",
    "st-lucia": "saint lucia",
    "st-vincent": "saint vincent",
    "ecuador": "ecuador",
    "taiwan": "taiwan",
    "vatican": "vatican",
    "zaire": "zaire",
    "burma": "burma",
    "kampuchea": "cambodia",
}


def key(text):
    """Lower case, diacritics and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'s", "").replace(".", "")
    out = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(out.split())


def paragraphs(body):
    """Reuters bodies mark paragraphs by an indented line; lines are wrapped."""
    out, current = [], []
    for line in body.split("\n"):
        if line.startswith("   ") and current:
            out.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", required=True, help="reuters21578.jsonl")
    parser.add_argument("--extract", required=True, help="newsdesk-extract-tsv binary")
    parser.add_argument("--entity_model", default="", help="optional trained model")
    parser.add_argument("--misses", type=int, default=0, help="print the most missed labels")
    args = parser.parse_args()
    if not os.path.exists(args.corpus):
        print(f"skipped: {args.corpus} not found (the corpus is not part of the repository)")
        return 0

    articles = {}
    lines = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc.get("lewissplit") != "TEST" or not (doc["people"] or doc["places"]):
                continue
            paras = paragraphs(doc.get("body", ""))
            if doc.get("dateline"):
                paras = [doc["dateline"].strip() + " " + (paras[0] if paras else "")] + paras[1:]
            clean = lambda s: " ".join(s.replace("\x1f", " ").split())
            lines.append(f"{doc['id']}\t{clean(doc.get('title', ''))}\t"
                         + "\x1f".join(clean(p) for p in paras))
            articles[str(doc["id"])] = doc

    command = [args.extract]
    if args.entity_model:
        command.append(f"--entity_model={args.entity_model}")
    result = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True,
                            text=True)
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    found = {}  # article id -> list of (type, [name keys])
    for line in result.stdout.splitlines():
        article, entity_id, kind, display, spellings = line.split("\t")
        names = [key(display)] + [key(s) for s in spellings.split("|") if s]
        found.setdefault(article, []).append((kind, entity_id, names))

    counts = {"people": [0, 0], "places": [0, 0]}
    # The same, only for labels whose name is written in the article: many
    # PLACES labels are implied (a Chicago dateline gives "usa").
    named_counts = {"people": [0, 0], "places": [0, 0]}
    misses = {"people": {}, "places": {}}
    for article, doc in articles.items():
        entities = found.get(article, [])
        text = " " + key(" ".join([doc.get("title", ""), doc.get("dateline", ""),
                                   doc.get("body", "")])) + " "
        for code in doc["people"]:
            words = key(code.replace("-", " "))
            hit = any(kind == "person" and any(n == words or n.endswith(" " + words)
                                               for n in names)
                      for kind, _, names in entities)
            counts["people"][0] += hit
            counts["people"][1] += 1
            if f" {words} " in text:
                named_counts["people"][0] += hit
                named_counts["people"][1] += 1
            if not hit:
                misses["people"][code] = misses["people"].get(code, 0) + 1
        for code in doc["places"]:
            name = PLACE_NAMES.get(code, code.replace("-", " "))
            slug = "location-" + key(name).replace(" ", "-")
            hit = any(kind == "location" and (entity_id == slug or key(name) in names)
                      for kind, entity_id, names in entities)
            counts["places"][0] += hit
            counts["places"][1] += 1
            if f" {key(name)} " in text:
                named_counts["places"][0] += hit
                named_counts["places"][1] += 1
            if not hit:
                misses["places"][code] = misses["places"].get(code, 0) + 1

    extractor = f"model {args.entity_model}" if args.entity_model else "rule-based extractor"
    print(f"Reuters-21578 TEST split, {len(articles)} articles with PEOPLE or PLACES labels, "
          f"{extractor}")
    for label in ("people", "places"):
        hit, total = counts[label]
        named_hit, named_total = named_counts[label]
        print(f"  {label.upper():7s} recall {100.0 * hit / max(total, 1):6.2f}%  "
              f"({hit} of {total} labels); of labels whose name is written in the article "
              f"{100.0 * named_hit / max(named_total, 1):6.2f}% ({named_hit} of {named_total})")
        if args.misses:
            top = sorted(misses[label].items(), key=lambda kv: -kv[1])[:args.misses]
            print("    most missed: " + ", ".join(f"{c} {n}" for c, n in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
