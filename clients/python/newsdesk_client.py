"""A small Python client for the newsdesk ingest and query services.

NewsdeskClient wraps the generated newsdesk.v1 stubs: it takes plain Python
values (str or bytes content, datetime bounds) and returns the protobuf
responses unchanged, so every field of the API stays available. gRPC errors
propagate as grpc.RpcError; read `.code()` and `.details()` on them.

    from newsdesk_client import NewsdeskClient

    with NewsdeskClient("127.0.0.1:50051", "127.0.0.1:50052") as client:
        client.wait_until_serving(timeout=30)
        stored = client.ingest(open("story.txt", "rb").read(), source="Reuters")
        for match in client.find_by_entity("Zelenskiy").matches:
            print(match.article.article_id, match.article.title)

The generated stubs must be importable: run generate.sh, then either put its
output directory on PYTHONPATH, set NEWSDESK_PY_GEN to it, or leave it at the
default clients/python/gen. Run with /usr/bin/python3 (Debian's grpcio and
protobuf).
"""

import datetime
import importlib.util
import os
import sys
import time

import grpc


def _import_stubs():
    """Imports the generated modules, looking in NEWSDESK_PY_GEN or ./gen."""
    if importlib.util.find_spec("newsdesk") is None:
        gen_dir = os.environ.get("NEWSDESK_PY_GEN") or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "gen")
        if gen_dir not in sys.path:
            sys.path.insert(0, gen_dir)
    try:
        from grpc_health.v1 import health_pb2, health_pb2_grpc
        from newsdesk.v1 import article_pb2
        from newsdesk.v1 import ingest_service_pb2, ingest_service_pb2_grpc
        from newsdesk.v1 import query_service_pb2, query_service_pb2_grpc
    except ImportError as e:
        raise ImportError(
            "newsdesk Python stubs not found (%s): run clients/python/generate.sh "
            "[OUT_DIR] and set NEWSDESK_PY_GEN=OUT_DIR or put it on PYTHONPATH"
            % e) from e
    return (health_pb2, health_pb2_grpc, article_pb2, ingest_service_pb2,
            ingest_service_pb2_grpc, query_service_pb2, query_service_pb2_grpc)


(health_pb2, health_pb2_grpc, article_pb2, ingest_pb2, ingest_pb2_grpc,
 query_pb2, query_pb2_grpc) = _import_stubs()

_UTC = datetime.timezone.utc


