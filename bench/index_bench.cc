// newsdesk-index-bench: the cost of near-copy detection and story grouping
// on the query side. Articles of the scale corpus (bench/scale_corpus: real
// stories replayed from the research corpora when --corpora holds them,
// generated ones otherwise) are parsed and extracted once as the ingest
// service does, untimed; then they are applied to a fresh ArticleIndex
// --runs times without a linker and --runs times with the StoryTracker, and
// the program prints the median indexing throughput of each and the median
// cost per article of the stories, in CPU time of the indexing thread (a
// loaded machine does not skew it). With --replica the index reads its
// articles (near-copy candidates among them) from a local replica in a
// temporary folder, as the query service does; --copy_cache_mib sets the
// near-copy detector's copy-print cache.
//
// With --memory it measures memory instead: the articles are applied once to
// an index over a local replica in a temporary folder, with the StoryTracker,
// as the query service runs; it prints the heap growth per article (glibc's
// bytes in use, which RocksDB's memtables and block cache are part of), the
// estimated share of each index structure (ArticleIndex::Memory), of the
// stories and near-copies, and of the replica's RocksDB, and the same index
// with the articles kept on the heap (InMemoryIndexedArticleStore) for comparison.
//
// With --pages it measures the query service's CPU paths over a local
// replica with the StoryTracker: the follower's apply path per article (the
// log stream's messages decoded as the log client does, appended to the
// replica, applied to the index; one thread, no gRPC; with the percentiles
// of one article's index apply and the slowest ones) and, apart, the link
// stage's (stories and near-copies) over the same articles, then pages as the
// service answers them (searched, converted into the response, serialized):
// entity pages of 20 for the 50 most named entities, the walk of every
// 1000-article page of the most named one (also with a read_mask of ids,
// titles and times, and as a listing: that read_mask without explanations,
// from the summaries the index keeps and, for comparison, from the replica),
// and a deep page of 100 (page 100, or the last full one of a smaller topic)
// of the 5 most used topics reached with its page token, as a keyset page
// (also as a listing, both ways); medians over --page_rounds. All
// in CPU time of the measuring thread (RocksDB's background flushes and
// compactions left out), so that a loaded machine does not skew them.
//
// With --queries it measures the scale bench's query shapes (bench/
// scale_bench.cc) server side: the articles are applied to an index over a
// local replica (no linker: no shape reads stories), then every shape is run
// --query_rounds times over its parameters through the QueryEngine, its
// answer converted into the response and serialized as the service does:
// p50/p99 per shape, and queries per second of the shapes round robin, in
// CPU time of the measuring thread (--query_shapes picks some, for a
// profile). --entries_cache keeps the parsed articles of --queries and
// --pages in a file between runs (parsing dominates loading at 1M).
#include <malloc.h>
#include <time.h>

#ifdef NEWSDESK_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/scale_corpus.h"
#include "common/data/shared_data.h"
#include "common/entities/name_key.h"
#include "common/model/log_entry_convert.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/parse/article_parser.h"
#include "newsdesk/v1/article_log_service.pb.h"
#include "newsdesk/v1/query_service.pb.h"
#include "query_service/core/query_engine.h"
#include "query_service/grpc/query_convert.h"
#include "query_service/index/article_index.h"
#include "query_service/replica/replica_store.h"
#include "query_service/stories/near_duplicates.h"
#include "query_service/stories/story_tracker.h"

ABSL_FLAG(int, articles, 20000, "articles indexed per run");
ABSL_FLAG(int, runs, 5, "runs of each kind; the median is reported");
ABSL_FLAG(std::string, corpora, "", "the research corpora folder; empty: generated articles");
ABSL_FLAG(bool, memory, false, "measure memory per article instead of indexing speed");
ABSL_FLAG(bool, replica, false,
          "index over a local replica in a temporary folder, as the query service does "
          "(near-copy candidates are then read from RocksDB); default: articles on the heap");
ABSL_FLAG(int, copy_cache_mib, -1,
          "MiB of the near-copy detector's copy-print cache (--story_copy_cache_mib); "
          "-1: the query service's default");
ABSL_FLAG(
    int, story_terms, newsdesk::query::StoryOptions{}.max_terms,
    "the heaviest title and lead words a story keeps (StoryOptions::max_terms); 0: all");
ABSL_FLAG(bool, pages, false,
          "measure the follower's apply path and the page path over a local replica "
          "instead of indexing speed");
ABSL_FLAG(int, page_rounds, 5, "--pages: rounds of every page shape; medians are reported");
ABSL_FLAG(std::string, page_shapes, "entity,walk,deep",
          "--pages: the page shapes measured (entity pages, the walks, deep pages); one "
          "alone for a profile of it");
ABSL_FLAG(bool, queries, false,
          "measure the scale bench's query shapes through the QueryEngine over a local "
          "replica instead of indexing speed");
ABSL_FLAG(int, query_rounds, 200,
          "--queries: queries of every shape (each with its own "
          "parameters); p50 and p99 are reported");
ABSL_FLAG(std::string, query_shapes, "",
          "--queries: only the shapes whose name contains one of these comma-separated "
          "words (\"words\", \"facets\"); empty: all; one alone for a profile of it");
ABSL_FLAG(std::string, entries_cache, "",
          "a file keeping the parsed articles between runs: read when it holds at least "
          "--articles of them, else written after parsing; empty: parse every run");
ABSL_FLAG(int, replica_cache_mib,
          static_cast<int>(newsdesk::query::ReplicaStoreOptions::kDefaultBlockCacheBytes >> 20),
          "MiB of the local replica's block cache (the query service's "
          "--replica_cache_mib)");

