// newsdesk-scale-bench: newsdesk against PostgreSQL on the same articles and
// the same query shapes, from a load generator on the same machine.
//
//   1. ingests --articles articles (bench/scale_corpus: real stories replayed,
//      or generated) into a running ingest service, half by
//      BatchIngestArticles streams and half by concurrent IngestArticle
//      calls; between the halves it waits for the query service to apply
//      the first (its indexing pace), then times acknowledgement to
//      queryable under the second half's load (with the query service's
//      own histogram of stored-to-indexed delays over it, and what the
//      observer's own call takes under that load) and idle;
//   2. measures the query service's resident memory per article;
//   3. reads every article back (paging SearchArticles) and, with --pg, loads
//      the same rows into PostgreSQL: COPY for all but the last
//      --pg_insert_rows, which are INSERTed one per transaction by concurrent
//      connections (durable commits, as the ingest service's);
//   4. runs every query shape on both: latency (p50/p99, one caller; for
//      newsdesk also server side, from the /metrics histogram) and
//      closed-loop throughput with --threads callers, then a mixed load;
//   5. prints a table with the newsdesk/PostgreSQL ratios (and writes it as
//      Markdown to --markdown).
//
// bench/run_scale_bench.sh starts everything and is the way to run it.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_stats.h"
#include "bench/pg_client.h"
#include "bench/scale_corpus.h"
#include "common/model/article_convert.h"
#include "common/status/status_macros.h"
#include "common/taxonomy/taxonomy.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "ingest service address");
ABSL_FLAG(std::string, query, "127.0.0.1:50052", "query service address");
ABSL_FLAG(std::string, query_http, "",
          "query service HTTP address (host:port) for server-side latency from /metrics");
ABSL_FLAG(int, query_pid, 0, "query service process id, for its resident memory");
ABSL_FLAG(std::string, corpora, "../shared/corpora",
          "research corpora read in place; missing: generated articles");
ABSL_FLAG(std::string, data, "data", "the project's data folder");
ABSL_FLAG(int64_t, articles, 100000, "articles to ingest");
ABSL_FLAG(int, batch_size, 500, "articles per BatchIngestArticles stream");
ABSL_FLAG(int, ingest_concurrency, 16, "concurrent ingest streams or calls");
ABSL_FLAG(std::string, pg, "", "libpq connection string; empty: newsdesk only");
ABSL_FLAG(int64_t, pg_insert_rows, 20000,
          "rows INSERTed one per transaction (the rest are loaded by COPY)");
ABSL_FLAG(int, queries, 300, "latency samples per query shape and system");
ABSL_FLAG(int, threads, 8, "closed-loop callers for throughput");
ABSL_FLAG(double, seconds, 3, "seconds of closed-loop load per shape");
ABSL_FLAG(std::string, markdown, "", "also write the results table here, as Markdown");

