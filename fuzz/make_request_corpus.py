#!/usr/bin/env python3
"""Writes seed inputs for the request fuzzers: each is a byte choosing the
call followed by a serialized request (protobuf wire format, written by
hand so no generated code is needed). Usage: make_request_corpus.py
SEEDS_DIR INGEST_OUT QUERY_OUT"""
import os
import sys


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A length-delimited field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(number_, value):
    return varint(number_ << 3) + varint(value & 0xFFFFFFFFFFFFFFFF)


def main():
    seeds, ingest_out, query_out = sys.argv[1:4]
    os.makedirs(ingest_out, exist_ok=True)
    os.makedirs(query_out, exist_ok=True)
    for i, name in enumerate(sorted(os.listdir(seeds))):
        with open(os.path.join(seeds, name), "rb") as f:
            content = f.read()
        metadata = field(1, b"Reuters") + field(3, b"2024-03-14") + field(4, b"en-GB")
        raw = field(1, content) + number(2, 1 + i % 2) + field(3, metadata)
        with open(os.path.join(ingest_out, "%s.bin" % name), "wb") as f:
            f.write(bytes([i % 2]) + field(1, raw))
    timestamp = number(1, 1709251200)
    filter_ = (field(1, b"Zelensky") + field(2, b"Kyiv") + field(3, timestamp) +
               field(5, b"medtop:11000000") + field(7, b"talks"))
    queries = {
        "get": bytes([0]) + field(1, b"articles/0123456789abcdef"),
        "search": bytes([1]) + field(1, filter_) + number(3, 5) + field(4, b"AAAA"),
        "entity": bytes([2]) + field(1, b"Zelenskiy") + number(2, 2),
        "dates": bytes([3]) + field(1, timestamp) + field(2, number(1, 1711929600)),
        "topic": bytes([4]) + field(1, b"politics") + number(5, 1),
        "entities": bytes([5]) + field(1, b"Ky") + number(3, 3),
        "resolve": bytes([6]) + field(1, b"Kiev"),
        "topics": bytes([7]) + field(1, filter_),
        "counts": bytes([8]) + number(1, 1),
        "story": bytes([9]) + field(1, b"stories/story-0123456789abcdef"),
        "stories": bytes([10]) + field(1, b"Zelensky") + field(3, timestamp) + number(5, 1) +
                   number(6, 3),
    }
    for name, data in queries.items():
        with open(os.path.join(query_out, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
