#!/usr/bin/python3
"""End-to-end test of the Python client against the real newsdesk binaries.

Starts newsdesk-ingest and newsdesk-query as subprocesses on free loopback
ports (port 0, read back from --port_file), ingests the seed articles of
data/seeds through NewsdeskClient, checks the answers of the query service,
and stops both services with SIGTERM, expecting exit status 0.

Environment:
  NEWSDESK_BIN_DIR  directory of the binaries (default REPO/build/bin)
  NEWSDESK_PY_GEN   directory of generated stubs (default: generate.sh is run
                    into a temporary directory)

Run with /usr/bin/python3 (Debian's grpcio and protobuf):
  /usr/bin/python3 clients/python/client_test.py -v
"""

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "testing"))
from newsdesk_services import Service, find_binary  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEEDS_DIR = os.path.join(REPO, "data", "seeds")

STARTUP_TIMEOUT_S = 60
PROPAGATION_TIMEOUT_S = 20
SHUTDOWN_TIMEOUT_S = 10


def read_seeds():
    """Returns [(file name, bytes)] of the seed articles, in name order."""
    seeds = []
    for name in sorted(os.listdir(SEEDS_DIR)):
        with open(os.path.join(SEEDS_DIR, name), "rb") as f:
            seeds.append((name, f.read()))
    return seeds