namespace newsdesk::bench {
namespace {

using Stub = v1::QueryService::Stub;
using Rows = std::vector<std::vector<std::string>>;

std::shared_ptr<grpc::Channel> Channel(const std::string& address, int index) {
  // Distinct arguments give each caller its own connection.
  grpc::ChannelArguments args;
  args.SetInt("newsdesk.bench.channel", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

std::string PgTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", t, absl::UTCTimeZone());
}

// A time the services sent (always in range).
absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return FromProto(t, "publish_time").value_or(absl::InfinitePast());
}

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

// ---------------------------------------------------------------- ingest --

struct IngestFigures {
  std::string first_error;  // of the articles the ingest service refused
  double batch_per_s = 0, unary_per_s = 0;
  // The query service's pace over the batch half: articles over the time
  // from its start to the query service having applied all of them, and
  // how long after the last acknowledgement that was.
  double indexed_per_s = 0, catch_up_s = 0;
  // And how long after the last acknowledgement its link stage (stories,
  // near-copies) had linked them all.
  double link_catch_up_s = 0;
  Percentiles visible_loaded_ms, visible_idle_ms;
  // Acknowledgement to linked (its story and near-copy links queryable).
  Percentiles linked_loaded_ms;
  // The same wait for an article already queryable, asked again right
  // after each sample: what the observer's call itself takes under the load.
  Percentiles call_loaded_ms;
  // Every article of the unary half from stored by the ingest service to
  // indexed by the query service (its newsdesk_query_index_delay_seconds):
  // the part of ack to queryable before the index.
  Percentiles indexed_loaded_ms;
  int64_t stored = 0, failed = 0;
  double text_bytes = 0;  // raw content bytes sent
  std::string last_name;
};

// Waits until the query service has applied log `sequence` (a search with
// `min_log_position`, which the server answers as soon as it has: no polling
// that would take CPU from the services); milliseconds since `acked`. With
// `linked_ms`, then until it has linked it too (stories and near-copies),
// setting *linked_ms to the milliseconds since `acked` (unchanged when that
// takes over 10 s).
std::optional<double> WaitVisible(Stub& query, int64_t sequence, absl::Time acked,
                                  std::optional<double>* linked_ms = nullptr) {
  const absl::Time deadline = acked + absl::Seconds(10);
  auto reached = [&](bool linked) -> std::optional<double> {
    v1::SearchArticlesRequest wait;
    wait.set_page_size(1);
    wait.set_skip_explanations(true);
    wait.set_collapse_copies(linked);  // reads links: waits for the link stage
    wait.set_min_log_position(sequence);
    while (absl::Now() < deadline) {
      v1::SearchArticlesResponse ignored;
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(deadline));
      const grpc::Status status = query.SearchArticles(&context, wait, &ignored);
      if (status.ok()) return Ms(absl::Now() - acked);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;  // not a wait
    }
    return std::nullopt;
  };
  std::optional<double> visible = reached(false);
  if (visible && linked_ms != nullptr) {
    if (std::optional<double> linked = reached(true)) *linked_ms = *linked;
  }
  return visible;
}

IngestFigures Ingest(const ScaleCorpus& corpus, int64_t total) {
  IngestFigures f;
  const int concurrency = absl::GetFlag(FLAGS_ingest_concurrency);
  const int batch = absl::GetFlag(FLAGS_batch_size);
  std::atomic<int64_t> next{0}, stored{0}, failed{0}, bytes{0}, last_sequence{0};
  const int64_t half = total / 2;
  std::mutex error_mu;
  auto note = [&](const std::string& message, int64_t count) {
    failed += count;
    std::lock_guard<std::mutex> lock(error_mu);
    if (f.first_error.empty()) f.first_error = message;
  };

  // Half through BatchIngestArticles streams of --batch_size articles.
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      auto ingest = v1::IngestService::NewStub(Channel(absl::GetFlag(FLAGS_ingest), t));
      for (int64_t first = next.fetch_add(batch); first < half; first = next.fetch_add(batch)) {
        grpc::ClientContext context;
        v1::BatchIngestArticlesResponse response;
        auto writer = ingest->BatchIngestArticles(&context, &response);
        for (int64_t n = first; n < std::min(half, first + batch); ++n) {
          RawItem item = corpus.Article(n);
          bytes += item.content.size();
          v1::BatchIngestArticlesRequest request;
          request.mutable_article()->set_content(std::move(item.content));
          request.mutable_article()->mutable_metadata()->set_source(item.source);
          if (!writer->Write(request)) break;
        }
        writer->WritesDone();
        const grpc::Status status = writer->Finish();
        if (!status.ok()) {
          note(absl::StrCat("batch: ", status.error_message()), std::min(half, first + batch) - first);
          continue;
        }
        stored += response.stored_count();
        for (const auto& result : response.results()) {
          if (result.code() != 0) note(result.message(), 1);
          int64_t seen = last_sequence.load();
          while (result.log_sequence() > seen &&
                 !last_sequence.compare_exchange_weak(seen, result.log_sequence())) {
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  threads.clear();
  const absl::Time batch_end = absl::Now();
  f.batch_per_s = half / absl::ToDoubleSeconds(batch_end - start);
  std::cerr << absl::StrFormat("%s batch half acknowledged (%.0f/s); waiting for the query service\n",
                               absl::FormatTime("%H:%M:%S", absl::Now(), absl::UTCTimeZone()),
                               f.batch_per_s);

  // The unary half times ack to queryable under a steady load, so it starts
  // once the query service has applied the batch half (a bulk load faster
  // than it indexes leaves a backlog, measured here instead).
  auto query = v1::QueryService::NewStub(Channel(absl::GetFlag(FLAGS_query), 1000));
  // Waits until a search (folding near-copies: one that reads links) sees
  // the last acknowledged article.
  auto wait_for_last = [&](bool collapse_copies, absl::string_view waiting_for) {
    while (true) {
      v1::SearchArticlesRequest wait;
      wait.set_page_size(1);
      wait.set_collapse_copies(collapse_copies);
      wait.set_min_log_position(last_sequence.load());
      v1::SearchArticlesResponse ignored;
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
      const grpc::Status status = query->SearchArticles(&context, wait, &ignored);
      if (status.ok()) return;
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
          status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        note(absl::StrCat("waiting for ", waiting_for, ": ", status.error_message()), 0);
        return;
      }
    }
  };
  wait_for_last(false, "the query service");
  const absl::Time caught_up = absl::Now();
  f.catch_up_s = absl::ToDoubleSeconds(caught_up - batch_end);
  f.indexed_per_s = half / absl::ToDoubleSeconds(caught_up - start);
  wait_for_last(true, "the link stage");
  f.link_catch_up_s = absl::ToDoubleSeconds(absl::Now() - batch_end);

  // The other half by concurrent IngestArticle calls, while one observer
  // times acknowledgement to queryable for an article whenever it is free.
  std::mutex mu;
  std::condition_variable cv;
  std::optional<std::pair<int64_t, absl::Time>> sample;
  bool observer_free = true, done = false;
  std::vector<double> visible_loaded, linked_loaded, call_loaded;
  std::thread observer([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      cv.wait(lock, [&] { return sample.has_value() || done; });
      if (!sample) return;
      auto [sequence, acked] = *sample;
      sample.reset();
      lock.unlock();
      std::optional<double> linked;
      std::optional<double> ms = WaitVisible(*query, sequence, acked, &linked);
      std::optional<double> call;
      if (ms) call = WaitVisible(*query, sequence, absl::Now());
      lock.lock();
      if (ms) visible_loaded.push_back(*ms);
      if (linked) linked_loaded.push_back(*linked);
      if (call) call_loaded.push_back(*call);
      observer_free = true;
    }
  });
  // The query service's own index delays over the unary half.
  const std::string http = absl::GetFlag(FLAGS_query_http);
  auto index_delays = [&http]() {
    absl::StatusOr<std::string> text =
        http.empty() ? absl::StatusOr<std::string>("") : HttpGet(http, "/metrics");
    return HistogramOf(text.ok() ? *text : "", "newsdesk_query_index_delay_seconds", "");
  };
  const Histogram delays_before = index_delays();
  next = half;
  std::cerr << absl::StrFormat("%s caught up; unary half\n",
                               absl::FormatTime("%H:%M:%S", absl::Now(), absl::UTCTimeZone()));
  start = absl::Now();
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      auto ingest = v1::IngestService::NewStub(Channel(absl::GetFlag(FLAGS_ingest), t));
      for (int64_t n = next++; n < total; n = next++) {
        RawItem item = corpus.Article(n);
        bytes += item.content.size();
        v1::IngestArticleRequest request;
        request.mutable_article()->set_content(std::move(item.content));
        request.mutable_article()->mutable_metadata()->set_source(item.source);
        v1::IngestArticleResponse response;
        grpc::ClientContext context;
        const grpc::Status status = ingest->IngestArticle(&context, request, &response);
        const absl::Time acked = absl::Now();
        if (!status.ok()) {
          note(status.error_message(), 1);
          continue;
        }
        if (!response.already_existed()) ++stored;
        std::lock_guard<std::mutex> lock(mu);
        if (observer_free && !response.already_existed()) {
          observer_free = false;
          sample.emplace(response.article().log_sequence(), acked);
          cv.notify_one();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  f.unary_per_s = (total - half) / absl::ToDoubleSeconds(absl::Now() - start);
  {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_one();
  }
  observer.join();
  const Histogram delays = Subtract(index_delays(), delays_before);
  f.indexed_loaded_ms.p50 = Quantile(delays, 0.5) * 1000;
  f.indexed_loaded_ms.p99 = Quantile(delays, 0.99) * 1000;
  f.indexed_loaded_ms.count = delays.counts.empty() ? 0 : static_cast<size_t>(delays.counts.back());
  f.visible_loaded_ms = Summarize(visible_loaded);
  f.linked_loaded_ms = Summarize(linked_loaded);
  f.call_loaded_ms = Summarize(call_loaded);
  f.stored = stored;
  f.failed = failed;
  f.text_bytes = static_cast<double>(bytes.load());
  return f;
}

// Ingests `count` more articles one at a time on an idle system, timing
// each from acknowledgement to queryable.
Percentiles IdleVisibility(const ScaleCorpus& corpus, int64_t first, int count,
                           int64_t* stored) {
  auto ingest = v1::IngestService::NewStub(Channel(absl::GetFlag(FLAGS_ingest), 2000));
  auto query = v1::QueryService::NewStub(Channel(absl::GetFlag(FLAGS_query), 2000));
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    RawItem item = corpus.Article(first + i);
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(std::move(item.content));
    request.mutable_article()->mutable_metadata()->set_source(item.source);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    if (!ingest->IngestArticle(&context, request, &response).ok()) continue;
    const absl::Time acked = absl::Now();
    if (!response.already_existed()) ++*stored;
    if (auto v = WaitVisible(*query, response.article().log_sequence(), acked)) ms.push_back(*v);
  }
  return Summarize(ms);
}

// Waits until the query service counts `expected` articles.
absl::Status WaitIndexed(Stub& query, int64_t expected) {
  const absl::Time deadline = absl::Now() + absl::Minutes(30);
  while (absl::Now() < deadline) {
    v1::CountArticlesRequest request;
    v1::CountArticlesResponse response;
    grpc::ClientContext context;
    if (query.CountArticles(&context, request, &response).ok() &&
        response.total_size() >= expected) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  return absl::DeadlineExceededError("the query service did not catch up");
}

// ------------------------------------------------------- read back, load --

// What the query shapes draw their parameters from, read from the articles
// themselves so both systems are asked about data that exists.
struct Pools {
  std::vector<std::string> entities;  // most named first
  std::vector<std::string> topics;    // with ancestors, most used first
  std::vector<std::string> sources;   // as sent
  std::vector<std::string> word_pairs;
  std::map<std::string, int64_t> topic_counts, entity_counts;
  absl::Time first_time = absl::InfiniteFuture(), last_time = absl::InfinitePast();
};

const char kSchema[] = R"sql(
DROP TABLE IF EXISTS articles;
CREATE TABLE articles (
  id text PRIMARY KEY,
  source text NOT NULL,           -- lower case: the filter is case-insensitive
  publish_time timestamptz,
  entities text[] NOT NULL,       -- canonical entity ids
  topics text[] NOT NULL,         -- assigned IPTC codes and all their ancestors
  title text NOT NULL,
  body text NOT NULL,             -- title and paragraphs
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
  doc bytea NOT NULL              -- the article as newsdesk returns it (basic view)
);
)sql";

const char kIndexes[] = R"sql(
CREATE INDEX articles_entities ON articles USING gin (entities);
CREATE INDEX articles_topics ON articles USING gin (topics);
CREATE INDEX articles_tsv ON articles USING gin (tsv);
CREATE INDEX articles_time ON articles (publish_time, id);
CREATE INDEX articles_source ON articles (source);
)sql";

const char kInsert[] =
    "INSERT INTO articles (id, source, publish_time, entities, topics, title, body, doc) "
    "VALUES ($1, $2, NULLIF($3, '')::timestamptz, $4::text[], $5::text[], $6, $7, $8::bytea)";

struct PgRow {
  std::vector<std::string> values;  // as kInsert's parameters
};

// The article's topic codes and every topic above them.
std::set<std::string> TopicsWithAncestors(const v1::Article& article, const Taxonomy& taxonomy) {
  std::set<std::string> topics;
  for (const auto& t : article.topics()) {
    topics.insert(t.code());
    for (auto& a : taxonomy.Ancestors(t.code())) topics.insert(std::move(a));
  }
  return topics;
}

PgRow ToPgRow(const v1::Article& full, const Taxonomy& taxonomy) {
  const std::set<std::string> topics = TopicsWithAncestors(full, taxonomy);
  std::vector<std::string> entities;
  for (const auto& e : full.entities()) entities.push_back(e.entity_id());
  std::string body = full.title();
  for (const auto& p : full.paragraphs()) absl::StrAppend(&body, "\n", p);
  v1::Article basic = full;  // what ARTICLE_VIEW_BASIC leaves out
  basic.clear_paragraphs();
  basic.clear_key_points();
  basic.clear_removed_blocks();
  basic.clear_quotes();
  PgRow row;
  row.values = {full.article_id(),
                absl::AsciiStrToLower(full.source()),
                full.publish_time().has_time()
                    ? PgTime(TimeOf(full.publish_time().time()))
                    : std::string(),
                PgClient::ArrayLiteral(entities),
                PgClient::ArrayLiteral(std::vector<std::string>(topics.begin(), topics.end())),
                full.title(),
                body,
                absl::StrCat("\\x", absl::BytesToHexString(basic.SerializeAsString()))};
  return row;
}

std::string CopyLine(const PgRow& row) {
  std::vector<std::string> cols;
  for (size_t i = 0; i < row.values.size(); ++i) {
    cols.push_back(i == 2 && row.values[i].empty() ? "\\N" : PgClient::CopyEscape(row.values[i]));
  }
  return absl::StrCat(absl::StrJoin(cols, "\t"), "\n");
}

struct PgLoad {
  double copy_per_s = 0, insert_per_s = 0;
  Percentiles insert_ms;
  double index_s = 0;
};

// Pages through every article (oldest first) to fill the pools and, when
// `pg` is set, load PostgreSQL.
absl::StatusOr<Pools> ReadBack(Stub& query, int64_t total, const Taxonomy& taxonomy,
                               PgClient* pg, std::vector<PgRow>* insert_rows, double* copy_s) {
  Pools pools;
  std::map<std::string, int64_t> sources;
  std::string token, copy;
  int64_t seen = 0, copied = 0;
  const int64_t copy_limit = total - absl::GetFlag(FLAGS_pg_insert_rows);
  absl::Duration copying;
  auto flush = [&]() -> absl::Status {
    if (copy.empty()) return absl::OkStatus();
    const absl::Time s = absl::Now();
    absl::Status status = pg->Copy("articles (id, source, publish_time, entities, topics, title, body, doc)", copy);
    copying += absl::Now() - s;
    copy.clear();
    return status;
  };
  do {
    v1::SearchArticlesRequest request;
    request.set_order(v1::SEARCH_ORDER_PUBLISH_TIME_ASC);
    request.set_page_size(1000);
    request.set_page_token(token);
    request.set_view(pg ? v1::ARTICLE_VIEW_FULL : v1::ARTICLE_VIEW_BASIC);
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    RETURN_IF_ERROR(FromGrpc(query.SearchArticles(&context, request, &response)));
    for (const auto& match : response.matches()) {
      const v1::Article& a = match.article();
      for (const auto& t : TopicsWithAncestors(a, taxonomy)) ++pools.topic_counts[t];
      for (const auto& e : a.entities()) ++pools.entity_counts[e.entity_id()];
      ++sources[a.source()];
      if (a.publish_time().has_time()) {
        const absl::Time t = TimeOf(a.publish_time().time());
        pools.first_time = std::min(pools.first_time, t);
        pools.last_time = std::max(pools.last_time, t);
      }
      if (seen % 97 == 0 && pools.word_pairs.size() < 200) {
        std::vector<std::string> words;
        for (absl::string_view w : absl::StrSplit(a.title(), ' ')) {
          if (w.size() >= 5 && std::all_of(w.begin(), w.end(), absl::ascii_isalpha)) {
            words.push_back(absl::AsciiStrToLower(w));
          }
        }
        if (words.size() >= 2) pools.word_pairs.push_back(absl::StrCat(words[0], " ", words[1]));
      }
      if (pg) {
        PgRow row = ToPgRow(a, taxonomy);
        if (seen < copy_limit) {
          copy += CopyLine(row);
          if (++copied % 5000 == 0) {
            RETURN_IF_ERROR(flush());
          }
        } else {
          insert_rows->push_back(std::move(row));
        }
      }
      ++seen;
    }
    token = response.next_page_token();
  } while (!token.empty());
  if (pg) {
    RETURN_IF_ERROR(flush());
    *copy_s = absl::ToDoubleSeconds(copying);
  }
  auto by_count = [](const std::map<std::string, int64_t>& m) {
    std::vector<std::pair<int64_t, std::string>> v;
    for (const auto& [k, c] : m) v.push_back({-c, k});
    std::sort(v.begin(), v.end());
    std::vector<std::string> out;
    for (auto& [c, k] : v) out.push_back(k);
    return out;
  };
  pools.entities = by_count(pools.entity_counts);
  pools.topics = by_count(pools.topic_counts);
  pools.sources = by_count(sources);
  if (pools.entities.empty() || pools.topics.empty() || pools.word_pairs.empty()) {
    return absl::FailedPreconditionError("the articles read back name no entities or topics");
  }
  std::cout << absl::StrFormat("read back %d articles: %d entities, %d topics, %d sources\n",
                               seen, pools.entities.size(), pools.topics.size(),
                               pools.sources.size());
  return pools;
}

absl::StatusOr<PgLoad> LoadPostgres(const std::string& conninfo, PgClient& pg, Stub& query,
                                    int64_t total, const Taxonomy& taxonomy, Pools* pools) {
  PgLoad load;
  RETURN_IF_ERROR(pg.Exec(kSchema));
  std::vector<PgRow> insert_rows;
  double copy_s = 0;
  ASSIGN_OR_RETURN(*pools, ReadBack(query, total, taxonomy, &pg, &insert_rows, &copy_s));
  const int64_t copied = total - static_cast<int64_t>(insert_rows.size());
  load.copy_per_s = copy_s > 0 ? copied / copy_s : 0;
  absl::Time start = absl::Now();
  RETURN_IF_ERROR(pg.Exec(kIndexes));
  RETURN_IF_ERROR(pg.Exec("VACUUM ANALYZE articles"));
  load.index_s = absl::ToDoubleSeconds(absl::Now() - start);

  // One row per transaction, durable commit, concurrent connections.
  std::atomic<size_t> next{0};
  std::atomic<int64_t> failed{0};
  std::mutex error_mu;
  std::string first_error;
  auto note = [&](const absl::Status& s) {
    ++failed;
    std::lock_guard<std::mutex> lock(error_mu);
    if (first_error.empty()) first_error = s.ToString();
  };
  std::vector<std::vector<double>> ms(absl::GetFlag(FLAGS_ingest_concurrency));
  std::vector<std::thread> threads;
  start = absl::Now();
  for (size_t t = 0; t < ms.size(); ++t) {
    threads.emplace_back([&, t] {
      auto client = PgClient::Connect(conninfo);
      absl::Status prepared =
          client.ok() ? (*client)->Prepare("insert", kInsert) : client.status();
      if (!prepared.ok()) {
        note(prepared);
        return;
      }
      for (size_t i = next++; i < insert_rows.size(); i = next++) {
        const absl::Time s = absl::Now();
        absl::Status inserted = (*client)->Run("insert", insert_rows[i].values).status();
        if (inserted.ok()) {
          ms[t].push_back(Ms(absl::Now() - s));
        } else {
          note(inserted);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  if (failed > 0) {
    return absl::InternalError(absl::StrCat(failed.load(), " inserts failed, first: ", first_error));
  }
  std::vector<double> all;
  for (auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  load.insert_per_s =
      insert_rows.empty() ? 0 : insert_rows.size() / absl::ToDoubleSeconds(absl::Now() - start);
  load.insert_ms = Summarize(all);
  RETURN_IF_ERROR(pg.Exec("ANALYZE articles"));
  return load;
}

// ---------------------------------------------------------------- shapes --

// PostgreSQL statements, prepared on every connection. Each page query has a
// count query beside it because newsdesk returns the exact total with every
// page (`total_size`); deep pages and walks skip the count, as a careful
// client would after the first page.
const std::vector<std::pair<std::string, std::string>>& PgStatements() {
  static const auto* statements = new std::vector<std::pair<std::string, std::string>>{
      {"entity_page",
       "SELECT id, doc FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"entity_count", "SELECT count(*) FROM articles WHERE entities @> ARRAY[$1]::text[]"},
      {"range_page",
       "SELECT id, doc FROM articles WHERE publish_time >= $1 AND publish_time < $2 "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"range_count",
       "SELECT count(*) FROM articles WHERE publish_time >= $1 AND publish_time < $2"},
      {"topic_page",
       "SELECT id, doc FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"topic_count", "SELECT count(*) FROM articles WHERE topics @> ARRAY[$1]::text[]"},
      {"words_page",
       "SELECT id, doc FROM articles WHERE tsv @@ plainto_tsquery('simple', $1) "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"words_count",
       "SELECT count(*) FROM articles WHERE tsv @@ plainto_tsquery('simple', $1)"},
      {"combined_page",
       "SELECT id, doc FROM articles WHERE entities && $1::text[] "
       "AND topics @> ARRAY[$2]::text[] AND publish_time >= $3 AND publish_time < $4 "
       "AND source = ANY($5::text[]) ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"combined_count",
       "SELECT count(*) FROM articles WHERE entities && $1::text[] "
       "AND topics @> ARRAY[$2]::text[] AND publish_time >= $3 AND publish_time < $4 "
       "AND source = ANY($5::text[])"},
      {"facet_entities",
       "SELECT e, c, count(*) OVER () FROM (SELECT e, count(*) AS c FROM articles, "
       "unnest(entities) AS e WHERE topics @> ARRAY[$1]::text[] GROUP BY e) g "
       "ORDER BY c DESC, e LIMIT 10"},
      {"topic_range_page",
       "SELECT id, doc FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "AND publish_time >= $2 AND publish_time < $3 "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"topic_range_count",
       "SELECT count(*) FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "AND publish_time >= $2 AND publish_time < $3"},
      {"topic_range_entities",
       "SELECT e, count(*) AS c FROM articles, unnest(entities) AS e "
       "WHERE topics @> ARRAY[$1]::text[] AND publish_time >= $2 AND publish_time < $3 "
       "GROUP BY e ORDER BY c DESC, e LIMIT 10"},
      {"topic_range_sources",
       "SELECT source, count(*) AS c FROM articles "
       "WHERE topics @> ARRAY[$1]::text[] AND publish_time >= $2 AND publish_time < $3 "
       "GROUP BY source ORDER BY c DESC, source LIMIT 10"},
      {"series_month",
       "SELECT date_trunc('month', publish_time, 'UTC') AS m, count(*) FROM articles "
       "WHERE entities @> ARRAY[$1]::text[] GROUP BY m ORDER BY m"},
      {"cooccur",
       "SELECT e, count(*) FROM articles, unnest(entities) AS e "
       "WHERE entities @> ARRAY[$1]::text[] AND e <> $1 GROUP BY e "
       "ORDER BY count(*) DESC, e LIMIT 20"},
      {"deep_keyset",
       "SELECT id, doc FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "AND (publish_time, id) < ($2::timestamptz, $3) "
       "ORDER BY publish_time DESC, id DESC LIMIT 100"},
      {"deep_offset",
       "SELECT id, doc FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC OFFSET $2 LIMIT 100"},
      {"walk_first",
       "SELECT id, doc, publish_time FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 1000"},
      {"walk_next",
       "SELECT id, doc, publish_time FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "AND (publish_time, id) < ($2::timestamptz, $3) "
       "ORDER BY publish_time DESC, id DESC LIMIT 1000"},
      // What a client paging through needs to list the articles, as newsdesk
      // returns it with a read_mask of article_id, title and publish_time.
      {"deep_keyset_titles",
       "SELECT id, title, publish_time FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "AND (publish_time, id) < ($2::timestamptz, $3) "
       "ORDER BY publish_time DESC, id DESC LIMIT 100"},
      {"walk_first_titles",
       "SELECT id, title, publish_time FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 1000"},
      {"walk_next_titles",
       "SELECT id, title, publish_time FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "AND (publish_time, id) < ($2::timestamptz, $3) "
       "ORDER BY publish_time DESC, id DESC LIMIT 1000"},
      // The same for the pages of the mixed listing row.
      {"entity_page_titles",
       "SELECT id, title, publish_time FROM articles WHERE entities @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"range_page_titles",
       "SELECT id, title, publish_time FROM articles WHERE publish_time >= $1 "
       "AND publish_time < $2 ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"topic_page_titles",
       "SELECT id, title, publish_time FROM articles WHERE topics @> ARRAY[$1]::text[] "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"words_page_titles",
       "SELECT id, title, publish_time FROM articles "
       "WHERE tsv @@ plainto_tsquery('simple', $1) "
       "ORDER BY publish_time DESC, id DESC LIMIT 20"},
      {"combined_page_titles",
       "SELECT id, title, publish_time FROM articles WHERE entities && $1::text[] "
       "AND topics @> ARRAY[$2]::text[] AND publish_time >= $3 AND publish_time < $4 "
       "AND source = ANY($5::text[]) ORDER BY publish_time DESC, id DESC LIMIT 20"},
  };
  return *statements;
}

absl::StatusOr<std::unique_ptr<PgClient>> ConnectPrepared(const std::string& conninfo) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgClient> client, PgClient::Connect(conninfo));
  for (const auto& [name, sql] : PgStatements()) RETURN_IF_ERROR(client->Prepare(name, sql));
  return client;
}

absl::Status PgRun(PgClient& pg, const std::string& name, const std::vector<std::string>& params) {
  return pg.Run(name, params).status();
}

// Parses the `doc` column (bytea, text format: "\x" and hex) of every row
// into an article, as newsdesk's client parses the articles of a page.
absl::Status ParseDocs(const Rows& rows, int column) {
  std::string bytes;
  v1::Article article;
  for (const std::vector<std::string>& row : rows) {
    const absl::string_view hex = absl::string_view(row[column]).substr(2);
    bytes = absl::HexStringToBytes(hex);
    if (!article.ParseFromString(bytes)) return absl::DataLossError("a doc is no article");
  }
  return absl::OkStatus();
}

// The statement and its rows' parsing: a PostgreSQL side of a page shape.
struct PgPage {
  std::string statement;
  bool parse_docs = false;  // parse column 1, doc, of each row
};

absl::Status PgPageRun(PgClient& pg, const PgPage& page, const std::vector<std::string>& params) {
  ASSIGN_OR_RETURN(Rows rows, pg.Run(page.statement, params));
  return page.parse_docs ? ParseDocs(rows, 1) : absl::OkStatus();
}

// What a client that lists the articles it pages through asks for: a
// read_mask of ids, titles and times, and no explanations (it never reads
// why each matched). For SearchArticlesRequest and the FindArticlesBy*
// requests alike.
template <typename Request>
void MaskForListing(Request* request) {
  for (const char* path : {"article_id", "title", "publish_time"}) {
    request->mutable_read_mask()->add_paths(path);
  }
  request->set_skip_explanations(true);
}

// Asks `method` (SearchArticles or a FindArticlesBy* call) for a page of
// `request`, as a listing when `listed`.
template <typename Request, typename Response>
absl::Status CallPage(Stub& query,
                      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                      Request request, bool listed) {
  if (listed) MaskForListing(&request);
  Response response;
  grpc::ClientContext context;
  return FromGrpc((query.*method)(&context, request, &response));
}

// A page far down a large result: the newsdesk token and the PostgreSQL
// keyset (publish time and id of the last article before it).
struct DeepPage {
  std::string topic;
  int page = 0;  // 1-based page number the token fetches
  std::string token;
  std::string pg_time, pg_id;
};

absl::StatusOr<DeepPage> FindDeepPage(Stub& query, const Pools& pools, const std::string& topic) {
  DeepPage deep;
  deep.topic = topic;
  const int64_t count = pools.topic_counts.at(topic);
  const int pages_before = static_cast<int>(std::min<int64_t>(99, std::max<int64_t>(1, (count - 1) / 100)));
  for (int p = 0; p < pages_before; ++p) {
    v1::SearchArticlesRequest request;
    request.mutable_filter()->add_topics(topic);
    request.set_page_size(100);
    request.set_page_token(deep.token);
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    RETURN_IF_ERROR(FromGrpc(query.SearchArticles(&context, request, &response)));
    if (response.matches().empty()) return absl::NotFoundError("deep page ran out");
    const v1::Article& last = response.matches().rbegin()->article();
    deep.pg_id = last.article_id();
    deep.pg_time = PgTime(TimeOf(last.publish_time().time()));
    deep.token = response.next_page_token();
  }
  deep.page = pages_before + 1;
  return deep;
}

// PostgreSQL's plan of the keyset deep page, as it ran (EXPLAIN ANALYZE,
// the second of two runs, so with warm caches).
absl::StatusOr<std::string> ExplainDeepKeyset(PgClient& pg, const DeepPage& deep) {
  std::string sql;
  for (const auto& [name, statement] : PgStatements()) {
    if (name == "deep_keyset") sql = statement;
  }
  RETURN_IF_ERROR(pg.Prepare("explain_deep_keyset",
                             absl::StrCat("EXPLAIN (ANALYZE, BUFFERS) ", sql)));
  Rows rows;
  for (int run = 0; run < 2; ++run) {
    ASSIGN_OR_RETURN(rows, pg.Run("explain_deep_keyset", {deep.topic, deep.pg_time, deep.pg_id}));
  }
  std::string plan;
  for (const std::vector<std::string>& row : rows) absl::StrAppend(&plan, row[0], "\n");
  return plan;
}

struct Shape {
  std::string name;
  bool heavy = false;       // heavy shapes: the issue expects >= 10x PostgreSQL
  bool mixed = true;        // part of the mixed closed-loop load
  std::string method;       // the newsdesk RPC, for server-side latency
  int samples = 0;          // latency samples; 0: --queries
  std::function<absl::Status(Stub&, int64_t)> newsdesk;
  std::function<absl::Status(PgClient&, int64_t)> postgres;
  // The same query as a listing, for the mixed listing row: a page of ids,
  // titles and times (MaskForListing; PostgreSQL's id, title and
  // publish_time columns). Unset for shapes that return no articles: the
  // listing row runs them as they are.
  std::function<absl::Status(Stub&, int64_t)> listed_newsdesk;
  std::function<absl::Status(PgClient&, int64_t)> listed_postgres;
};

template <typename Request>
void SetYears(Request* r, int first_year, int years) {
  ToProto(absl::FromCivil(absl::CivilYear(first_year), absl::UTCTimeZone()), r->mutable_start_time());
  ToProto(absl::FromCivil(absl::CivilYear(first_year + years), absl::UTCTimeZone()),
          r->mutable_end_time());
}

// Every query shape, newsdesk and PostgreSQL side by side. To add one (for
// example SearchArticles facets), add an entry here.
std::vector<Shape> BuildShapes(const Pools& pools, const std::vector<DeepPage>& deep) {
  const size_t top_entities = std::min<size_t>(200, pools.entities.size());
  const size_t top_topics = std::min<size_t>(30, pools.topics.size());
  auto entity = [&pools, top_entities](int64_t i) {
    return pools.entities[(i * 7) % top_entities];
  };
  auto topic = [&pools, top_topics](int64_t i) { return pools.topics[(i * 5) % top_topics]; };
  const absl::CivilMonth first_month =
      absl::ToCivilMonth(pools.first_time, absl::UTCTimeZone());
  const int64_t months =
      std::max<int64_t>(1, absl::ToCivilMonth(pools.last_time, absl::UTCTimeZone()) - first_month);
  auto month = [first_month, months](int64_t i) { return first_month + (i * 13) % months; };
  const int first_year = static_cast<int>(absl::ToCivilYear(pools.first_time, absl::UTCTimeZone()).year());
  const int years = std::max(1, static_cast<int>(absl::ToCivilYear(pools.last_time, absl::UTCTimeZone()).year()) - first_year);
  auto sources = [&pools](int64_t i) {
    std::vector<std::string> out;
    for (size_t k = 0; k < std::min<size_t>(3, pools.sources.size()); ++k) {
      out.push_back(pools.sources[(i + k) % pools.sources.size()]);
    }
    return out;
  };
  auto lower = [](std::vector<std::string> v) {
    for (auto& s : v) s = absl::AsciiStrToLower(s);
    return v;
  };

  // The simple shapes' PostgreSQL side: a page of 20 and its count. Each is
  // measured twice: against the page's rows as received (`doc` unparsed),
  // and with `doc` parsed by the client as newsdesk's client parses its
  // articles (rows named "PG docs parsed"). As a listing (`titles`), the
  // page is its "_titles" statement: id, title and publish_time.
  struct PageAndCount {
    std::string page, count;
    std::function<std::vector<std::string>(int64_t)> params;
  };
  auto page_and_count = [](const PageAndCount& pc, bool parse_docs, bool titles = false) {
    const std::string page = titles ? pc.page + "_titles" : pc.page;
    return [=](PgClient& pg, int64_t i) -> absl::Status {
      const std::vector<std::string> p = pc.params(i);
      RETURN_IF_ERROR(PgPageRun(pg, {page, parse_docs}, p));
      return PgRun(pg, pc.count, p);
    };
  };
  const std::vector<std::string> word_pairs = pools.word_pairs;
  const std::vector<PageAndCount> simple_pg = {
      {"entity_page", "entity_count", [=](int64_t i) { return std::vector{entity(i)}; }},
      {"range_page", "range_count",
       [=](int64_t i) {
         return std::vector{PgTime(absl::FromCivil(month(i), absl::UTCTimeZone())),
                            PgTime(absl::FromCivil(month(i) + 1, absl::UTCTimeZone()))};
       }},
      {"topic_page", "topic_count", [=](int64_t i) { return std::vector{topic(i)}; }},
      {"words_page", "words_count",
       [=](int64_t i) { return std::vector{word_pairs[i % word_pairs.size()]}; }},
  };

  // The page shapes' newsdesk side: the request `make(i)` sent to `method`,
  // as a listing when `listed`.
  auto page_call = [](auto make, auto method) {
    return [=](bool listed) {
      return [=](Stub& q, int64_t i) { return CallPage(q, method, make(i), listed); };
    };
  };
  auto by_entity = page_call(
      [=](int64_t i) {
        v1::FindArticlesByEntityRequest r;
        r.set_entity(entity(i));
        return r;
      },
      &Stub::FindArticlesByEntity);
  auto by_month = page_call(
      [=](int64_t i) {
        v1::FindArticlesByDateRangeRequest r;
        ToProto(absl::FromCivil(month(i), absl::UTCTimeZone()), r.mutable_start_time());
        ToProto(absl::FromCivil(month(i) + 1, absl::UTCTimeZone()), r.mutable_end_time());
        return r;
      },
      &Stub::FindArticlesByDateRange);
  auto by_topic = page_call(
      [=](int64_t i) {
        v1::FindArticlesByTopicRequest r;
        r.set_topic(topic(i));
        return r;
      },
      &Stub::FindArticlesByTopic);
  auto by_words = page_call(
      [=](int64_t i) {
        v1::SearchArticlesRequest r;
        r.mutable_filter()->set_text(word_pairs[i % word_pairs.size()]);
        return r;
      },
      &Stub::SearchArticles);
  auto combined = page_call(
      [=](int64_t i) {
        v1::SearchArticlesRequest r;
        r.mutable_filter()->add_any_entities(entity(i));
        r.mutable_filter()->add_topics(topic(i % 10));
        SetYears(r.mutable_filter(), first_year + static_cast<int>(i % years), 2);
        for (const auto& s : sources(i)) r.mutable_filter()->add_sources(s);
        return r;
      },
      &Stub::SearchArticles);
  auto combined_pg = [=](bool titles) {
    const std::string page = titles ? "combined_page_titles" : "combined_page";
    return [=](PgClient& pg, int64_t i) {
      const int y = first_year + static_cast<int>(i % years);
      const std::vector<std::string> p = {
          PgClient::ArrayLiteral({entity(i)}), topic(i % 10),
          PgTime(absl::FromCivil(absl::CivilYear(y), absl::UTCTimeZone())),
          PgTime(absl::FromCivil(absl::CivilYear(y + 2), absl::UTCTimeZone())),
          PgClient::ArrayLiteral(lower(sources(i)))};
      RETURN_IF_ERROR(PgRun(pg, page, p));
      return PgRun(pg, "combined_count", p);
    };
  };

  std::vector<Shape> shapes;
  shapes.push_back({"entity (page of 20 + total)", false, true, "FindArticlesByEntity", 0,
                    by_entity(false), page_and_count(simple_pg[0], false), by_entity(true),
                    page_and_count(simple_pg[0], false, true)});
  shapes.push_back({"date range, one month", false, true, "FindArticlesByDateRange", 0,
                    by_month(false), page_and_count(simple_pg[1], false), by_month(true),
                    page_and_count(simple_pg[1], false, true)});
  shapes.push_back({"topic with descendants", false, true, "FindArticlesByTopic", 0,
                    by_topic(false), page_and_count(simple_pg[2], false), by_topic(true),
                    page_and_count(simple_pg[2], false, true)});
  shapes.push_back({"words (two, all must occur)", false, true, "SearchArticles", 0,
                    by_words(false), page_and_count(simple_pg[3], false), by_words(true),
                    page_and_count(simple_pg[3], false, true)});
  for (size_t k = 0; k < simple_pg.size(); ++k) {
    Shape parsed = shapes[k];
    parsed.name += ", PG docs parsed";
    parsed.mixed = false;
    parsed.postgres = page_and_count(simple_pg[k], true);
    shapes.push_back(std::move(parsed));
  }
  shapes.push_back({"combined: entity+topic+2 years+3 sources", true, true, "SearchArticles", 0,
                    combined(false), combined_pg(false), combined(true), combined_pg(true)});
  // Not in the mixed load, which keeps the shapes of the earlier runs.
  shapes.push_back({"combined with facets: topic+2 years, page of 20, top 10 entities and sources",
                    true, false, "SearchArticles", 0,
                    [=](Stub& q, int64_t i) {
                      v1::SearchArticlesRequest r;
                      r.mutable_filter()->add_topics(topic(i));
                      SetYears(r.mutable_filter(), first_year + static_cast<int>(i % years), 2);
                      for (const v1::CountGroupBy by :
                           {v1::COUNT_GROUP_BY_ENTITY, v1::COUNT_GROUP_BY_SOURCE}) {
                        v1::SearchFacetSpec* facet = r.add_facets();
                        facet->set_group_by(by);
                        facet->set_max_groups(10);
                      }
                      v1::SearchArticlesResponse resp;
                      grpc::ClientContext c;
                      return FromGrpc(q.SearchArticles(&c, r, &resp));
                    },
                    [=](PgClient& pg, int64_t i) {
                      const int y = first_year + static_cast<int>(i % years);
                      const std::vector<std::string> p = {
                          topic(i), PgTime(absl::FromCivil(absl::CivilYear(y), absl::UTCTimeZone())),
                          PgTime(absl::FromCivil(absl::CivilYear(y + 2), absl::UTCTimeZone()))};
                      for (const char* statement : {"topic_range_page", "topic_range_count",
                                                    "topic_range_entities", "topic_range_sources"}) {
                        RETURN_IF_ERROR(PgRun(pg, statement, p));
                      }
                      return absl::OkStatus();
                    }});
  shapes.push_back({"facets: top 10 entities of a topic", true, true, "CountArticles", 0,
                    [=](Stub& q, int64_t i) {
                      v1::CountArticlesRequest r;
                      r.mutable_filter()->add_topics(topic(i));
                      r.set_group_by(v1::COUNT_GROUP_BY_ENTITY);
                      r.set_max_groups(10);
                      v1::CountArticlesResponse resp;
                      grpc::ClientContext c;
                      return FromGrpc(q.CountArticles(&c, r, &resp));
                    },
                    [=](PgClient& pg, int64_t i) {
                      RETURN_IF_ERROR(PgRun(pg, "facet_entities", {topic(i)}));
                      return PgRun(pg, "topic_count", {topic(i)});
                    }});
  shapes.push_back({"time series: an entity per month", true, true, "CountArticles", 0,
                    [=](Stub& q, int64_t i) {
                      v1::CountArticlesRequest r;
                      r.mutable_filter()->add_any_entities(entity(i));
                      r.set_interval(v1::COUNT_INTERVAL_MONTH);
                      v1::CountArticlesResponse resp;
                      grpc::ClientContext c;
                      return FromGrpc(q.CountArticles(&c, r, &resp));
                    },
                    [=](PgClient& pg, int64_t i) { return PgRun(pg, "series_month", {entity(i)}); }});
  shapes.push_back({"entity list: co-occurring entities", true, true, "ListEntities", 0,
                    [=](Stub& q, int64_t i) {
                      v1::ListEntitiesRequest r;
                      r.set_cooccurs_with(entity(i));
                      v1::ListEntitiesResponse resp;
                      grpc::ClientContext c;
                      return FromGrpc(q.ListEntities(&c, r, &resp));
                    },
                    [=](PgClient& pg, int64_t i) { return PgRun(pg, "cooccur", {entity(i)}); }});
  // Deep pages and walks three ways: as newsdesk returns them (the basic
  // view, which its client parses) against PostgreSQL's rows as received
  // (`doc` unparsed); the same against PostgreSQL's rows with `doc` parsed
  // the same way; and what a client listing the articles needs on both
  // sides (a read_mask of id, title and time, without explanations; those
  // columns).
  struct PageWay {
    std::string suffix;
    bool masked;
    PgPage deep, walk_first, walk_next;
  };
  const std::vector<PageWay> ways = {
      {"", false, {"deep_keyset"}, {"walk_first"}, {"walk_next"}},
      {", PG docs parsed", false, {"deep_keyset", true}, {"walk_first", true},
       {"walk_next", true}},
      {", ids, titles, times only (read_mask, no explanations; PG columns)", true, {"deep_keyset_titles"},
       {"walk_first_titles"}, {"walk_next_titles"}},
  };
  if (!deep.empty()) {
    auto newsdesk_deep = [=](bool masked) {
      return [=](Stub& q, int64_t i) {
        const DeepPage& d = deep[i % deep.size()];
        v1::SearchArticlesRequest r;
        r.mutable_filter()->add_topics(d.topic);
        r.set_page_size(100);
        r.set_page_token(d.token);
        if (masked) MaskForListing(&r);
        v1::SearchArticlesResponse resp;
        grpc::ClientContext c;
        return FromGrpc(q.SearchArticles(&c, r, &resp));
      };
    };
    const std::string page = absl::StrCat("deep page ", deep[0].page, " of a topic, 100 per page");
    for (const PageWay& way : ways) {
      shapes.push_back({absl::StrCat(page, " (PG keyset", way.suffix, ")"), true, false,
                        "SearchArticles", 0, newsdesk_deep(way.masked),
                        [=](PgClient& pg, int64_t i) {
                          const DeepPage& d = deep[i % deep.size()];
                          return PgPageRun(pg, way.deep, {d.topic, d.pg_time, d.pg_id});
                        }});
    }
    shapes.push_back({page + " (PG OFFSET)", true, false, "SearchArticles", 0,
                      newsdesk_deep(false), [=](PgClient& pg, int64_t i) {
                        const DeepPage& d = deep[i % deep.size()];
                        return PgRun(pg, "deep_offset", {d.topic, absl::StrCat((d.page - 1) * 100)});
                      }});
  }
  const std::string walked = pools.entities[0];
  for (const PageWay& way : ways) {
    shapes.push_back({absl::StrCat("every page of the top entity (", pools.entity_counts.at(walked),
                                   "), 1000 per page", way.suffix),
                      true, false, "SearchArticles", 10,
                      [=](Stub& q, int64_t) {
                        std::string token;
                        do {
                          v1::SearchArticlesRequest r;
                          r.mutable_filter()->add_any_entities(walked);
                          r.set_page_size(1000);
                          r.set_page_token(token);
                          if (way.masked) MaskForListing(&r);
                          v1::SearchArticlesResponse resp;
                          grpc::ClientContext c;
                          RETURN_IF_ERROR(FromGrpc(q.SearchArticles(&c, r, &resp)));
                          token = resp.next_page_token();
                        } while (!token.empty());
                        return absl::OkStatus();
                      },
                      [=](PgClient& pg, int64_t) -> absl::Status {
                        ASSIGN_OR_RETURN(Rows rows, pg.Run(way.walk_first.statement, {walked}));
                        if (way.walk_first.parse_docs) RETURN_IF_ERROR(ParseDocs(rows, 1));
                        while (rows.size() == 1000) {
                          const std::vector<std::string> last = rows.back();
                          ASSIGN_OR_RETURN(rows, pg.Run(way.walk_next.statement,
                                                        {walked, last[2], last[0]}));
                          if (way.walk_next.parse_docs) RETURN_IF_ERROR(ParseDocs(rows, 1));
                        }
                        return absl::OkStatus();
                      }});
  }
  return shapes;
}

// ------------------------------------------------------------- measuring --

struct Figures {
  Percentiles client_ms;
  double server_p50_ms = -1, server_p99_ms = -1;  // -1: not measured
  double qps = 0;
  int64_t errors = 0;
  std::string first_error;
  double slowest_loop_ms = 0;  // the slowest call of the closed loop
};

template <typename Fn>
void TimeCalls(int samples, Fn call, Figures* f) {
  std::vector<double> ms;
  for (int i = 0; i < samples; ++i) {
    const absl::Time start = absl::Now();
    absl::Status status = call(i);
    if (!status.ok()) {
      if (f->errors++ == 0) f->first_error = status.ToString();
      continue;
    }
    ms.push_back(Ms(absl::Now() - start));
  }
  f->client_ms = Summarize(ms);
}

// Closed loop: each thread calls again as soon as its call returns, for
// --seconds. `call(thread, i)`. Sets f->qps (successful calls over the time
// until the last call returned), adds the failures to f->errors and keeps
// the slowest call (a stall shows there).
template <typename Fn>
void ClosedLoop(int threads, Fn call, Figures* f) {
  const absl::Duration duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::atomic<int64_t> done{0}, errors{0};
  std::mutex mu;
  std::string first_error;                      // guarded by mu
  std::vector<absl::Duration> slowest(threads);  // per thread
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int64_t i = t * 1000003LL; absl::Now() - start < duration; ++i) {
        const absl::Time called = absl::Now();
        const absl::Status status = call(t, i);
        slowest[t] = std::max(slowest[t], absl::Now() - called);
        if (status.ok()) {
          ++done;
        } else if (errors++ == 0) {
          std::lock_guard<std::mutex> lock(mu);
          first_error = status.ToString();
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  f->qps = done / absl::ToDoubleSeconds(absl::Now() - start);
  f->errors += errors;
  if (f->first_error.empty()) f->first_error = first_error;
  for (const absl::Duration d : slowest) f->slowest_loop_ms = std::max(f->slowest_loop_ms, Ms(d));
}

Figures MeasureNewsdesk(const Shape& shape, std::vector<std::unique_ptr<Stub>>& stubs) {
  Figures f;
  const std::string http = absl::GetFlag(FLAGS_query_http);
  Histogram before;
  if (!http.empty()) {
    if (auto text = HttpGet(http, "/metrics"); text.ok()) before = LatencyHistogram(*text, shape.method);
  }
  TimeCalls(shape.samples ? shape.samples : absl::GetFlag(FLAGS_queries),
            [&](int i) { return shape.newsdesk(*stubs[0], i); }, &f);
  if (!http.empty()) {
    if (auto text = HttpGet(http, "/metrics"); text.ok()) {
      const Histogram delta = Subtract(LatencyHistogram(*text, shape.method), before);
      f.server_p50_ms = Quantile(delta, 0.5) * 1000;
      f.server_p99_ms = Quantile(delta, 0.99) * 1000;
    }
  }
  ClosedLoop(static_cast<int>(stubs.size()),
             [&](int t, int64_t i) { return shape.newsdesk(*stubs[t], i); }, &f);
  return f;
}

Figures MeasurePostgres(const Shape& shape, std::vector<std::unique_ptr<PgClient>>& clients) {
  Figures f;
  TimeCalls(shape.samples ? shape.samples : absl::GetFlag(FLAGS_queries),
            [&](int i) { return shape.postgres(*clients[0], i); }, &f);
  ClosedLoop(static_cast<int>(clients.size()),
             [&](int t, int64_t i) { return shape.postgres(*clients[t], i); }, &f);
  return f;
}

std::string Cell(const Percentiles& p) { return absl::StrFormat("%.2f / %.2f", p.p50, p.p99); }

std::string Rate(double per_s) {
  return absl::StrFormat(per_s < 10 ? "%.2f" : "%.0f", per_s);
}

std::string Ratio(double newsdesk, double postgres) {
  if (newsdesk <= 0 || postgres <= 0) return "-";
  return absl::StrFormat("%.1fx", postgres / newsdesk);
}

int Main() {
  const int64_t total = absl::GetFlag(FLAGS_articles);
  if (total <= 0 || absl::GetFlag(FLAGS_threads) <= 0 || absl::GetFlag(FLAGS_queries) <= 0) {
    std::cerr << "--articles, --threads and --queries must be positive\n";
    return 2;
  }
  absl::StatusOr<ScaleCorpus> corpus =
      ScaleCorpus::Load(absl::GetFlag(FLAGS_corpora), absl::GetFlag(FLAGS_data));
  if (!corpus.ok()) {
    std::cerr << corpus.status() << "\n";
    return 1;
  }
  absl::StatusOr<std::unique_ptr<Taxonomy>> taxonomy = Taxonomy::LoadFromFile(
      absl::GetFlag(FLAGS_data) + "/iptc/mediatopics.tsv", "bench");
  if (!taxonomy.ok()) {
    std::cerr << taxonomy.status() << "\n";
    return 1;
  }
  std::cout << "articles: " << total << ", " << corpus->description() << "\n";
  const int pid = absl::GetFlag(FLAGS_query_pid);
  const int64_t rss_before = pid > 0 ? ResidentBytes(pid).value_or(0) : 0;

  IngestFigures ingest = Ingest(*corpus, total);
  std::cout << absl::StrFormat(
      "newsdesk ingest: batch %.0f articles/s, concurrent unary %.0f articles/s "
      "(%d stored, %d failed)\n",
      ingest.batch_per_s, ingest.unary_per_s, ingest.stored, ingest.failed);
  if (ingest.failed > 0) std::cout << "  first refusal: " << ingest.first_error << "\n";
  auto query = v1::QueryService::NewStub(Channel(absl::GetFlag(FLAGS_query), 3000));
  if (absl::Status s = WaitIndexed(*query, ingest.stored); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  ingest.visible_idle_ms = IdleVisibility(*corpus, total, 200, &ingest.stored);
  if (absl::Status s = WaitIndexed(*query, ingest.stored); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  const int64_t rss_after = pid > 0 ? ResidentBytes(pid).value_or(0) : 0;
  const double text_per_article = ingest.text_bytes / total;
  const double rss_per_article =
      ingest.stored > 0 ? static_cast<double>(rss_after - rss_before) / ingest.stored : 0;

  Pools pools;
  std::optional<PgLoad> pg_load;
  std::unique_ptr<PgClient> pg;
  const std::string conninfo = absl::GetFlag(FLAGS_pg);
  if (!conninfo.empty()) {
    absl::StatusOr<std::unique_ptr<PgClient>> client = PgClient::Connect(conninfo);
    absl::StatusOr<PgLoad> load =
        client.ok() ? LoadPostgres(conninfo, **client, *query, ingest.stored, **taxonomy, &pools)
                    : absl::StatusOr<PgLoad>(client.status());
    if (!load.ok()) {
      std::cerr << "PostgreSQL: " << load.status() << "\n";
      return 1;
    }
    pg_load = *load;
    pg = std::move(*client);
  } else {
    absl::StatusOr<Pools> p = ReadBack(*query, ingest.stored, **taxonomy, nullptr, nullptr, nullptr);
    if (!p.ok()) {
      std::cerr << p.status() << "\n";
      return 1;
    }
    pools = std::move(*p);
  }

  std::vector<DeepPage> deep;
  for (size_t k = 0; k < std::min<size_t>(3, pools.topics.size()); ++k) {
    absl::StatusOr<DeepPage> d = FindDeepPage(*query, pools, pools.topics[k]);
    if (d.ok() && (deep.empty() || d->page == deep[0].page)) deep.push_back(*d);
  }
  const std::vector<Shape> shapes = BuildShapes(pools, deep);
  std::string deep_plan;
  if (pg && !deep.empty()) {
    absl::StatusOr<std::string> plan = ExplainDeepKeyset(*pg, deep[0]);
    deep_plan = plan.ok() ? *plan : plan.status().ToString();
    std::cout << "PostgreSQL's plan of the keyset deep page (topic " << deep[0].topic
              << ", page " << deep[0].page << "):\n" << deep_plan;
  }

  const int threads = absl::GetFlag(FLAGS_threads);
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int t = 0; t < threads; ++t) {
    stubs.push_back(v1::QueryService::NewStub(Channel(absl::GetFlag(FLAGS_query), 4000 + t)));
  }
  std::vector<std::unique_ptr<PgClient>> pg_clients;
  if (pg) {
    for (int t = 0; t < threads; ++t) {
      absl::StatusOr<std::unique_ptr<PgClient>> c = ConnectPrepared(conninfo);
      if (!c.ok()) {
        std::cerr << c.status() << "\n";
        return 1;
      }
      pg_clients.push_back(std::move(*c));
    }
  }

  std::ostringstream md;
  md << absl::StrFormat("Articles: %d (%s); %d callers in the closed loops, %.1f s each.\n\n",
                        ingest.stored, corpus->description(), threads,
                        absl::GetFlag(FLAGS_seconds));
  md << "| ingest and memory | newsdesk | PostgreSQL |\n|---|---|---|\n";
  md << absl::StrFormat(
      "| durable ingest, BatchIngestArticles (%d per stream, %d streams) | %.0f articles/s | "
      "COPY: %s |\n",
      absl::GetFlag(FLAGS_batch_size), absl::GetFlag(FLAGS_ingest_concurrency),
      ingest.batch_per_s,
      pg_load ? absl::StrFormat("%.0f rows/s, then indexes + VACUUM ANALYZE %.1f s",
                                pg_load->copy_per_s, pg_load->index_s)
              : "-");
  md << absl::StrFormat(
      "| durable ingest, concurrent IngestArticle (%d callers) | %.0f articles/s | "
      "INSERT, one row per commit: %s |\n",
      absl::GetFlag(FLAGS_ingest_concurrency), ingest.unary_per_s,
      pg_load ? absl::StrFormat("%.0f rows/s (p50 %.2f ms, p99 %.2f ms)", pg_load->insert_per_s,
                                pg_load->insert_ms.p50, pg_load->insert_ms.p99)
              : "-");
  md << absl::StrFormat(
      "| query service indexing during the batch half (caught up %.1f s after its last "
      "acknowledgement) | %.0f articles/s | - |\n",
      ingest.catch_up_s, ingest.indexed_per_s);
  md << absl::StrFormat(
      "| query service link stage (stories, near-copies) caught up after the batch half's "
      "last acknowledgement | %.1f s | - |\n",
      ingest.link_catch_up_s);
  md << absl::StrFormat(
      "| ack to queryable under the concurrent IngestArticle load, p50 / p99 | %s ms | - |\n",
      Cell(ingest.visible_loaded_ms));
  if (ingest.indexed_loaded_ms.count > 0) {
    md << absl::StrFormat(
        "| of which stored to indexed (every article of that load, the query service's "
        "histogram), p50 / p99 | %s ms | - |\n",
        Cell(ingest.indexed_loaded_ms));
  }
  md << absl::StrFormat(
      "| of which the observer's own call (the same wait for an article already queryable), "
      "p50 / p99 | %s ms | - |\n",
      Cell(ingest.call_loaded_ms));
  md << absl::StrFormat(
      "| ack to linked (stories and near-copies) under the same load, p50 / p99 | %s ms | - |\n",
      Cell(ingest.linked_loaded_ms));
  md << absl::StrFormat("| ack to queryable idle, p50 / p99 | %s ms | - |\n",
                        Cell(ingest.visible_idle_ms));
  if (pid > 0) {
    md << absl::StrFormat(
        "| query service memory growth per article (raw text %.0f B/article) | %.0f B "
        "(%.0f B beyond the text) | - |\n",
        text_per_article, rss_per_article, rss_per_article - text_per_article);
  }
  md << "\n| query shape | newsdesk client p50 / p99 ms | newsdesk server p50 / p99 ms | "
        "newsdesk q/s | PostgreSQL p50 / p99 ms | PostgreSQL q/s | speed-up p50 | speed-up "
        "q/s |\n|---|---|---|---|---|---|---|---|\n";
  std::cout << md.str();
  std::string table_rows;
  auto emit = [&](const std::string& row) {
    std::cout << row << std::flush;
    table_rows += row;
  };
  int64_t errors = 0;
  // Counts the failures of a row and tells them, and any closed-loop call
  // slower than a second, on stderr.
  auto tell = [&errors](const std::string& row, const char* system, const Figures& f) {
    errors += f.errors;
    if (f.errors) std::cerr << row << ": " << system << " " << f.first_error << "\n";
    if (f.slowest_loop_ms > 1000) {
      std::cerr << absl::StrFormat("%s: %s's slowest call in the closed loop took %.0f ms\n", row,
                                   system, f.slowest_loop_ms);
    }
  };
  for (const Shape& shape : shapes) {
    const Figures n = MeasureNewsdesk(shape, stubs);
    const Figures p = pg ? MeasurePostgres(shape, pg_clients) : Figures{};
    tell(shape.name, "newsdesk", n);
    tell(shape.name, "PostgreSQL", p);
    emit(absl::StrFormat(
        "| %s%s | %s | %s | %s | %s | %s | %s | %s |\n", shape.name, shape.heavy ? " *" : "",
        Cell(n.client_ms),
        n.server_p50_ms < 0 ? "-" : absl::StrFormat("%.2f / %.2f", n.server_p50_ms, n.server_p99_ms),
        Rate(n.qps), pg ? Cell(p.client_ms) : "-", pg ? Rate(p.qps) : "-",
        pg ? Ratio(n.client_ms.p50, p.client_ms.p50) : "-",
        pg ? Ratio(1 / std::max(n.qps, 1e-9), 1 / std::max(p.qps, 1e-9)) : "-"));
  }
  // Mixed: every thread cycles through the shapes marked mixed; `listed`:
  // those that return articles ask for a listing (Shape::listed_*).
  std::vector<const Shape*> mixed;
  for (const Shape& s : shapes) {
    if (s.mixed) mixed.push_back(&s);
  }
  auto emit_mixed = [&](const std::string& name, bool listed) {
    Figures n, p;
    ClosedLoop(threads, [&](int t, int64_t i) {
      const Shape& s = *mixed[i % mixed.size()];
      const auto& call = listed && s.listed_newsdesk ? s.listed_newsdesk : s.newsdesk;
      return call(*stubs[t], i / mixed.size());
    }, &n);
    if (pg) {
      ClosedLoop(threads, [&](int t, int64_t i) {
        const Shape& s = *mixed[i % mixed.size()];
        const auto& call = listed && s.listed_postgres ? s.listed_postgres : s.postgres;
        return call(*pg_clients[t], i / mixed.size());
      }, &p);
    }
    tell(name, "newsdesk", n);
    tell(name, "PostgreSQL", p);
    emit(absl::StrFormat("| %s | - | - | %.0f | - | %s | - | %s |\n", name, n.qps,
                         pg ? absl::StrFormat("%.0f", p.qps) : "-",
                         pg ? Ratio(1 / std::max(n.qps, 1e-9), 1 / std::max(p.qps, 1e-9)) : "-"));
  };
  emit_mixed(absl::StrFormat("mixed: the %d shapes above marked for it, round robin", mixed.size()),
             false);
  emit_mixed("mixed, listing: ids, titles, times (read_mask, no explanations; PG columns)", true);
  std::cout << "(* heavy shapes; speed-up = PostgreSQL time / newsdesk time)\n";
  if (!absl::GetFlag(FLAGS_markdown).empty()) {
    std::ofstream out(absl::GetFlag(FLAGS_markdown));
    out << md.str() << table_rows
        << "\n\\* heavy shapes. Speed-up: PostgreSQL time over newsdesk time (p50), and "
           "newsdesk q/s over PostgreSQL q/s.\n";
    if (!deep_plan.empty()) {
      out << "\nPostgreSQL's plan of the keyset deep page (EXPLAIN ANALYZE, warm):\n\n```\n"
          << deep_plan << "```\n";
    }
  }
  // A corpus story the ingest service refuses (too short, no text) is data,
  // not a failure of the run, as long as it stays rare.
  if (errors > 0 || ingest.failed * 1000 > total) {
    std::cerr << errors << " queries and " << ingest.failed << " ingests failed\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace newsdesk::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "newsdesk against PostgreSQL at scale; run it with bench/run_scale_bench.sh");
  absl::ParseCommandLine(argc, argv);
  return newsdesk::bench::Main();
}
