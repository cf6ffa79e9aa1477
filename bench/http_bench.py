#!/usr/bin/python3
"""What the HTTP side costs: median latency of the same query over gRPC and
over the REST/JSON door, and of a /metrics scrape, from one Python client on
this machine (so the figures include Python's own per-call cost; compare them
with each other, not with newsdesk-bench).

    bench/http_bench.py [--calls N]        (build first: scripts/build.sh)

Starts both services on free ports (clients/testing/newsdesk_services.py),
ingests the seed articles over REST, then times N sequential calls of each
kind and prints the median and 95th percentile in microseconds.

Then the query service's own CPU per gRPC call (user + system time of its
process over N calls from 4 concurrent callers), with its thread settings
and with gRPC's defaults (--min_polling_threads=1 --max_polling_threads=2),
two query services side by side, measured in turns; medians of the turns.
"""

import argparse
import base64
import os
import statistics
import sys
import threading
import time
import urllib.request

import grpc

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "clients", "testing"))
from newsdesk_services import Services  # noqa: E402


def timed(calls, fn):
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def post(address, path, body):
    request = urllib.request.Request("http://%s%s" % (address, path), data=body, method="POST")
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.read()


# FindArticlesByEntityRequest{entity: "Zelenskiy", view: BASIC}
ENTITY = b"Zelenskiy"
FIND_REQUEST = b"\x0a" + bytes([len(ENTITY)]) + ENTITY + b"\x20\x01"
FIND_METHOD = "/newsdesk.v1.QueryService/FindArticlesByEntity"


def ingest_seeds(services):
    seeds = os.path.join(REPO, "data", "seeds")
    for name in sorted(os.listdir(seeds)):
        with open(os.path.join(seeds, name), "rb") as f:
            content = base64.b64encode(f.read()).decode()
        post(services.ingest_http_address, "/v1/IngestService/IngestArticle",
             ('{"article": {"content": "%s"}}' % content).encode())
    time.sleep(0.5)


def process_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_per_call(services, calls, callers=4):
    """Microseconds of the query service's CPU per FindArticlesByEntity call,
    `calls` of them from `callers` threads, each on its own connection."""
    finds = [grpc.insecure_channel(services.query_address, options=[("newsdesk.caller", i)])
             .unary_unary(FIND_METHOD) for i in range(callers)]
    for find in finds:
        find(FIND_REQUEST, timeout=10)
    pid = services.services[-1].process.pid
    before = process_cpu_seconds(pid)
    threads = [threading.Thread(target=lambda f=find: [f(FIND_REQUEST, timeout=10)
                                                      for _ in range(calls // callers)])
               for find in finds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (process_cpu_seconds(pid) - before) * 1e6 / (calls // callers * callers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    with Services() as services:
        ingest_seeds(services)
        channel = grpc.insecure_channel(services.query_address)
        request = FIND_REQUEST
        find = channel.unary_unary(FIND_METHOD)
        assert find(request, timeout=10)
        body = b'{"entity": "Zelenskiy", "view": "ARTICLE_VIEW_BASIC"}'
        rest = lambda: post(services.query_http_address,
                            "/v1/QueryService/FindArticlesByEntity", body)
        assert b"matches" in rest()
        scrape = lambda: urllib.request.urlopen(
            "http://%s/metrics" % services.query_http_address, timeout=10).read()
        print("machine: %d cores; %d sequential calls each; microseconds" % (
            os.cpu_count(), args.calls))
        for label, fn in (("FindArticlesByEntity over gRPC", lambda: find(request, timeout=10)),
                          ("FindArticlesByEntity over REST", rest),
                          ("GET /metrics (query service)", scrape)):
            timed(min(100, args.calls), fn)  # warm up
            median, p95 = timed(args.calls, fn)
            print("%-32s median %8.0f   p95 %8.0f" % (label, median, p95))
        channel.close()

    grpc_defaults = ["--min_polling_threads=1", "--max_polling_threads=2"]
    with Services() as ours, Services(extra_query_args=grpc_defaults) as defaults:
        for services in (ours, defaults):
            ingest_seeds(services)
        cpu = {"ours": [], "defaults": []}
        for _ in range(args.turns):
            cpu["ours"].append(server_cpu_per_call(ours, args.calls))
            cpu["defaults"].append(server_cpu_per_call(defaults, args.calls))
        print("query service CPU per FindArticlesByEntity call, %d calls from 4 callers, "
              "median of %d turns:" % (args.calls, args.turns))
        print("  polling threads 2-8 (the servers' default)  %6.0f us" %
              statistics.median(cpu["ours"]))
        print("  polling threads 1-2 (gRPC's default)        %6.0f us" %
              statistics.median(cpu["defaults"]))


if __name__ == "__main__":
    main()