namespace newsdesk::bench {
namespace {

using ::newsdesk::query::ArticleIndex;
using ::newsdesk::query::ArticleLinker;
using ::newsdesk::query::InMemoryIndexedArticleStore;
using ::newsdesk::query::NearDuplicateDetector;
using ::newsdesk::query::ReplicaStore;
using ::newsdesk::query::StoryTracker;
using ::newsdesk::query::StoryTrackerOptions;

// The story tracker's options: the defaults, with --copy_cache_mib and
// --story_terms.
StoryTrackerOptions TrackerOptions() {
  StoryTrackerOptions options;
  const int cache_mib = absl::GetFlag(FLAGS_copy_cache_mib);
  if (cache_mib >= 0) options.near_duplicates.print_cache_bytes = int64_t{cache_mib} << 20;
  options.stories.max_terms = absl::GetFlag(FLAGS_story_terms);
  return options;
}

// An empty folder in the temporary directory for this process's replica.
std::string FreshDir(absl::string_view name) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / absl::StrCat(name, "-", getpid())).string();
  std::filesystem::remove_all(dir);
  return dir;
}

// The local replica in `dir`, with the block cache --replica_cache_mib sets.
absl::StatusOr<std::unique_ptr<ReplicaStore>> OpenReplica(const std::string& dir) {
  query::ReplicaStoreOptions options;
  options.block_cache_bytes = int64_t{absl::GetFlag(FLAGS_replica_cache_mib)} << 20;
  return ReplicaStore::Open(dir, options);
}