def load_stubs(work_dir):
    """Makes newsdesk_client importable, generating the stubs if needed."""
    gen_dir = os.environ.get("NEWSDESK_PY_GEN")
    if not gen_dir:
        gen_dir = os.path.join(work_dir, "gen")
        result = subprocess.run(
            [os.path.join(HERE, "generate.sh"), gen_dir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise AssertionError("generate.sh failed:\n" + result.stdout)
    os.environ["NEWSDESK_PY_GEN"] = gen_dir
    for path in (gen_dir, HERE):
        if path not in sys.path:
            sys.path.insert(0, path)
    import newsdesk_client
    return newsdesk_client


class NewsdeskClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        bin_dir = os.environ.get("NEWSDESK_BIN_DIR") or os.path.join(REPO, "build", "bin")
        ingest_bin = find_binary(bin_dir, "newsdesk-ingest")
        query_bin = find_binary(bin_dir, "newsdesk-query")

        cls.work_dir = tempfile.mkdtemp(prefix="newsdesk-client-test-")
        cls.services = []
        cls.client = None
        try:
            cls.nd = load_stubs(cls.work_dir)
            data_files = "--data_files_dir=" + os.path.join(REPO, "data")

            ingest = Service("ingest", ingest_bin, [
                "--listen=127.0.0.1:0", "--dev_mode_no_auth",
                "--data_dir=" + os.path.join(cls.work_dir, "ingest-data"),
                data_files], cls.work_dir)
            cls.services.append(ingest)
            ingest_port = ingest.wait_for_port(STARTUP_TIMEOUT_S)

            query = Service("query", query_bin, [
                "--listen=127.0.0.1:0", "--dev_mode_no_auth",
                "--ingest_address=127.0.0.1:%d" % ingest_port,
                "--data_dir=" + os.path.join(cls.work_dir, "query-data"),
                data_files], cls.work_dir)
            cls.services.append(query)
            query_port = query.wait_for_port(STARTUP_TIMEOUT_S)

            cls.client = cls.nd.NewsdeskClient(
                "127.0.0.1:%d" % ingest_port, "127.0.0.1:%d" % query_port)
            try:
                cls.client.wait_until_serving(timeout=STARTUP_TIMEOUT_S)
            except TimeoutError as e:
                raise AssertionError("%s\n%s" % (e, query.log_tail()))

            cls.seeds = read_seeds()
            cls.ids = {}  # seed file name -> article id
            cls.first_responses = {}
            for name, content in cls.seeds:
                response = cls.client.ingest(content, source="seed",
                                             external_id=name)
                cls.ids[name] = response.article.article_id
                cls.first_responses[name] = response
            cls._wait_until_queryable(set(cls.ids.values()))
        except BaseException:
            cls._stop_services()
            shutil.rmtree(cls.work_dir, ignore_errors=True)
            raise

    @classmethod
    def _wait_until_queryable(cls, article_ids):
        """The query service applies the article log asynchronously: waits
        until GetArticle finds every ingested article."""
        deadline = time.monotonic() + PROPAGATION_TIMEOUT_S
        missing = set(article_ids)
        while missing:
            for article_id in sorted(missing):
                try:
                    cls.client.get_article(article_id)
                    missing.discard(article_id)
                except grpc.RpcError as e:
                    if e.code() != grpc.StatusCode.NOT_FOUND:
                        raise
            if missing and time.monotonic() > deadline:
                raise AssertionError(
                    "query service did not see articles %s within %d s"
                    % (sorted(missing), PROPAGATION_TIMEOUT_S))
            if missing:
                time.sleep(0.1)

    @classmethod
    def _stop_services(cls):
        """Stops the query service, then ingest; returns {name: exit status}."""
        if cls.client is not None:
            cls.client.close()
            cls.client = None
        statuses = {}
        for service in reversed(cls.services):
            statuses[service.name] = (service.terminate(SHUTDOWN_TIMEOUT_S),
                                      service.log_tail())
        cls.services = []
        return statuses

    @classmethod
    def tearDownClass(cls):
        try:
            statuses = cls._stop_services()
        finally:
            shutil.rmtree(cls.work_dir, ignore_errors=True)
        bad = ["%s: %s\n%s" % (name, "still running after %d s of SIGTERM"
                                % SHUTDOWN_TIMEOUT_S if status is None
                                else "exit status %d" % status, log)
               for name, (status, log) in statuses.items() if status != 0]
        if bad:
            raise AssertionError("services did not shut down cleanly:\n"
                                 + "\n".join(bad))

    # --- helpers ----------------------------------------------------------

    def seed_ids(self, predicate):
        """Ids of the seeds whose text satisfies predicate(text)."""
        return {self.ids[name] for name, content in self.seeds
                if predicate(content.decode("utf-8"))}

    def ids_of(self, response):
        return [m.article.article_id for m in response.matches]

    # --- tests ------------------------------------------------------------

    def test_ingest_returns_new_articles(self):
        self.assertEqual(len(set(self.ids.values())), len(self.seeds))
        for name, response in self.first_responses.items():
            with self.subTest(seed=name):
                self.assertFalse(response.already_existed)
                self.assertRegex(response.article.article_id, r"^[0-9a-f]{16}$")
                self.assertEqual(response.article.name,
                                 "articles/" + response.article.article_id)
                self.assertEqual(response.article.source, "seed")
                self.assertEqual(response.article.external_id, name)
                self.assertGreater(response.article.log_sequence, 0)

    def test_ingest_same_content_again_returns_existing_article(self):
        name, content = self.seeds[0]
        response = self.client.ingest(content, source="seed", external_id=name)
        self.assertTrue(response.already_existed)
        self.assertEqual(response.article.article_id, self.ids[name])
        self.assertEqual(response.article.log_sequence,
                         self.first_responses[name].article.log_sequence)

    def test_ingest_empty_content_is_invalid_argument(self):
        with self.assertRaises(grpc.RpcError) as cm:
            self.client.ingest(b"")
        self.assertEqual(cm.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)

    def test_find_by_entity_matches_every_spelling(self):
        # The seeds spell the name Zelensky, Zelenskyy and Zelenskiy; each one
        # naming him must be found by any spelling.
        expected = self.seed_ids(lambda text: "Zelensk" in text)
        self.assertGreaterEqual(len(expected), 3)
        response = self.client.find_by_entity("Zelenskiy", page_size=100)
        self.assertCountEqual(self.ids_of(response), expected)
        self.assertEqual(response.total_size, len(expected))
        self.assertEqual(response.next_page_token, "")

    def test_find_by_date_range_returns_articles_dated_in_range(self):
        # Only seed 004 has a date line for 2023-04-26 ("date 2023-04-26").
        expected = {self.ids[n] for n, _ in self.seeds if n.startswith("004_")}
        response = self.client.find_by_date_range(
            datetime.datetime(2023, 4, 26, tzinfo=datetime.timezone.utc),
            datetime.datetime(2023, 4, 27, tzinfo=datetime.timezone.utc))
        self.assertEqual(set(self.ids_of(response)), expected)
        self.assertEqual(response.total_size, 1)

    def test_find_by_date_range_reads_written_out_dates(self):
        # Seed 001 is dated "March 17, 2023"; the other seeds give no date.
        expected = {self.ids[n] for n, _ in self.seeds if n.startswith("001_")}
        response = self.client.find_by_date_range(datetime.date(2023, 3, 17),
                                                  datetime.date(2023, 3, 18))
        self.assertEqual(set(self.ids_of(response)), expected)

    def test_find_by_topic_includes_subtopics(self):
        # Every seed is about the war in Ukraine: conflict, war and peace.
        response = self.client.find_by_topic("medtop:16000000", page_size=100)
        self.assertCountEqual(self.ids_of(response), self.ids.values())
        self.assertEqual(response.total_size, len(self.seeds))

    def test_get_article(self):
        name, content = self.seeds[1]
        article = self.client.get_article("articles/" + self.ids[name]).article
        self.assertEqual(article.article_id, self.ids[name])
        self.assertEqual(article.title, "China urges Ukraine talks as Bakhmut battle continues")
        self.assertGreater(article.word_count, 0)
        with self.assertRaises(grpc.RpcError) as cm:
            self.client.get_article("articles/0000000000000000")
        self.assertEqual(cm.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_list_entities(self):
        # One canonical entity gathers every spelling of Zelensky's name and
        # counts each seed article naming him once.
        response = self.client.list_entities(page_size=1000)
        zelensky = [e for e in response.entities
                    if any("Zelensk" in s for s in e.spellings)]
        self.assertEqual(len(zelensky), 1, [e.entity_id for e in zelensky])
        self.assertEqual(zelensky[0].article_count,
                         len(self.seed_ids(lambda text: "Zelensk" in text)))

    def test_list_topics(self):
        response = self.client.list_topics(page_size=1000)
        counts = {t.code: t.article_count for t in response.topics}
        self.assertEqual(counts.get("medtop:16000000"), len(self.seeds), counts)

    def test_list_topics_over_a_filter(self):
        # Only the seeds naming Zelensky count when the filter names him.
        naming = self.seed_ids(lambda text: "Zelensk" in text)
        response = self.client.list_topics(page_size=1000, any_entities=["Zelenskyy"])
        counts = {t.code: t.article_count for t in response.topics}
        self.assertEqual(counts.get("medtop:16000000"), len(naming), counts)

    def test_find_by_topic_exact_leaves_out_subtopics(self):
        # No seed is assigned the top-level topic itself, only topics below it.
        response = self.client.find_by_topic("medtop:16000000", exact=True, page_size=100)
        self.assertEqual(response.total_size, 0)
        # A topic assigned to an article finds it exactly.
        name, _ = self.seeds[0]
        article = self.client.get_article("articles/" + self.ids[name]).article
        assigned = [t.code for t in article.topics if not t.implied]
        self.assertTrue(assigned)
        response = self.client.find_by_topic(assigned[0], exact=True, page_size=100)
        self.assertIn(self.ids[name], self.ids_of(response))

    def test_read_mask_and_skip_explanations_list_the_same_articles(self):
        listing = ["article_id", "title", "publish_time"]
        calls = {
            "entity": lambda **kw: self.client.find_by_entity("Zelenskiy", **kw),
            "date range": lambda **kw: self.client.find_by_date_range(
                datetime.date(2023, 3, 1), datetime.date(2023, 5, 1), **kw),
            "topic": lambda **kw: self.client.find_by_topic("medtop:16000000", **kw),
            "search": lambda **kw: self.client.search(topics=["medtop:16000000"], **kw),
        }
        for name, call in calls.items():
            with self.subTest(call=name):
                whole = call(page_size=100)
                listed = call(page_size=100, read_mask=listing, skip_explanations=True)
                self.assertTrue(whole.matches)
                self.assertEqual(self.ids_of(listed), self.ids_of(whole))
                self.assertEqual(listed.total_size, whole.total_size)
                for match, full in zip(listed.matches, whole.matches):
                    self.assertLessEqual({f.name for f, _ in match.article.ListFields()},
                                         set(listing))
                    self.assertEqual(match.article.title, full.article.title)
                    self.assertEqual(match.article.publish_time, full.article.publish_time)
                    self.assertFalse(match.HasField("explanation"))
                    self.assertFalse(match.entity_matches)
                    self.assertFalse(match.matched_topics)
                self.assertTrue(any(m.article.title for m in listed.matches))
                self.assertTrue(all(m.HasField("explanation") for m in whole.matches))
                with self.assertRaises(grpc.RpcError) as cm:
                    call(read_mask=["publish_time.time"])
                self.assertEqual(cm.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
                self.assertIn("publish_time.time", cm.exception.details())

    def test_count_articles_per_day_and_topic(self):
        # Seed 001 is dated 2023-03-17 and seed 004 2023-04-26.
        response = self.client.count_articles(
            group_by=self.nd.query_pb2.COUNT_GROUP_BY_TOPIC,
            interval=self.nd.query_pb2.COUNT_INTERVAL_DAY,
            groups=["conflict, war and peace"],
            start=datetime.date(2023, 3, 17), end=datetime.date(2023, 3, 20))
        self.assertEqual(response.total_size, 1)
        self.assertEqual(len(response.groups), 1)
        group = response.groups[0]
        self.assertEqual(group.key, "medtop:16000000")
        self.assertEqual([b.article_count for b in group.buckets], [1, 0, 0])
        self.assertEqual(group.buckets[0].start_time.seconds,
                         int(datetime.datetime(2023, 3, 17, tzinfo=datetime.timezone.utc)
                             .timestamp()))

    def test_reclassify_under_the_same_release_changes_nothing(self):
        visited, updated = self.client.reclassify_all(max_entries=2)
        self.assertEqual(visited, len(self.seeds))
        self.assertEqual(updated, 0)

    def test_bad_requests_name_the_field(self):
        with self.assertRaises(grpc.RpcError) as cm:
            self.client.search(topics=["no such topic"])
        self.assertEqual(cm.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("unknown topic", cm.exception.details())


if __name__ == "__main__":
    unittest.main()
