#!/usr/bin/python3
"""Ingests the seed articles, runs an entity, a date-range and a topic query,
and prints topic counts and a per-day series per topic.

Start the services first (see README.md), then:

    /usr/bin/python3 clients/python/example.py \
        --ingest 127.0.0.1:50051 --query 127.0.0.1:50052
"""

import argparse
import datetime
import os
import sys
import time

import grpc

from newsdesk_client import NewsdeskClient, article_pb2, query_pb2, to_datetime

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def published(article):
    """The publication time as precise as it is known, or "unknown"."""
    pt = article.publish_time
    formats = {
        article_pb2.TIME_PRECISION_YEAR: "%Y",
        article_pb2.TIME_PRECISION_MONTH: "%Y-%m",
        article_pb2.TIME_PRECISION_DAY: "%Y-%m-%d",
        article_pb2.TIME_PRECISION_MINUTE: "%Y-%m-%d %H:%M",
    }
    if pt.precision not in formats:
        return "unknown"
    return to_datetime(pt.time).strftime(formats[pt.precision])


def shorten(text, width):
    return text if len(text) <= width else text[:width - 1] + "…"


def print_matches(heading, response):
    print("\n%s: %d article(s)" % (heading, response.total_size))
    print("  %-16s  %-10s  %s" % ("id", "published", "title"))
    for match in response.matches:
        a = match.article
        print("  %-16s  %-10s  %s" % (a.article_id, published(a), shorten(a.title, 60)))


def wait_until_visible(client, article_id, timeout=10.0):
    """Waits until the query service has applied the article `article_id`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.get_article(article_id)
            return
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.NOT_FOUND or time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest", default="127.0.0.1:50051",
                        help="ingest service address (default %(default)s)")
    parser.add_argument("--query", default="127.0.0.1:50052",
                        help="query service address (default %(default)s)")
    parser.add_argument("--seeds", default=os.path.join(_REPO, "data", "seeds"),
                        help="directory of articles to ingest (default data/seeds)")
    parser.add_argument("--entity", default="Zelenskiy")
    parser.add_argument("--start", default="2023-04-26", type=datetime.date.fromisoformat,
                        help="date range start, inclusive (UTC)")
    parser.add_argument("--end", default="2023-04-27", type=datetime.date.fromisoformat,
                        help="date range end, exclusive (UTC)")
    parser.add_argument("--topic", default="medtop:16000000")
    args = parser.parse_args()

    with NewsdeskClient(args.ingest, args.query) as client:
        client.wait_until_serving(timeout=30)

        last_id = None
        print("Ingest")
        print("  %-24s  %-16s  %-3s  %s" % ("file", "id", "new", "title"))
        for name in sorted(os.listdir(args.seeds)):
            with open(os.path.join(args.seeds, name), "rb") as f:
                try:
                    response = client.ingest(f.read(), source="seed")
                except grpc.RpcError as e:
                    print("  %-24s  failed: %s %s" % (name, e.code().name, e.details()))
                    continue
            last_id = response.article.article_id
            print("  %-24s  %-16s  %-3s  %s" % (
                shorten(name, 24), response.article.article_id,
                "no" if response.already_existed else "yes",
                shorten(response.article.title, 50)))

        # The query service follows the article log, so new articles show up
        # there a moment after ingest returns.
        if last_id:
            wait_until_visible(client, last_id)
        print_matches("Entity %r" % args.entity, client.find_by_entity(args.entity))
        print_matches("Published in [%s, %s)" % (args.start, args.end),
                      client.find_by_date_range(args.start, args.end))
        print_matches("Topic %r" % args.topic, client.find_by_topic(args.topic))
        print_matches("Topic %r itself (exact)" % args.topic,
                      client.find_by_topic(args.topic, exact=True))

        print("Topics of articles naming %r" % args.entity)
        for topic in client.list_topics(page_size=5, any_entities=[args.entity]).topics:
            print("  %4d  %s %s" % (topic.article_count, topic.code, topic.label))

        print("Articles per day and topic, %s to %s" % (args.start, args.end))
        counts = client.count_articles(
            group_by=query_pb2.COUNT_GROUP_BY_TOPIC, interval=query_pb2.COUNT_INTERVAL_DAY,
            max_groups=3, start=args.start, end=args.end)
        for group in counts.groups:
            series = " ".join(str(b.article_count) for b in group.buckets)
            print("  %-40s  %s" % (shorten(group.label, 40), series))
    return 0


if __name__ == "__main__":
    sys.exit(main())