// Bytes the allocator has handed out and not had back.
int64_t HeapInUse() {
#ifdef NEWSDESK_JEMALLOC
  // jemalloc's statistics are a snapshot taken when the epoch advances.
  uint64_t epoch = 1;
  size_t size = sizeof epoch;
  mallctl("epoch", &epoch, &size, &epoch, size);
  size_t allocated = 0;
  size = sizeof allocated;
  if (mallctl("stats.allocated", &allocated, &size, nullptr, 0) != 0) std::abort();
  return static_cast<int64_t>(allocated);
#else
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
#endif
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// CPU time of the calling thread: what the measured work costs, whatever
// else the machine runs (the figures of --pages are this, not wall time).
absl::Time ThreadCpuTime() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return absl::TimeFromTimespec(ts);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// The follower's apply path and the page path (see the file comment).
int MeasurePages(const std::vector<LogEntry>& entries, const SharedData& data,
                 const std::string& corpus) {
  const std::string dir = FreshDir("newsdesk-index-pages");
  // The entries as a log stream delivers them.
  std::vector<std::string> wire;
  for (size_t i = 0; i < entries.size(); i += 500) {
    v1::SubscribeArticlesResponse response;
    for (size_t k = i; k < std::min(entries.size(), i + 500); ++k) {
      ToProto(entries[k], response.add_entries());
    }
    wire.push_back(response.SerializeAsString());
  }
  int status = 0;
  {
    absl::StatusOr<std::unique_ptr<ReplicaStore>> replica = OpenReplica(dir);
    if (!replica.ok()) {
      std::cerr << replica.status() << "\n";
      return 1;
    }
    StoryTracker tracker(StoryTrackerOptions{}, data.taxonomy.get());
    // Links deferred, as the service runs them: the follower indexes, the
    // link stage (timed apart, after) links.
    ArticleIndex index(data.taxonomy.get(), &entities::NameKey, data.lexicon.get(), &tracker,
                       replica->get(),
                       query::LinkOptions{/*deferred=*/true,
                                          std::numeric_limits<int>::max()});
    // Decode each batch as the log client does, append it to the replica and
    // apply it to the index, as the follower does (on one thread here).
    // Each entry's index apply is also timed alone: the slowest ones are
    // what holds up the entries behind them.
    std::vector<double> entry_ms;  // by entry
    entry_ms.reserve(entries.size());
    const absl::Time start = ThreadCpuTime();
    v1::SubscribeArticlesResponse response;
    for (const std::string& bytes : wire) {
      if (!response.ParseFromString(bytes)) std::abort();
      std::vector<LogEntry> batch;
      batch.reserve(response.entries_size());
      for (v1::LogEntry& proto : *response.mutable_entries()) {
        batch.push_back(*FromReceivedProto(&proto));
      }
      if (!(*replica)->Append(batch).ok()) std::abort();
      for (LogEntry& entry : batch) {
        const absl::Time before = ThreadCpuTime();
        if (!index.Apply(std::move(entry)).ok()) std::abort();
        entry_ms.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - before));
      }
    }
    const double apply_us =
        absl::ToDoubleMicroseconds(ThreadCpuTime() - start) / static_cast<double>(entries.size());
    std::vector<size_t> order(entry_ms.size());
    std::iota(order.begin(), order.end(), 0);
    const size_t shown = std::min<size_t>(order.size(), 5);
    std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                      [&entry_ms](size_t a, size_t b) { return entry_ms[a] > entry_ms[b]; });
    double over_10ms = 0;
    for (const double ms : entry_ms) over_10ms += ms >= 10 ? ms : 0;
    std::string slowest_text;
    for (size_t k = 0; k < shown; ++k) {
      absl::StrAppendFormat(&slowest_text, "%s%.1f ms (entry %d)", k == 0 ? "" : ", ",
                            entry_ms[order[k]], order[k] + 1);
    }
    std::cout << absl::StrFormat(
        "  index apply per entry: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, %.0f ms in all "
        "in entries of 10 ms or more; slowest %s\n",
        Percentile(entry_ms, 0.5), Percentile(entry_ms, 0.99), Percentile(entry_ms, 0.999),
        over_10ms, slowest_text);
    const absl::Time link_start = ThreadCpuTime();
    if (!index.LinkPending().ok()) std::abort();
    const double link_us = absl::ToDoubleMicroseconds(ThreadCpuTime() - link_start) /
                           static_cast<double>(entries.size());

    query::QueryEngine engine(query::QueryEngineOptions{}, &index, data.taxonomy.get());
    std::vector<query::EntityInfo> top = index.ListEntities("", EntityType::kUnspecified);
    top.resize(std::min<size_t>(top.size(), 50));
    // One page as the service answers it: searched, converted into the
    // response and serialized; with `phases`, the CPU time of each of the
    // three (freeing the page counted with the last) is added to it.
    auto page = [&engine](const std::string& entity, int size, std::string* token,
                          const std::string& topic = "",
                          std::vector<double>* phases = nullptr,
                          const query::ArticleFields& fields = v1::ARTICLE_VIEW_BASIC,
                          bool explain = true, bool summaries = true) {
      absl::Time t = ThreadCpuTime();
      auto lap = [&](int phase) {
        if (phases == nullptr) return;
        const absl::Time now = ThreadCpuTime();
        (*phases)[phase] += absl::ToDoubleMilliseconds(now - t);
        t = now;
      };
      size_t bytes = 0;
      {
        query::SearchRequest request;
        if (topic.empty()) request.any_entities = {entity};
        if (!topic.empty()) request.topics = {topic};
        request.page_size = size;
        request.page_token = *token;
        request.explain = explain;
        // As the service sets it; without `summaries`, read from the replica.
        request.summaries_only = summaries && fields.KeepsOnlySummary();
        absl::StatusOr<query::SearchResult> result = engine.Search(request);
        if (!result.ok()) std::abort();
        lap(0);
        v1::FindArticlesByEntityResponse response;
        if (!query::ToProto(*result, fields, &response).ok()) std::abort();
        lap(1);
        bytes = response.SerializeAsString().size();
        *token = result->next_page_token;
      }
      lap(2);
      return bytes;
    };
    // Deep pages: the token of page 100 (or the last full page) of each of
    // the most used topics, found untimed.
    std::vector<std::pair<std::string, std::string>> deep;  // topic, token
    int deep_page = 0;
    absl::StatusOr<query::TopicListResult> topics = engine.ListTopics("", {}, 5, "");
    if (!topics.ok()) std::abort();
    for (const query::TopicListEntry& topic : topics->topics) {
      std::vector<std::string> tokens;  // tokens[k] asks for page k + 2
      std::string next;
      do {
        page("", 100, &next, topic.topic->code);
        if (!next.empty()) tokens.push_back(next);
      } while (!next.empty() && tokens.size() < 99);
      if (tokens.size() < 2) continue;
      // Page 100, or the last page followed by another (a full one).
      const size_t k = tokens.size() == 99 ? 98 : tokens.size() - 2;
      deep.emplace_back(topic.topic->code, tokens[k]);
      deep_page = std::max(deep_page, static_cast<int>(k) + 2);
    }
    // What a caller that reads only ids, titles and times asks for.
    google::protobuf::FieldMask mask;
    for (const char* path : {"article_id", "title", "publish_time"}) mask.add_paths(path);
    const query::ArticleFields masked =
        *query::ArticleFields::FromProto(v1::ARTICLE_VIEW_BASIC, mask);
    std::vector<double> small, walk, walk_masked, walk_listed, walk_listed_stored, deep_ms,
        deep_listed, deep_listed_stored, deep_phases(3, 0.0);
    size_t walk_bytes = 0, walk_masked_bytes = 0, walk_listed_bytes = 0;
    int64_t walk_pages = 0;
    const std::vector<std::string> shapes =
        absl::StrSplit(absl::GetFlag(FLAGS_page_shapes), ',');
    auto measured = [&shapes](absl::string_view shape) {
      return std::find(shapes.begin(), shapes.end(), shape) != shapes.end();
    };
    for (int r = 0; r < absl::GetFlag(FLAGS_page_rounds); ++r) {
      for (const query::EntityInfo& entity : top) {
        if (!measured("entity")) break;
        std::string token;
        const absl::Time t = ThreadCpuTime();
        page(entity.id, 20, &token);
        small.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
      }
      std::string token;
      walk_pages = 0;
      do {
        if (!measured("walk")) break;
        const absl::Time t = ThreadCpuTime();
        walk_bytes = std::max(walk_bytes, page(top.front().id, 1000, &token));
        walk.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
        ++walk_pages;
      } while (!token.empty());
      do {
        if (!measured("walk")) break;
        const absl::Time t = ThreadCpuTime();
        walk_masked_bytes = std::max(
            walk_masked_bytes, page(top.front().id, 1000, &token, "", nullptr, masked));
        walk_masked.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
      } while (!token.empty());
      // The listing: the read_mask, without explanations.
      do {
        if (!measured("walk")) break;
        const absl::Time t = ThreadCpuTime();
        walk_listed_bytes = std::max(
            walk_listed_bytes,
            page(top.front().id, 1000, &token, "", nullptr, masked, /*explain=*/false));
        walk_listed.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
      } while (!token.empty());
      // The same listing read from the replica, not the summaries.
      do {
        if (!measured("walk")) break;
        const absl::Time t = ThreadCpuTime();
        page(top.front().id, 1000, &token, "", nullptr, masked, /*explain=*/false,
             /*summaries=*/false);
        walk_listed_stored.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
      } while (!token.empty());
      for (const auto& [topic, deep_token] : deep) {
        if (!measured("deep")) break;
        std::string next = deep_token;
        const absl::Time t = ThreadCpuTime();
        page("", 100, &next, topic, &deep_phases);
        deep_ms.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - t));
        next = deep_token;
        const absl::Time listed = ThreadCpuTime();
        page("", 100, &next, topic, nullptr, masked, /*explain=*/false);
        deep_listed.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - listed));
        next = deep_token;
        const absl::Time stored = ThreadCpuTime();
        page("", 100, &next, topic, nullptr, masked, /*explain=*/false, /*summaries=*/false);
        deep_listed_stored.push_back(absl::ToDoubleMilliseconds(ThreadCpuTime() - stored));
      }
    }
    // Shapes not measured print as 0.
    for (std::vector<double>* v : {&small, &walk, &walk_masked, &walk_listed,
                                   &walk_listed_stored, &deep_ms, &deep_listed,
                                   &deep_listed_stored}) {
      if (v->empty()) v->push_back(0);
    }
    std::cout << absl::StrFormat(
        "%d articles (%s), over a local replica with stories (block cache %d MiB, "
        "%.1f MiB in use)\n"
        "  follower apply path (decode, replica append, index)  %.1f us per article\n"
        "  link stage (near-copies, stories, links applied)      %.1f us per article\n"
        "  entity page of 20 (the %d most named, %d rounds)       p50 %.3f ms, p99 %.3f ms\n"
        "  every page of the top entity (%d articles), 1000 per page, %d pages: "
        "p50 %.2f ms per page (largest %.0f kB)\n"
        "    the same walk with a read_mask of article_id, title, publish_time: "
        "p50 %.2f ms per page (largest %.0f kB)\n"
        "    the same walk listed (that read_mask, no explanations): "
        "p50 %.2f ms per page (largest %.0f kB)\n"
        "      the same listing read from the replica, not the summaries: p50 %.2f ms per page\n"
        "  deep page of 100 by its token (up to page %d of the %d most used topics)  "
        "p50 %.3f ms\n"
        "    of its mean: search and read %.3f ms, response %.3f ms, serialized and freed "
        "%.3f ms\n"
        "    the same page listed (that read_mask, no explanations)  p50 %.3f ms\n"
        "      the same listing read from the replica, not the summaries  p50 %.3f ms\n",
        entries.size(), corpus, absl::GetFlag(FLAGS_replica_cache_mib),
        (*replica)->BlockCacheBytes() / double{1 << 20}, apply_us, link_us, top.size(),
        absl::GetFlag(FLAGS_page_rounds),
        Median(small), Percentile(small, 0.99), top.front().article_count, walk_pages,
        Median(walk), walk_bytes / 1e3, Median(walk_masked), walk_masked_bytes / 1e3,
        Median(walk_listed), walk_listed_bytes / 1e3, Median(walk_listed_stored),
        deep_page, deep.size(), Median(deep_ms),
        deep_phases[0] / std::max<size_t>(1, deep_ms.size()),
        deep_phases[1] / std::max<size_t>(1, deep_ms.size()),
        deep_phases[2] / std::max<size_t>(1, deep_ms.size()), Median(deep_listed),
        Median(deep_listed_stored));
  }
  std::filesystem::remove_all(dir);
  return status;
}

