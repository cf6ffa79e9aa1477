#!/usr/bin/env python3
"""Checks that each service image's runtime stage installs the Debian
packages of every shared library its program links, directly or as a
dependency of a package it installs. The libraries are read with ldd from the
programs of a local build (build/bin by default, or the folder given), and
mapped to packages with dpkg -S; dependencies come from apt-cache. Exits 77
(skipped) without a build."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "bin")
IMAGES = {"newsdesk-ingest": ["newsdesk-ingest", "newsdesk-health-probe"],
          "newsdesk-query": ["newsdesk-query", "newsdesk-health-probe"]}


def runtime_packages(containerfile):
    """The packages the last stage installs with apt-get."""
    with open(containerfile, encoding="utf-8") as f:
        text = f.read()
    stage = text[text.rindex("\nFROM "):]
    install = re.search(r"apt-get install(.*?)(?:&&|\n[A-Z])", stage, re.S).group(1)
    return {w for w in install.replace("\\", " ").split() if not w.startswith("-")}


def closure(packages):
    """The packages and everything they depend on."""
    out = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends",
                          "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces",
                          "--no-enhances", "--no-pre-depends"] + sorted(packages),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    found = set(packages)
    for line in out.splitlines():
        line = line.strip().lstrip("|")
        if line.startswith("Depends:"):
            found.add(line.split(":", 1)[1].strip().strip("<>").split(":")[0])
        elif line and not line.startswith(("Depends", "PreDepends")) and ":" not in line:
            found.add(line)
    return found


def linked_packages(program):
    """The Debian packages of the shared libraries `program` links."""
    out = subprocess.run(["ldd", program], stdout=subprocess.PIPE, text=True, check=True).stdout
    packages = set()
    for line in out.splitlines():
        m = re.search(r"=> (/\S+)", line)
        if not m:
            continue
        path = os.path.realpath(m.group(1))
        owner = subprocess.run(["dpkg", "-S", path], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True).stdout
        if not owner:  # merged /usr: dpkg may know the /lib path
            owner = subprocess.run(["dpkg", "-S", path.replace("/usr/lib/", "/lib/", 1)],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True).stdout
        if owner:
            packages.add(owner.split(":")[0])
    return packages


def main():
    if not all(os.path.exists(os.path.join(BIN, p)) for ps in IMAGES.values() for p in ps):
        print("skipped: no build at %s" % BIN)
        return 77
    failed = False
    for image, programs in IMAGES.items():
        containerfile = os.path.join(HERE, "containers", image + ".Containerfile")
        installed = closure(runtime_packages(containerfile))
        needed = set()
        for program in programs:
            needed |= linked_packages(os.path.join(BIN, program))
        missing = sorted(needed - installed)
        if missing:
            failed = True
            print("%s: the runtime stage lacks %s" % (containerfile, " ".join(missing)))
        else:
            print("%s: every linked library's package is installed (%d packages)"
                  % (image, len(needed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