def _to_timestamp(value, message):
    """Copies a datetime (naive means UTC) or date (midnight UTC) into a
    google.protobuf.Timestamp."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
    elif isinstance(value, datetime.date):
        value = datetime.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    else:
        raise TypeError("expected datetime or date, got %r" % (value,))
    message.FromDatetime(value.astimezone(_UTC).replace(tzinfo=None))


def to_datetime(timestamp):
    """Returns a google.protobuf.Timestamp as an aware UTC datetime."""
    return timestamp.ToDatetime().replace(tzinfo=_UTC)


class NewsdeskClient:
    """Calls the newsdesk IngestService and QueryService.

    Each method sends one RPC and returns its response message. `timeout` is
    the per-call deadline in seconds. The client owns its two channels;
    close() them, or use the client as a context manager.
    """

    def __init__(self, ingest_address, query_address, timeout=10.0):
        self._timeout = timeout
        self._ingest_channel = grpc.insecure_channel(ingest_address)
        self._query_channel = grpc.insecure_channel(query_address)
        self._ingest = ingest_pb2_grpc.IngestServiceStub(self._ingest_channel)
        self._query = query_pb2_grpc.QueryServiceStub(self._query_channel)
        self._query_health = health_pb2_grpc.HealthStub(self._query_channel)

    def close(self):
        self._ingest_channel.close()
        self._query_channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- Ingest -----------------------------------------------------------

    @staticmethod
    def raw_article(content, source=None, url=None, publish_time_hint=None,
                    content_type=None, language=None, external_id=None):
        """Builds a RawArticle. `content` is bytes or str (sent as UTF-8);
        `publish_time_hint` is a string the date parser reads, or a
        datetime/date (sent in ISO 8601); `content_type` is a ContentType
        value such as ingest_pb2.CONTENT_TYPE_HTML."""
        if isinstance(content, str):
            content = content.encode("utf-8")
        if isinstance(publish_time_hint, datetime.datetime):
            if publish_time_hint.tzinfo is None:
                publish_time_hint = publish_time_hint.replace(tzinfo=_UTC)
            publish_time_hint = publish_time_hint.isoformat()
        elif isinstance(publish_time_hint, datetime.date):
            publish_time_hint = publish_time_hint.isoformat()
        metadata = ingest_pb2.ArticleMetadata(
            source=source or "", url=url or "",
            publish_time_hint=publish_time_hint or "",
            language=language or "", external_id=external_id or "")
        return ingest_pb2.RawArticle(
            content=content,
            content_type=content_type or ingest_pb2.CONTENT_TYPE_UNSPECIFIED,
            metadata=metadata)

    def ingest(self, content, source=None, url=None, publish_time_hint=None,
               **kwargs):
        """Parses and stores one article; returns IngestArticleResponse.
        `already_existed` is True when the same content was stored before.
        Other RawArticle options (content_type, language, external_id) go in
        kwargs."""
        article = self.raw_article(content, source=source, url=url,
                                   publish_time_hint=publish_time_hint, **kwargs)
        return self._ingest.IngestArticle(
            ingest_pb2.IngestArticleRequest(article=article),
            timeout=self._timeout)

    def parse(self, content, **kwargs):
        """Parses one article without storing it; returns ParseArticleResponse."""
        return self._ingest.ParseArticle(
            ingest_pb2.ParseArticleRequest(article=self.raw_article(content, **kwargs)),
            timeout=self._timeout)

    def reclassify_all(self, every=False, max_entries=0):
        """Classifies the stored articles again with the classifier the ingest
        service runs now (those of another IPTC release, or every one with
        `every`), calling ReclassifyArticles until it reaches the end of the
        log; returns (visited, updated) article counts."""
        visited = updated = 0
        request = ingest_pb2.ReclassifyArticlesRequest(max_entries=max_entries, all=every)
        while True:
            response = self._ingest.ReclassifyArticles(request, timeout=self._timeout)
            visited += response.visited_count
            updated += response.updated_count
            if response.next_sequence == 0:
                return visited, updated
            request.start_sequence = response.next_sequence

    # --- Query ------------------------------------------------------------

    def get_article(self, name):
        """Returns GetArticleResponse for `articles/{id}` or a bare id."""
        return self._query.GetArticle(query_pb2.GetArticleRequest(name=name),
                                      timeout=self._timeout)

    def find_by_entity(self, name, page_size=0, page_token="", view=None,
                       read_mask=(), skip_explanations=False):
        """Articles naming an entity (canonical id or any spelling), newest
        first; returns FindArticlesByEntityResponse. `read_mask` and
        `skip_explanations` as in search()."""
        request = self._page_request(
            query_pb2.FindArticlesByEntityRequest(entity=name), page_size,
            page_token, view, read_mask, skip_explanations)
        return self._query.FindArticlesByEntity(request, timeout=self._timeout)

    def find_by_date_range(self, start, end, page_size=0, page_token="",
                           view=None, read_mask=(), skip_explanations=False):
        """Articles published in [start, end), newest first. Bounds are
        datetimes (naive ones are UTC) or dates (midnight UTC); returns
        FindArticlesByDateRangeResponse. `read_mask` and `skip_explanations`
        as in search()."""
        request = self._page_request(
            query_pb2.FindArticlesByDateRangeRequest(), page_size, page_token,
            view, read_mask, skip_explanations)
        _to_timestamp(start, request.start_time)
        _to_timestamp(end, request.end_time)
        return self._query.FindArticlesByDateRange(request, timeout=self._timeout)

    def find_by_topic(self, topic, page_size=0, page_token="", view=None,
                      exact=False, read_mask=(), skip_explanations=False):
        """Articles on an IPTC topic (qcode or English label) or one below it,
        newest first; with `exact`, only articles assigned that topic itself.
        Returns FindArticlesByTopicResponse. `read_mask` and
        `skip_explanations` as in search()."""
        request = self._page_request(
            query_pb2.FindArticlesByTopicRequest(topic=topic, exact=exact),
            page_size, page_token, view, read_mask, skip_explanations)
        return self._query.FindArticlesByTopic(request, timeout=self._timeout)

    @staticmethod
    def _page_request(request, page_size, page_token, view, read_mask,
                      skip_explanations):
        """Sets the paging and reading fields that SearchArticlesRequest and
        the FindArticlesBy* requests share; returns `request`."""
        request.page_size = page_size
        request.page_token = page_token
        request.view = view or query_pb2.ARTICLE_VIEW_UNSPECIFIED
        request.read_mask.paths.extend(read_mask)
        request.skip_explanations = skip_explanations
        return request

    @staticmethod
    def article_filter(any_entities=(), all_entities=(), start=None, end=None,
                       topics=(), exact_topics=False, sources=(), text="",
                       key_phrases=(), mentioned_start=None, mentioned_end=None):
        """An ArticleFilter: articles matching every given condition. Times
        are datetimes (naive ones are UTC) or dates (midnight UTC); `start`
        and `end` bound the publication time, `mentioned_start` and
        `mentioned_end` the dates an article mentions."""
        article_filter = query_pb2.ArticleFilter(
            any_entities=list(any_entities), all_entities=list(all_entities),
            topics=list(topics), exact_topics=exact_topics, sources=list(sources),
            text=text, key_phrases=list(key_phrases))
        for value, field in ((start, article_filter.start_time),
                             (end, article_filter.end_time),
                             (mentioned_start, article_filter.mentioned_start_time),
                             (mentioned_end, article_filter.mentioned_end_time)):
            if value is not None:
                _to_timestamp(value, field)
        return article_filter

    def search(self, order=None, page_size=0, page_token="", view=None,
               read_mask=(), skip_explanations=False, **conditions):
        """Articles matching every condition (the keyword arguments of
        article_filter; an empty call matches all); returns
        SearchArticlesResponse. `order` is a SearchOrder value. `read_mask`
        names the Article fields to return instead of the view's (such as
        ["article_id", "title", "publish_time"]); `skip_explanations` leaves
        each match's entity_matches, matched_topics and explanation out."""
        request = self._page_request(
            query_pb2.SearchArticlesRequest(
                filter=self.article_filter(**conditions),
                order=order or query_pb2.SEARCH_ORDER_UNSPECIFIED),
            page_size, page_token, view, read_mask, skip_explanations)
        return self._query.SearchArticles(request, timeout=self._timeout)

    def list_entities(self, prefix="", entity_type=None, page_size=0,
                      page_token=""):
        """Known entities, most named first; returns ListEntitiesResponse.
        `entity_type` is an EntityType value such as
        article_pb2.ENTITY_TYPE_PERSON."""
        request = query_pb2.ListEntitiesRequest(
            prefix=prefix,
            type=entity_type or article_pb2.ENTITY_TYPE_UNSPECIFIED,
            page_size=page_size, page_token=page_token)
        return self._query.ListEntities(request, timeout=self._timeout)

    def list_topics(self, parent_code="", page_size=0, page_token="",
                    **conditions):
        """Topics in use with their article counts, most used first, over the
        articles matching the conditions (the keyword arguments of
        article_filter: a date range, entities, ...); returns
        ListTopicsResponse."""
        request = query_pb2.ListTopicsRequest(
            parent_code=parent_code, page_size=page_size, page_token=page_token,
            filter=self.article_filter(**conditions))
        return self._query.ListTopics(request, timeout=self._timeout)

    def count_articles(self, group_by=None, interval=None, groups=(),
                       max_groups=0, **conditions):
        """Counts of the articles matching the conditions (the keyword
        arguments of article_filter), per group and per time bucket, for
        charts. `group_by` is a CountGroupBy value (query_pb2.
        COUNT_GROUP_BY_TOPIC, _ENTITY, _SOURCE), `interval` a CountInterval
        (query_pb2.COUNT_INTERVAL_DAY, _WEEK, _MONTH); `groups` picks topics
        (codes or labels), entities (any spelling) or sources. Returns
        CountArticlesResponse."""
        request = query_pb2.CountArticlesRequest(
            filter=self.article_filter(**conditions),
            group_by=group_by or query_pb2.COUNT_GROUP_BY_UNSPECIFIED,
            interval=interval or query_pb2.COUNT_INTERVAL_UNSPECIFIED,
            groups=list(groups), max_groups=max_groups)
        return self._query.CountArticles(request, timeout=self._timeout)

    # --- Health -----------------------------------------------------------

    def query_health(self, service=""):
        """The query service's grpc.health.v1 status, as a
        HealthCheckResponse.ServingStatus value."""
        response = self._query_health.Check(
            health_pb2.HealthCheckRequest(service=service), timeout=self._timeout)
        return response.status

    def wait_until_serving(self, timeout=30.0, service=""):
        """Blocks until the query service reports SERVING (it does once it has
        caught up with the article log). Raises TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while True:
            try:
                status = self.query_health(service)
                if status == health_pb2.HealthCheckResponse.SERVING:
                    return
                last = health_pb2.HealthCheckResponse.ServingStatus.Name(status)
            except grpc.RpcError as e:
                last = "%s: %s" % (e.code().name, e.details())
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    "query service not SERVING after %.0f s (last: %s)"
                    % (timeout, last))
            time.sleep(0.1)