// Memory per article of the query side (see the file comment).
int MeasureMemory(const std::vector<LogEntry>& entries, const SharedData& data,
                  int64_t raw_bytes, const std::string& corpus) {
  const double n = static_cast<double>(entries.size());
  const std::string dir = FreshDir("newsdesk-index-memory");
  int64_t replica_bytes = 0, stories_bytes = 0, copies_bytes = 0, heap_articles_bytes = 0;
  int64_t cache_bytes = 0, copy_reads = 0, block_cache_bytes = 0;
  int64_t index_bytes = 0;
  ArticleIndex::MemoryUsage usage;
  {
    absl::StatusOr<std::unique_ptr<ReplicaStore>> replica = OpenReplica(dir);
    if (!replica.ok()) {
      std::cerr << replica.status() << "\n";
      return 1;
    }
    StoryTracker tracker(TrackerOptions(), data.taxonomy.get());
    const int64_t before = HeapInUse();
    {
      ArticleIndex index(data.taxonomy.get(), &entities::NameKey, data.lexicon.get(),
                         &tracker, replica->get());
      for (size_t i = 0; i < entries.size(); i += 500) {
        const std::vector<LogEntry> batch(
            entries.begin() + i, entries.begin() + std::min(entries.size(), i + 500));
        if (!(*replica)->Append(batch).ok()) std::abort();
        for (const LogEntry& entry : batch) {
          if (!index.Apply(entry).ok()) std::abort();
        }
      }
      index_bytes = HeapInUse() - before;
      replica_bytes = (*replica)->MemoryBytes();
      block_cache_bytes = (*replica)->BlockCacheBytes();
      usage = index.Memory();
    }
  }
  std::filesystem::remove_all(dir);
  {
    // Stories and near-copies alone, given the articles (numbered in
    // order, as the index numbers them).
    ArticleLinker::EarlierArticles earlier;
    earlier.id = [&entries](uint32_t n) -> std::string {
      return entries[n].article->id;
    };
    earlier.read = [&entries](uint32_t n) -> absl::StatusOr<const Article*> {
      return &*entries[n].article;
    };
    int64_t before = HeapInUse();
    {
      NearDuplicateDetector copies(TrackerOptions().near_duplicates);
      for (const LogEntry& entry : entries) {
        if (!copies.Add(*entry.article, earlier.read).ok()) std::abort();
      }
      copies_bytes = HeapInUse() - before;
      cache_bytes = copies.print_cache_bytes();
      copy_reads = copies.reads();
    }
    before = HeapInUse();
    {
      StoryTracker tracker(TrackerOptions(), data.taxonomy.get());
      for (const LogEntry& entry : entries) {
        Article article = *entry.article;
        if (!tracker.Link(&article, earlier).ok()) std::abort();
      }
      stories_bytes = HeapInUse() - before;
    }
  }
  {
    // As before: the articles on the heap.
    StoryTracker tracker(TrackerOptions(), data.taxonomy.get());
    const int64_t before = HeapInUse();
    InMemoryIndexedArticleStore store;
    ArticleIndex index(data.taxonomy.get(), &entities::NameKey, data.lexicon.get(),
                       &tracker, &store);
    for (const LogEntry& entry : entries) {
      if (!index.Apply(entry).ok()) std::abort();
    }
    heap_articles_bytes = HeapInUse() - before;
  }
  const int64_t structures = usage.Total();
  auto per = [n](int64_t bytes) { return static_cast<double>(bytes) / n; };
  std::cout << absl::StrFormat(
      "%d articles (%s), raw text %.0f B per article\n"
      "heap growth per article, index over the local replica with stories: %.0f B "
      "(%.0f B beyond the text)\n"
      "  replica's RocksDB (memtables, block cache, table readers)  %7.0f B\n"
      "    of which its block cache (%5.1f MiB in all, at most %d)   %7.0f B\n"
      "  stories and near-copies (StoryTracker alone)               %7.0f B\n"
      "    of which near-copies (NearDuplicateDetector alone)       %7.0f B\n"
      "      of which its copy-print cache (%5.1f MiB in all)        %7.0f B\n"
      "  index structures (estimated from capacities)               %7.0f B\n"
      "    records, ids, id lookup                                  %7.0f B\n"
      "    summaries (ids, titles, times, sources, URLs for lists)  %7.0f B\n"
      "    entities (postings, names, spellings, name keys)         %7.0f B\n"
      "    words (postings with counts)                             %7.0f B\n"
      "    topic, key phrase, source, story postings                %7.0f B\n"
      "    publication-time order                                   %7.0f B\n"
      "    mentioned dates                                          %7.0f B\n"
      "    interned names                                           %7.0f B\n"
      "    entity and source counts per topic (facets)              %7.0f B\n"
      "  the rest (allocator overhead, estimate error)              %7.0f B\n"
      "heap growth per article with the articles on the heap: %.0f B (%.0f B beyond the "
      "text)\n",
      entries.size(), corpus, per(raw_bytes), per(index_bytes),
      per(index_bytes - raw_bytes), per(replica_bytes), block_cache_bytes / double{1 << 20},
      absl::GetFlag(FLAGS_replica_cache_mib), per(block_cache_bytes), per(stories_bytes),
      per(copies_bytes), cache_bytes / double{1 << 20}, per(cache_bytes), per(structures), per(usage.records), per(usage.summaries),
      per(usage.entities),
      per(usage.words), per(usage.postings), per(usage.time), per(usage.mentions),
      per(usage.interned), per(usage.facets),
      per(index_bytes - replica_bytes - stories_bytes - structures),
      per(heap_articles_bytes), per(heap_articles_bytes - raw_bytes));
  std::cout << absl::StrFormat(
      "near-copy candidates read to be confirmed (copy-print cache misses): %d, %.3f per "
      "article\n",
      copy_reads, per(copy_reads));
  return 0;
}

