#!/usr/bin/python3
"""The HTTP side of both services, end to end against the real binaries:

- the README's curl examples of the REST/JSON door run as written (only the
  ports are replaced by the ones the services picked) and answer as they say;
- Prometheus metrics are served, parse, and move with traffic: per-RPC counts
  by code, latency histograms, ingest and indexing counters, log lag, index
  and store sizes;
- request ids: a caller's x-request-id comes back in the response metadata
  and in the access log, and a call without one gets a generated id.

Environment: NEWSDESK_BIN_DIR (default build/bin).
"""

import base64
import json
import os
import re
import subprocess
import sys
import time
import unittest
import urllib.request

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "clients", "testing"))
from newsdesk_services import Services  # noqa: E402

README_PORTS = {"9451": "ingest", "9452": "query"}


def readme_commands():
    """The commands of the README block run by this test, one per curl."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    marker = text.index("run by tests/integration/http_endpoint_test.py")
    block = text[text.index("```sh\n", marker) + 6:]
    block = block[:block.index("```")]
    commands, current = [], ""
    for line in block.splitlines():
        if line.startswith("#") and not current:
            continue
        current += line + "\n"
        if not line.endswith("\\") and not line.rstrip().endswith(","):
            if current.strip():
                commands.append(current)
            current = ""
    return commands


def scrape(address):
    """Returns {(name, frozenset(labels)): value} of a /metrics page."""
    with urllib.request.urlopen("http://%s/metrics" % address, timeout=10) as r:
        text = r.read().decode("utf-8")
        content_type = r.headers["Content-Type"]
    assert content_type.startswith("text/plain"), content_type
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        assert m, "unparsable metrics line: %r" % line
        labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


class HttpEndpointTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.services = Services(extra_query_args=["--access_log"],
                                extra_env={"GLOG_v": "1"})
        cls.services.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.services.__exit__(None, None, None)

    def readme_command(self, command):
        """The README command against this test's services, printing the HTTP
        status on a last line."""
        for port, service in README_PORTS.items():
            address = getattr(self.services, service + "_http_address")
            command = command.replace("127.0.0.1:" + port, address)
        return ["bash", "-c", command.strip() + " -w '\\n%{http_code}'"]

    def run_readme_command(self, command):
        result = subprocess.run(self.readme_command(command),
                                cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        body, _, code = result.stdout.rpartition("\n")
        return int(code), json.loads(body)

    def test_readme_curl_examples(self):
        commands = readme_commands()
        self.assertEqual(len(commands), 6, commands)
        code, ingested = self.run_readme_command(commands[0])
        self.assertEqual(code, 200, ingested)
        article_id = ingested["article"]["articleId"]
        self.assertRegex(article_id, r"^[0-9a-f]{16}$")
        self.assertEqual(ingested["article"]["source"], "Reuters")

        # The query service applies the log a moment after ingest answers.
        deadline = time.monotonic() + 20
        while True:
            code, by_entity = self.run_readme_command(commands[1])
            if by_entity.get("matches") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(code, 200, by_entity)
        for command in commands[1:4]:
            with self.subTest(command=command.split("\n")[0]):
                code, response = self.run_readme_command(command)
                self.assertEqual(code, 200, response)
                ids = [m["article"]["articleId"] for m in response["matches"]]
                self.assertIn(article_id, ids)
                self.assertGreaterEqual(int(response["totalSize"]), 1)
        # The date range is listed: ids, titles and times, no explanations.
        _, listed = self.run_readme_command(commands[2])
        for match in listed["matches"]:
            self.assertLessEqual(set(match["article"]), {"articleId", "title", "publishTime"})
            self.assertNotIn("explanation", match)

        code, error = self.run_readme_command(commands[4])
        self.assertEqual(code, 400)
        self.assertEqual(error["code"], 3)
        self.assertEqual(error["status"], "INVALID_ARGUMENT")
        self.assertIn("entity", error["message"])
        self.assertEqual(error["details"][0]["@type"],
                         "type.googleapis.com/google.rpc.BadRequest")

        # The standing query sees an article ingested while it runs; curl
        # ends it after --max-time (exit 28).
        watch = subprocess.Popen(self.readme_command(commands[5]), cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        ingested = self.ingest_text(
            "Zelenskiy visits the front\n\nUkrainian President Volodymyr Zelenskiy "
            "visited troops near Bakhmut on Tuesday, watch test %d." % time.time_ns())
        out, err = watch.communicate(timeout=60)
        self.assertEqual(watch.returncode, 28, err)
        body, _, code = out.rpartition("\n")
        self.assertEqual(int(code), 200)
        lines = [json.loads(line) for line in body.splitlines() if line]
        watched = [line["result"]["match"]["article"]["articleId"] for line in lines]
        self.assertEqual(watched, [ingested["article"]["articleId"]])
        self.assertGreater(int(lines[0]["result"]["logPosition"]), 0)

    def test_find_calls_take_a_read_mask_over_rest(self):
        ingested = self.ingest_text(
            "Zelenskiy meets envoys\n\nUkrainian President Volodymyr Zelenskiy met "
            "envoys in Kyiv on Monday, read mask test %d." % time.time_ns())
        article_id = ingested["article"]["articleId"]
        request = {"entity": "Zelenskiy", "pageSize": 1000,
                   "minLogPosition": ingested["article"]["logSequence"]}
        code, _, whole = self.post("query", "/v1/QueryService/FindArticlesByEntity",
                                   json.dumps(request).encode())
        self.assertEqual(code, 200, whole)
        request.update({"readMask": "articleId,title,publishTime", "skipExplanations": True})
        code, _, listed = self.post("query", "/v1/QueryService/FindArticlesByEntity",
                                    json.dumps(request).encode())
        self.assertEqual(code, 200, listed)
        self.assertEqual([m["article"]["articleId"] for m in listed["matches"]],
                         [m["article"]["articleId"] for m in whole["matches"]])
        self.assertIn(article_id, [m["article"]["articleId"] for m in listed["matches"]])
        for match in listed["matches"]:
            self.assertLessEqual(set(match["article"]), {"articleId", "title", "publishTime"})
            self.assertIn("title", match["article"])
            self.assertNotIn("entityMatches", match)
            self.assertNotIn("explanation", match)
        self.assertTrue(all("entityMatches" in m for m in whole["matches"]))

        request["readMask"] = "publishTime.time"
        code, _, error = self.post("query", "/v1/QueryService/FindArticlesByEntity",
                                   json.dumps(request).encode())
        self.assertEqual(code, 400, error)
        self.assertIn("publish_time.time", error["message"])
        self.assertEqual(error["details"][0]["fieldViolations"][0]["field"], "read_mask")

    def ingest_text(self, content):
        """Ingests `content` over REST; returns the IngestArticleResponse as
        JSON."""
        code, _, ingested = self.post(
            "ingest", "/v1/IngestService/IngestArticle",
            json.dumps({"article": {"content": base64.b64encode(content.encode()).decode()}})
            .encode())
        self.assertEqual(code, 200, ingested)
        return ingested

    def post(self, service, path, body, headers=None):
        address = getattr(self.services, service + "_http_address")
        request = urllib.request.Request("http://%s%s" % (address, path), data=body,
                                         headers=headers or {}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, dict(r.headers), json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read())

    def test_rest_errors_are_clear(self):
        code, _, body = self.post("query", "/v1/QueryService/NoSuchMethod", b"{}")
        self.assertEqual(code, 404)
        self.assertEqual(body["status"], "NOT_FOUND")
        code, _, body = self.post("query", "/v1/IngestService/IngestArticle", b"{}")
        self.assertEqual(code, 404, "the query service does not serve ingest")
        code, _, body = self.post("query", "/v1/QueryService/ListTopics", b"{not json")
        self.assertEqual(code, 400)
        self.assertIn("not a JSON newsdesk.v1.ListTopicsRequest", body["message"])
        code, _, body = self.post("query", "/v1/QueryService/ListTopics", b'{"pageSize": -1}')
        self.assertEqual(code, 400)
        code, headers, body = self.post("query", "/v1/QueryService/GetArticle",
                                        b'{"name": "articles/0000000000000000"}',
                                        {"X-Request-Id": "rest-id-7"})
        self.assertEqual(code, 404)
        self.assertEqual(headers.get("X-Request-Id"), "rest-id-7")

    def test_bad_requests_name_the_field(self):
        code, _, body = self.post("ingest", "/v1/IngestService/IngestArticle",
                                  b'{"article": {"content": "ICAg"}}')
        self.assertEqual(code, 400, body)
        self.assertEqual(body["message"], "content is empty")
        violation = body["details"][0]["fieldViolations"][0]
        self.assertEqual(violation["field"], "article.content")
        self.assertEqual(violation["description"], "content is empty")

        # Over gRPC the same google.rpc.Status is in the standard trailer.
        channel = grpc.insecure_channel(self.services.ingest_address)
        ingest_article = channel.unary_unary("/newsdesk.v1.IngestService/IngestArticle")
        with self.assertRaises(grpc.RpcError) as failure:
            ingest_article(b"\x0a\x05\x0a\x03   ", timeout=30)
        channel.close()
        self.assertEqual(failure.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        trailers = dict(failure.exception.trailing_metadata())
        details = trailers.get("grpc-status-details-bin", b"")
        self.assertIn(b"type.googleapis.com/google.rpc.BadRequest", details)
        self.assertIn(b"article.content", details)

    def test_alias_table_edits_over_rest(self):
        code, _, body = self.post("ingest", "/v1/EntityAliasService/GetAliasTable",
                                  b'{"entity_id": "location-kyiv"}')
        self.assertEqual(code, 200, body)
        self.assertEqual(body["entityId"], "location-kyiv")
        self.assertIn("Kiev", body["aliases"])
        code, _, body = self.post("ingest", "/v1/EntityAliasService/MergeEntities",
                                  b'{"source_entity_id": "location-kyiv", '
                                  b'"target_entity_id": "location-kyiv"}')
        self.assertEqual(code, 400, body)
        violation = body["details"][0]["fieldViolations"][0]
        self.assertEqual(violation["field"], "target_entity_id")
        code, _, body = self.post("ingest", "/v1/EntityAliasService/ListAliasChanges", b"{}")
        self.assertEqual(code, 200, body)

    def test_batch_ingest_takes_a_json_array(self):
        code, _, body = self.post(
            "ingest", "/v1/IngestService/BatchIngestArticles",
            json.dumps([{"article": {"content": "QmF0Y2ggb25lOiBhIHNob3J0IHN0b3J5Lg=="}},
                        {"article": {}}]).encode())
        self.assertEqual(code, 200, body)
        self.assertEqual(body["failedCount"], 1)
        self.assertEqual(body["results"][1]["code"], 3)

    def test_metrics_move_with_traffic(self):
        before_ingest = scrape(self.services.ingest_http_address)
        before_query = scrape(self.services.query_http_address)
        ingest = grpc.insecure_channel(self.services.ingest_address)
        query = grpc.insecure_channel(self.services.query_address)
        # Raw calls with serialized messages: the test needs no generated stubs.
        # IngestArticleRequest{article{content: "..."}}: field 1 (message) >
        # field 1 (bytes).
        content = b"Metrics test: the city council met on Tuesday in Lisbon."
        raw = b"\x0a" + bytes([len(content)]) + content
        request = b"\x0a" + bytes([len(raw)]) + raw
        ingest_article = ingest.unary_unary("/newsdesk.v1.IngestService/IngestArticle")
        ingest_article(request, timeout=30)
        with self.assertRaises(grpc.RpcError) as failure:
            ingest_article(b"", timeout=30)
        self.assertEqual(failure.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        list_topics = query.unary_unary("/newsdesk.v1.QueryService/ListTopics")
        for _ in range(3):
            list_topics(b"", timeout=30)

        # Calls are recorded when the server is done with them, which may be
        # just after the client has its answer; indexing follows the log.
        topics_ok = dict(service="newsdesk.v1.QueryService", method="ListTopics", code="OK")
        deadline = time.monotonic() + 20
        while True:
            after_query = scrape(self.services.query_http_address)
            after_ingest = scrape(self.services.ingest_http_address)
            if ((value(after_query, "newsdesk_query_articles_indexed_total")
                 > value(before_query, "newsdesk_query_articles_indexed_total")
                 and value(after_query, "newsdesk_query_index_delay_seconds_count")
                 > value(before_query, "newsdesk_query_index_delay_seconds_count")
                 and value(after_query, "newsdesk_rpc_requests_total", **topics_ok)
                 >= value(before_query, "newsdesk_rpc_requests_total", **topics_ok) + 3
                 and value(after_ingest, "newsdesk_rpc_latency_seconds_count",
                           service="newsdesk.v1.IngestService", method="IngestArticle")
                 >= value(before_ingest, "newsdesk_rpc_latency_seconds_count",
                          service="newsdesk.v1.IngestService", method="IngestArticle") + 2)
                    or time.monotonic() > deadline):
                break
            time.sleep(0.1)

        svc = "newsdesk.v1.IngestService"
        self.assertEqual(
            value(after_ingest, "newsdesk_rpc_requests_total", service=svc,
                  method="IngestArticle", code="OK")
            - value(before_ingest, "newsdesk_rpc_requests_total", service=svc,
                    method="IngestArticle", code="OK"), 1)
        self.assertEqual(
            value(after_ingest, "newsdesk_rpc_requests_total", service=svc,
                  method="IngestArticle", code="INVALID_ARGUMENT")
            - value(before_ingest, "newsdesk_rpc_requests_total", service=svc,
                    method="IngestArticle", code="INVALID_ARGUMENT"), 1)
        self.assertEqual(
            value(after_ingest, "newsdesk_rpc_latency_seconds_count", service=svc,
                  method="IngestArticle")
            - value(before_ingest, "newsdesk_rpc_latency_seconds_count", service=svc,
                    method="IngestArticle"), 2)
        self.assertGreater(value(after_ingest, "newsdesk_rpc_latency_seconds_sum",
                                 service=svc, method="IngestArticle"), 0)
        self.assertEqual(
            value(after_ingest, "newsdesk_ingest_articles_stored_total")
            - value(before_ingest, "newsdesk_ingest_articles_stored_total"), 1)
        self.assertEqual(value(after_ingest, "newsdesk_log_head_sequence"),
                         value(after_ingest, "newsdesk_ingest_articles_stored_total"))
        self.assertGreater(value(after_ingest, "newsdesk_store_size_bytes",
                                 store="articles"), 0)

        self.assertGreaterEqual(
            value(after_query, "newsdesk_rpc_requests_total",
                  service="newsdesk.v1.QueryService", method="ListTopics", code="OK")
            - value(before_query, "newsdesk_rpc_requests_total",
                    service="newsdesk.v1.QueryService", method="ListTopics", code="OK"), 3)
        self.assertEqual(value(after_query, "newsdesk_query_articles_indexed_total"),
                         value(after_ingest, "newsdesk_log_head_sequence"))
        self.assertEqual(value(after_query, "newsdesk_query_log_lag"), 0)
        # Each new article's delay from stored to indexed, once, and short.
        self.assertEqual(
            value(after_query, "newsdesk_query_index_delay_seconds_count")
            - value(before_query, "newsdesk_query_index_delay_seconds_count"), 1)
        self.assertGreater(
            value(after_query, "newsdesk_query_index_delay_seconds_bucket", le="+Inf"), 0)
        self.assertLess(value(after_query, "newsdesk_query_index_delay_seconds_sum"), 60)
        self.assertEqual(value(after_query, "newsdesk_index_size", kind="articles"),
                         value(after_query, "newsdesk_query_articles_indexed_total"))
        self.assertGreater(value(after_query, "newsdesk_index_size", kind="entities"), 0)
        self.assertGreater(value(after_query, "newsdesk_store_size_bytes", store="replica"), 0)
        ingest.close()
        query.close()

    def test_request_ids(self):
        query = grpc.insecure_channel(self.services.query_address)
        list_topics = query.unary_unary("/newsdesk.v1.QueryService/ListTopics")
        _, call = list_topics.with_call(b"", metadata=[("x-request-id", "caller-id-42")],
                                        timeout=30)
        self.assertIn(("x-request-id", "caller-id-42"), call.initial_metadata())

        _, call = list_topics.with_call(b"", timeout=30)
        generated = dict(call.initial_metadata()).get("x-request-id", "")
        self.assertRegex(generated, r"^[0-9a-f]{16}$")

        get_article = query.unary_unary("/newsdesk.v1.QueryService/GetArticle")
        with self.assertRaises(grpc.RpcError) as failure:
            get_article(b"", metadata=[("x-request-id", "failing-id-9")], timeout=30)
        self.assertIn(("x-request-id", "failing-id-9"),
                      failure.exception.initial_metadata())
        query.close()

        # The query service runs with --access_log: one line per call, with the
        # id, written once the call's status is sent (so after the caller may
        # have it; the handler's own line about the failure comes before).
        access_line = "request_id=failing-id-9 /newsdesk.v1.QueryService/GetArticle"
        deadline = time.monotonic() + 5
        while True:
            log = self.services.services[1].log_tail(lines=100000)
            if access_line in log or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        # The id is in the line prefix (common/grpc/request_id.h).
        self.assertRegex(log, r"\] request_id=caller-id-42 /newsdesk.v1.QueryService/ListTopics OK")
        self.assertRegex(log, r"request_id=failing-id-9 /newsdesk.v1.QueryService/GetArticle "
                              r"INVALID_ARGUMENT")
        # The ingest service runs without it but with GLOG_v=1: its only
        # request lines are failed calls, with their request ids.
        ingest = grpc.insecure_channel(self.services.ingest_address)
        with self.assertRaises(grpc.RpcError):
            ingest.unary_unary("/newsdesk.v1.IngestService/IngestArticle")(
                b"", metadata=[("x-request-id", "ingest-fail-3")], timeout=30)
        ingest.close()
        deadline = time.monotonic() + 5
        while True:
            log = self.services.services[0].log_tail(lines=100000)
            if "request_id=ingest-fail-3" in log or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertRegex(log, r"\] request_id=ingest-fail-3 IngestArticle failed: "
                              r"INVALID_ARGUMENT: content is empty")
        self.assertNotRegex(log, r"request_id=\S+ /newsdesk")


if __name__ == "__main__":
    unittest.main()
