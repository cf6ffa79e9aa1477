#!/usr/bin/python3
"""What the HTTP side costs: median latency of the same query over gRPC and
over the REST/JSON door, and of a /metrics scrape, from one Python client on
this machine (so the figures include Python's own per-call cost; compare them
with each other, not with newsdesk-bench).

    bench/http_bench.py [--calls N]        (build first: scripts/build.sh)

Starts both services on free ports (clients/testing/newsdesk_services.py),
ingests the seed articles over REST, then times N sequential calls of each
kind and prints the median and 95th percentile in microseconds.
"""

import argparse
import base64
import os
import statistics
import sys
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with Services() as services:
        seeds = os.path.join(REPO, "data", "seeds")
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), "rb") as f:
                content = base64.b64encode(f.read()).decode()
            post(services.ingest_http_address, "/v1/IngestService/IngestArticle",
                 ('{"article": {"content": "%s"}}' % content).encode())
        time.sleep(0.5)
        channel = grpc.insecure_channel(services.query_address)
        # FindArticlesByEntityRequest{entity: "Zelenskiy", view: BASIC}
        entity = b"Zelenskiy"
        request = b"\x0a" + bytes([len(entity)]) + entity + b"\x20\x01"
        find = channel.unary_unary("/newsdesk.v1.QueryService/FindArticlesByEntity")
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


if __name__ == "__main__":
    main()