// The scale bench's query shapes through the QueryEngine (see the file
// comment).
int MeasureQueries(const SharedData& data,
                   const std::function<bool(std::vector<LogEntry>*)>& next_batch,
                   const std::string& corpus) {
  const std::string dir = FreshDir("newsdesk-index-queries");
  {
    absl::StatusOr<std::unique_ptr<ReplicaStore>> replica = OpenReplica(dir);
    if (!replica.ok()) {
      std::cerr << replica.status() << "\n";
      return 1;
    }
    ArticleIndex index(data.taxonomy.get(), &entities::NameKey, data.lexicon.get(),
                       nullptr, replica->get());
    // The shapes' parameters, as the scale bench draws them: the most named
    // entities, the most used topics (with ancestors), the sources, two
    // title words of every 97th article, and the months and years covered;
    // gathered as the batches stream past.
    std::map<std::string, int64_t> topic_counts, source_counts;
    std::vector<std::string> word_pairs;
    absl::Time first = absl::InfiniteFuture(), last = absl::InfinitePast();
    int64_t k = 0;
    const absl::Time load_start = absl::Now();
    std::vector<LogEntry> batch;
    while (next_batch(&batch)) {
      for (const LogEntry& entry : batch) {
        const Article& a = *entry.article;
        std::set<std::string> topics;
        for (const ArticleTopic& t : a.topics) {
          topics.insert(t.code);
          for (std::string& up : data.taxonomy->Ancestors(t.code))
            topics.insert(std::move(up));
        }
        for (const std::string& t : topics) ++topic_counts[t];
        if (!a.source.empty()) ++source_counts[a.source];
        if (a.publish_time.known()) {
          first = std::min(first, a.publish_time.time);
          last = std::max(last, a.publish_time.time);
        }
        if (k++ % 97 == 0 && word_pairs.size() < 200) {
          std::vector<std::string> words;
          for (absl::string_view w : absl::StrSplit(a.title, ' ')) {
            if (w.size() >= 5 && std::all_of(w.begin(), w.end(), absl::ascii_isalpha)) {
              words.push_back(absl::AsciiStrToLower(w));
            }
          }
          if (words.size() >= 2)
            word_pairs.push_back(absl::StrCat(words[0], " ", words[1]));
        }
      }
      if (!(*replica)->Append(batch).ok()) std::abort();
      for (LogEntry& entry : batch) {
        if (!index.Apply(std::move(entry)).ok()) std::abort();
      }
    }
    const double load_s = absl::ToDoubleSeconds(absl::Now() - load_start);
    std::cerr << "loaded " << k << " articles in " << load_s
              << " s; measuring the query shapes" << std::endl;
    const ArticleIndex::MemoryUsage usage = index.Memory();
    const double n = static_cast<double>(k);

    std::vector<query::EntityInfo> top = index.ListEntities("", EntityType::kUnspecified);
    std::vector<std::string> entity_pool;
    for (size_t e = 0; e < std::min<size_t>(200, top.size()); ++e)
      entity_pool.push_back(top[e].id);
    auto by_count = [](const std::map<std::string, int64_t>& m, size_t keep) {
      std::vector<std::pair<int64_t, std::string>> v;
      for (const auto& [key, c] : m) v.push_back({-c, key});
      std::sort(v.begin(), v.end());
      std::vector<std::string> out;
      for (size_t i = 0; i < std::min(keep, v.size()); ++i) out.push_back(v[i].second);
      return out;
    };
    const std::vector<std::string> topic_pool = by_count(topic_counts, 30);
    const std::vector<std::string> source_pool = by_count(source_counts, 1000);
    if (entity_pool.empty() || topic_pool.empty() || word_pairs.empty() ||
        first >= last) {
      std::cerr << "too few articles for the query shapes\n";
      return 1;
    }
    const absl::TimeZone utc = absl::UTCTimeZone();
    const absl::CivilMonth first_month = absl::ToCivilMonth(first, utc);
    const int64_t months =
        std::max<int64_t>(1, absl::ToCivilMonth(last, utc) - first_month);
    const int first_year = static_cast<int>(absl::ToCivilYear(first, utc).year());
    const int years =
        std::max(1, static_cast<int>(absl::ToCivilYear(last, utc).year()) - first_year);
    auto entity = [&](int64_t i) { return entity_pool[(i * 7) % entity_pool.size()]; };
    auto topic = [&](int64_t i) { return topic_pool[(i * 5) % topic_pool.size()]; };
    auto month = [&](int64_t i) { return first_month + (i * 13) % months; };
    auto sources = [&](int64_t i) {
      std::vector<std::string> out;
      for (size_t k = 0; k < std::min<size_t>(3, source_pool.size()); ++k) {
        out.push_back(source_pool[(i + k) % source_pool.size()]);
      }
      return out;
    };
    auto two_years = [&](int64_t i, query::SearchRequest* r) {
      const int y = first_year + static_cast<int>(i % years);
      r->start_time = absl::FromCivil(absl::CivilYear(y), utc);
      r->end_time = absl::FromCivil(absl::CivilYear(y + 2), utc);
    };

    query::QueryEngine engine(query::QueryEngineOptions{}, &index, data.taxonomy.get());
    // A search answered as the service answers it: converted into the
    // response and serialized.
    auto search = [&engine](const query::SearchRequest& request, auto response) {
      absl::StatusOr<query::SearchResult> result = engine.Search(request);
      if (!result.ok()) std::abort();
      if (!query::ToProto(*result, v1::ARTICLE_VIEW_BASIC, &response).ok()) std::abort();
      return response.SerializeAsString().size();
    };
    auto count = [&engine](const query::CountRequest& request) {
      absl::StatusOr<query::CountResult> result = engine.CountArticles(request);
      if (!result.ok()) std::abort();
      v1::CountArticlesResponse response;
      query::ToProto(*result, &response);
      return response.SerializeAsString().size();
    };
    struct QueryShape {
      std::string name;
      std::function<size_t(int64_t)> run;
    };
    std::vector<QueryShape> shapes;
    shapes.push_back({"entity (page of 20 + total)", [&](int64_t i) {
                        query::SearchRequest r;
                        r.any_entities = {entity(i)};
                        return search(r, v1::FindArticlesByEntityResponse());
                      }});
    shapes.push_back({"date range, one month", [&](int64_t i) {
                        query::SearchRequest r;
                        r.start_time = absl::FromCivil(month(i), utc);
                        r.end_time = absl::FromCivil(month(i) + 1, utc);
                        return search(r, v1::FindArticlesByDateRangeResponse());
                      }});
    shapes.push_back({"topic with descendants", [&](int64_t i) {
                        query::SearchRequest r;
                        r.topics = {topic(i)};
                        return search(r, v1::FindArticlesByTopicResponse());
                      }});
    shapes.push_back({"words (two, all must occur)", [&](int64_t i) {
                        query::SearchRequest r;
                        r.text = word_pairs[i % word_pairs.size()];
                        return search(r, v1::SearchArticlesResponse());
                      }});
    shapes.push_back({"combined: entity+topic+2 years+3 sources", [&](int64_t i) {
                        query::SearchRequest r;
                        r.any_entities = {entity(i)};
                        r.topics = {topic(i % 10)};
                        two_years(i, &r);
                        r.sources = sources(i);
                        return search(r, v1::SearchArticlesResponse());
                      }});
    shapes.push_back(
        {"combined with facets: topic+2 years, top 10 entities and sources",
         [&](int64_t i) {
           query::SearchRequest r;
           r.topics = {topic(i)};
           two_years(i, &r);
           r.facets = {{query::GroupBy::kEntity, 10}, {query::GroupBy::kSource, 10}};
           return search(r, v1::SearchArticlesResponse());
         }});
    shapes.push_back({"facets: top 10 entities of a topic", [&](int64_t i) {
                        query::CountRequest r;
                        r.filter.topics = {topic(i)};
                        r.group_by = query::GroupBy::kEntity;
                        r.max_groups = 10;
                        return count(r);
                      }});
    shapes.push_back({"time series: an entity per month", [&](int64_t i) {
                        query::CountRequest r;
                        r.filter.any_entities = {entity(i)};
                        r.interval = query::Interval::kMonth;
                        return count(r);
                      }});
    shapes.push_back({"entity list: co-occurring entities", [&](int64_t i) {
                        query::EntityListRequest r;
                        r.cooccurs_with = entity(i);
                        absl::StatusOr<query::EntityListResult> result =
                            engine.ListEntities(r);
                        if (!result.ok()) std::abort();
                        v1::ListEntitiesResponse response;
                        for (const query::EntityInfo& e : result->entities) {
                          query::ToProto(e, response.add_entities());
                        }
                        return response.SerializeAsString().size();
                      }});

    if (const std::string only = absl::GetFlag(FLAGS_query_shapes); !only.empty()) {
      std::vector<std::string> wanted = absl::StrSplit(only, ',', absl::SkipEmpty());
      shapes.erase(std::remove_if(shapes.begin(), shapes.end(),
                                  [&wanted](const QueryShape& shape) {
                                    return std::none_of(
                                        wanted.begin(), wanted.end(),
                                        [&shape](const std::string& w) {
                                          return absl::StrContains(shape.name, w);
                                        });
                                  }),
                   shapes.end());
      if (shapes.empty()) {
        std::cerr << "no query shape matches --query_shapes=" << only << "\n";
        return 1;
      }
    }
    // Round robin: every round runs each shape once, with the round's
    // parameters.
    const int rounds = absl::GetFlag(FLAGS_query_rounds);
    std::vector<std::vector<double>> ms(shapes.size());
    double total_ms = 0;
    size_t bytes = 0;
    for (int i = 0; i < rounds; ++i) {
      for (size_t s = 0; s < shapes.size(); ++s) {
        const absl::Time t = ThreadCpuTime();
        bytes += shapes[s].run(i);
        const double elapsed = absl::ToDoubleMilliseconds(ThreadCpuTime() - t);
        ms[s].push_back(elapsed);
        total_ms += elapsed;
      }
    }
    std::cout << absl::StrFormat(
        "%d articles (%s), over a local replica; loaded in %.0f s; index structures "
        "%.0f B per article (ArticleIndex::Memory; words %.0f B, %d of them bitmaps; "
        "facet counts %.0f B; entity days %.0f B)\n"
        "query shapes through the QueryEngine, answer converted and serialized, CPU "
        "time, "
        "%d of each:\n",
        k, corpus, load_s, static_cast<double>(usage.Total()) / n,
        static_cast<double>(usage.words) / n, usage.word_bitmaps,
        static_cast<double>(usage.facets) / n, static_cast<double>(usage.entity_days) / n, rounds);
    for (size_t s = 0; s < shapes.size(); ++s) {
      std::cout << absl::StrFormat("  %-68s p50 %7.3f ms  p99 %7.3f ms\n", shapes[s].name,
                                   Median(ms[s]), Percentile(ms[s], 0.99));
    }
    std::cout << absl::StrFormat(
        "  mixed, the %d shapes round robin: %.0f queries/s (%d bytes)\n", shapes.size(),
        static_cast<double>(rounds * shapes.size()) * 1000 / total_ms, bytes);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

// --entries_cache: the corpus description, the number of entries, then the
// entries in batches of 500 as the log stream sends them, each record after
// its size.
class EntriesCache {
 public:
  // Opens `path` for reading; false when it cannot be read or holds fewer
  // than `count` entries.
  bool OpenToRead(const std::string& path, int64_t count, std::string* corpus) {
    in_.open(path, std::ios::binary);
    std::string held;
    if (!Get(corpus) || !Get(&held)) return false;
    int64_t holds = 0;
    left_ = count;
    return held.size() < 20 && absl::SimpleAtoi(held, &holds) && holds >= count;
  }
  // The next batch (cut at the count asked for); false at the end.
  bool Read(std::vector<LogEntry>* batch) {
    batch->clear();
    std::string bytes;
    if (left_ <= 0 || !Get(&bytes)) return false;
    v1::SubscribeArticlesResponse response;
    if (!response.ParseFromString(bytes)) return false;
    for (v1::LogEntry& proto : *response.mutable_entries()) {
      if (left_ == 0) break;
      absl::StatusOr<LogEntry> entry = FromReceivedProto(&proto);
      if (!entry.ok()) return false;
      batch->push_back(*std::move(entry));
      --left_;
    }
    return !batch->empty();
  }
  void OpenToWrite(const std::string& path, const std::string& corpus, int64_t count) {
    out_.open(path, std::ios::binary | std::ios::trunc);
    Put(corpus);
    Put(std::to_string(count));
  }
  void Write(const std::vector<LogEntry>& batch) {
    v1::SubscribeArticlesResponse response;
    for (const LogEntry& entry : batch) ToProto(entry, response.add_entries());
    Put(response.SerializeAsString());
  }

 private:
  bool Get(std::string* bytes) {
    uint64_t size = 0;
    if (!in_.read(reinterpret_cast<char*>(&size), sizeof(size))) return false;
    bytes->resize(size);
    return static_cast<bool>(in_.read(bytes->data(), static_cast<std::streamsize>(size)));
  }
  void Put(const std::string& bytes) {
    const uint64_t size = bytes.size();
    out_.write(reinterpret_cast<const char*>(&size), sizeof(size));
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  std::ifstream in_;
  std::ofstream out_;
  int64_t left_ = 0;
};

int Run() {
  absl::StatusOr<SharedData> data =
      LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
  if (!data.ok()) {
    std::cerr << data.status() << "\n";
    return 1;
  }
  absl::StatusOr<ScaleCorpus> corpus = ScaleCorpus::Load(absl::GetFlag(FLAGS_corpora),
                                                         NEWSDESK_DATA_DIR);
  if (!corpus.ok()) {
    std::cerr << corpus.status() << "\n";
    return 1;
  }
  ingest::ArticleParser parser;
  ingest::RuleEntityExtractor extractor(data->lexicon.get(), {});
  auto classifier = ingest::KeywordTopicClassifier::Load(
      data->taxonomy.get(), std::string(NEWSDESK_DATA_DIR) + "/topics/topic_terms.tsv");
  if (!classifier.ok()) {
    std::cerr << classifier.status() << "\n";
    return 1;
  }
  ingest::Ingestor ingestor({}, &parser, &extractor, classifier->get(), nullptr);
  const int count = absl::GetFlag(FLAGS_articles);
  // The next corpus article that parses, as log entry `sequence`; its raw
  // size is added to raw_bytes.
  int64_t next_raw = 0;
  int64_t raw_bytes = 0;
  auto parse_next = [&](int64_t sequence) {
    for (;;) {
      RawItem item = corpus->Article(next_raw++);
      const int64_t size = static_cast<int64_t>(item.content.size());
      RawArticle raw;
      raw.content = std::move(item.content);
      raw.metadata.source = std::move(item.source);
      absl::StatusOr<Article> article = ingestor.Parse(raw);
      if (!article.ok()) continue;
      raw_bytes += size;
      article->id = ingest::ContentId(raw.content);
      LogEntry entry;
      entry.sequence = sequence;
      entry.article = *std::move(article);
      return entry;
    }
  };
  // --queries and --pages take the entries in batches of 500: from the cache
  // when it holds enough of them, else parsed, and written to the cache when
  // one is named.
  const std::string path = absl::GetFlag(FLAGS_entries_cache);
  std::string description = corpus->description();
  EntriesCache cache;
  const bool cached = !path.empty() && cache.OpenToRead(path, count, &description);
  if (!path.empty() && !cached) cache.OpenToWrite(path, description, count);
  int64_t made = 0;
  auto next_batch = [&](std::vector<LogEntry>* batch) {
    if (cached) return cache.Read(batch);
    batch->clear();
    while (made < count && batch->size() < 500) batch->push_back(parse_next(++made));
    if (!path.empty() && !batch->empty()) cache.Write(*batch);
    return !batch->empty();
  };
  // They stream to the index: a million parsed articles would not fit in
  // memory.
  if (absl::GetFlag(FLAGS_queries)) return MeasureQueries(*data, next_batch, description);
  std::vector<LogEntry> entries;
  entries.reserve(count);
  if (absl::GetFlag(FLAGS_pages)) {
    for (std::vector<LogEntry> batch; next_batch(&batch);) {
      std::move(batch.begin(), batch.end(), std::back_inserter(entries));
    }
    return MeasurePages(entries, *data, description);
  }
  while (static_cast<int>(entries.size()) < count) {
    entries.push_back(parse_next(static_cast<int64_t>(entries.size()) + 1));
  }

  if (absl::GetFlag(FLAGS_memory)) {
    return MeasureMemory(entries, *data, raw_bytes, corpus->description());
  }

  // Seconds to apply every entry to a fresh index, with or without stories.
  // With --replica the entries are appended to a fresh local replica first,
  // untimed, as the follower does before applying them.
  const bool on_replica = absl::GetFlag(FLAGS_replica);
  auto index_all = [&](bool stories, size_t* story_count, size_t* copies) {
    const std::string dir = FreshDir("newsdesk-index-bench");
    std::unique_ptr<ReplicaStore> replica;
    if (on_replica) {
      absl::StatusOr<std::unique_ptr<ReplicaStore>> opened = OpenReplica(dir);
      if (!opened.ok()) std::abort();
      replica = *std::move(opened);
      for (size_t i = 0; i < entries.size(); i += 500) {
        const std::vector<LogEntry> batch(
            entries.begin() + i, entries.begin() + std::min(entries.size(), i + 500));
        if (!replica->Append(batch).ok()) std::abort();
      }
    }
    StoryTracker tracker(TrackerOptions(), data->taxonomy.get());
    ArticleIndex index(data->taxonomy.get(), &entities::NameKey, data->lexicon.get(),
                       stories ? &tracker : nullptr, replica.get());
    const absl::Time start = ThreadCpuTime();
    for (const LogEntry& entry : entries) {
      if (!index.Apply(entry).ok()) std::abort();
    }
    const double seconds = absl::ToDoubleSeconds(ThreadCpuTime() - start);
    if (stories) {
      *story_count = tracker.story_count();
      *copies = 0;
      const std::vector<std::shared_ptr<const Article>> articles =
          index.ArticlesAfter(0, count).value();
      for (const std::shared_ptr<const Article>& a : articles) {
        *copies += !a->copy_of.empty();
      }
    }
    replica.reset();
    std::filesystem::remove_all(dir);
    return seconds;
  };
  std::vector<double> plain, linked, cost_us;
  size_t story_count = 0, copies = 0;
  for (int r = 0; r < absl::GetFlag(FLAGS_runs); ++r) {
    const double without = index_all(false, nullptr, nullptr);
    const double with = index_all(true, &story_count, &copies);
    plain.push_back(count / without);
    linked.push_back(count / with);
    cost_us.push_back((with - without) * 1e6 / count);
  }
  std::cout << absl::StrFormat(
      "%d articles (%s), %s, %d runs, medians:\n"
      "  index without stories  %.0f articles/s\n"
      "  index with stories     %.0f articles/s (%d stories, %d near-copies)\n"
      "  stories cost           %.1f us per article\n",
      count, corpus->description(),
      on_replica ? "over a local replica" : "articles on the heap", absl::GetFlag(FLAGS_runs),
      Median(plain), Median(linked),
      story_count, copies, Median(cost_us));
  return 0;
}

}  // namespace
}  // namespace newsdesk::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::bench::Run();
}
