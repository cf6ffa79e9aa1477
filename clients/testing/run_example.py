#!/usr/bin/python3
"""Runs a client example against the real newsdesk services.

    run_example.py [--expect TEXT]... -- COMMAND [ARG]...

Starts newsdesk-ingest and newsdesk-query from $NEWSDESK_BIN_DIR (default
build/bin) on free loopback ports, runs COMMAND with NEWSDESK_INGEST_ADDRESS
and NEWSDESK_QUERY_ADDRESS set to them, and stops the services. Fails when
COMMAND exits non-zero, prints none of an --expect TEXT, or a service does
not shut down cleanly. Every example checks its own answers and exits 1 when
the article it ingested is missing from a query's results.
"""

import argparse
import subprocess
import sys

from newsdesk_services import Services

EXAMPLE_TIMEOUT_S = 120


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect", action="append", default=[],
                        help="text the example must print (repeatable)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    with Services() as services:
        result = subprocess.run(command, env=services.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                timeout=EXAMPLE_TIMEOUT_S)
        print(result.stdout)
        if result.returncode != 0:
            print("example exited with status %d\n%s" % (
                result.returncode, services.log_tails()), file=sys.stderr)
            return 1
        missing = [text for text in args.expect if text not in result.stdout]
        if missing:
            print("example output lacks: %s" % missing, file=sys.stderr)
            return 1
    print("run_example: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
