// The query core: resolves what callers write (any spelling of an entity, a
// topic code or label, words) against the entity table, the taxonomy and the
// index, runs the search and pages the results. Knows nothing of gRPC.
#ifndef QUERY_SERVICE_CORE_QUERY_ENGINE_H_
#define QUERY_SERVICE_CORE_QUERY_ENGINE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"
#include "query_service/core/article_counter.h"
#include "query_service/core/match_explainer.h"
#include "query_service/core/page_token.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

struct QueryEngineOptions {
  int default_page_size = 20;
  int max_page_size = 1000;
  // Most entities, topics, sources or words in one filter.
  int max_filter_terms = 100;
  // Most buckets in one CountArticles time series.
  int max_buckets = 5000;
  // Longest a search with min_log_position waits for the index to reach it.
  absl::Duration max_log_wait = absl::Seconds(5);
};

// A facet a search asks for: the largest groups of the matching articles.
struct FacetRequest {
  GroupBy group_by = GroupBy::kNone;  // kTopic, kEntity or kSource
  int32_t max_groups = 0;             // 0: default page size
};

struct SearchRequest {
  std::vector<std::string> any_entities;
  std::vector<std::string> all_entities;
  std::vector<std::string> none_entities;
  std::optional<absl::Time> start_time;
  std::optional<absl::Time> end_time;
  std::vector<std::string> topics;
  bool exact_topics = false;  // topics match only as assigned, not below
  std::vector<std::string> sources;
  std::string text;
  std::vector<std::string> key_phrases;
  // A mentioned date must overlap [mentioned_start_time, mentioned_end_time).
  std::optional<absl::Time> mentioned_start_time;
  std::optional<absl::Time> mentioned_end_time;
  // Any of these stories: story ids, or "stories/{id}".
  std::vector<std::string> story_ids;
  // Near-copies whose original matches too are folded into its match.
  bool collapse_copies = false;
  // False: the matches carry no explanation (SearchMatch::explained), and
  // their articles are neither decoded nor explained; for callers that only
  // list them. Not part of the request a page token is bound to.
  bool explain = true;
  // True when the caller reads only the summary fields of each match's
  // stored article (InSummary in index/stored_article.h: id, title, time,
  // source, URL): the page is then answered from the summaries the index
  // keeps in memory, unless the explanations read more. Not part of the
  // request a page token is bound to.
  bool summaries_only = false;
  SortOrder order = SortOrder::kPublishTimeDesc;
  int32_t page_size = 0;
  std::string page_token;
  // Read-your-writes: answer only once the index holds the log up to this
  // sequence (e.g. the log_sequence an ingest returned), and has linked it
  // when the request reads links (story_ids, collapse_copies, by story);
  // 0 for no wait.
  int64_t min_log_position = 0;
  // The wait for min_log_position ends by then at the latest (the caller's
  // deadline), or after QueryEngineOptions::max_log_wait.
  absl::Time wait_until = absl::InfiniteFuture();
  // Counted over every matching article, not only the page; not part of the
  // request a page token is bound to.
  std::vector<FacetRequest> facets;
  Interval histogram_interval = Interval::kNone;
};

struct EntityListRequest {
  std::string prefix;
  EntityType type = EntityType::kUnspecified;
  // When set: entities named in the same articles as this one (id or any
  // spelling), published in [start_time, end_time) when those are set.
  std::string cooccurs_with;
  std::optional<absl::Time> start_time;
  std::optional<absl::Time> end_time;
  int32_t page_size = 0;
  std::string page_token;
};

// An entity a name may mean (ResolveEntity).
struct EntityCandidate {
  EntityInfo info;                   // article_count 0 when no article names it yet
  std::vector<std::string> aliases;  // from the entity table
};

struct EntityListResult {
  std::vector<EntityInfo> entities;
  std::string next_page_token;
  int64_t total_size = 0;
};

struct TopicListEntry {
  const Taxonomy::Topic* topic = nullptr;
  int64_t article_count = 0;
};

// Counts of the articles matching `filter` (its order and paging fields are
// ignored), per group and time bucket.
struct CountRequest {
  SearchRequest filter;
  GroupBy group_by = GroupBy::kNone;
  Interval interval = Interval::kNone;
  // Only these groups, in this order (topic codes or labels, entity
  // references, sources); empty: the largest.
  std::vector<std::string> groups;
  int32_t max_groups = 0;  // 0: default page size
};

struct CountBucket {
  absl::Time start;
  int64_t article_count = 0;
};

struct CountGroup {
  std::string key;
  std::string label;
  int64_t article_count = 0;
  std::vector<CountBucket> buckets;  // gap-free, oldest first
};

struct CountResult {
  std::vector<CountGroup> groups;
  int64_t total_size = 0;    // matching articles
  int64_t total_groups = 0;  // groups with a matching article
};

struct Facet {
  GroupBy group_by = GroupBy::kNone;
  std::vector<CountGroup> groups;  // largest first, then by key; no buckets
  int64_t total_groups = 0;
};

struct SearchResult {
  std::vector<SearchMatch> matches;
  std::string next_page_token;
  int64_t total_size = 0;
  std::vector<Facet> facets;          // as requested, in that order
  std::vector<CountBucket> histogram;  // with histogram_interval
};

struct TopicListResult {
  std::vector<TopicListEntry> topics;
  std::string next_page_token;
  int64_t total_size = 0;
};

class QueryEngine {
 public:
  // None of the pointers is owned; all must outlive the engine.
  QueryEngine(QueryEngineOptions options, const ArticleIndex* index, const Taxonomy* taxonomy);

  // NOT_FOUND when no article has this name ("articles/{id}") or id.
  absl::StatusOr<std::shared_ptr<const Article>> GetArticle(absl::string_view name) const;

  // INVALID_ARGUMENT for a negative page size, a bad token (naming
  // page_token), an empty or inverted time range, an unknown topic, too many
  // terms, a bad facet or histogram, or a negative min_log_position.
  // UNAVAILABLE when the index has not reached min_log_position within
  // max_log_wait (another replica may have).
  absl::StatusOr<SearchResult> Search(const SearchRequest& request) const;

  // The conditions of `request` resolved and checked as Search does (its
  // order, paging and facet fields are ignored); for standing queries.
  absl::StatusOr<ResolvedFilter> ResolveConditions(const SearchRequest& request) const;

  // INVALID_ARGUMENT for a negative page size, a bad token, an inverted time
  // range, or a cooccurs_with that names no entity.
  absl::StatusOr<EntityListResult> ListEntities(const EntityListRequest& request) const;

  // The entities `name` may mean (see ResolveEntity), with their aliases,
  // spellings and article counts, most named first then by id.
  // INVALID_ARGUMENT when `name` is empty.
  absl::StatusOr<std::vector<EntityCandidate>> ResolveEntityCandidates(
      absl::string_view name) const;

  // Topics of the articles matching `filter` (order and paging fields
  // ignored) with their article counts, most used first; only those directly
  // below `parent_code` when it is set.
  absl::StatusOr<TopicListResult> ListTopics(absl::string_view parent_code,
                                             const SearchRequest& filter, int32_t page_size,
                                             absl::string_view page_token) const;

  // INVALID_ARGUMENT for a bad filter, a negative max_groups, an unknown
  // topic in `groups`, or a time series of more than max_buckets buckets.
  absl::StatusOr<CountResult> CountArticles(const CountRequest& request) const;

  // Canonical ids a caller's entity reference may mean: the id itself, the
  // entity table's entry for the spelling, and entities seen under it.
  std::vector<std::string> ResolveEntity(absl::string_view reference) const;

  // Waits up to max_log_wait for the index to hold the log up to
  // `min_log_position` (0: no wait), and, when `linked`, to have linked it
  // too (for queries that read stories or near-copies). UNAVAILABLE when it
  // does not.
  absl::Status WaitForLogPosition(int64_t min_log_position, absl::Time wait_until,
                                  bool linked = false) const;

 private:
  // The conditions of `request` resolved to ids and codes, checked, and
  // added to *fingerprint.
  absl::StatusOr<ResolvedFilter> ResolveFilter(const SearchRequest& request,
                                               Fingerprint* fingerprint) const;

  // `groups` as CountGroups with gap-free buckets of `interval` from the
  // filter's start_time (or the earliest bucket with an article) to its
  // end_time (or the latest such bucket). INVALID_ARGUMENT for more than
  // max_buckets buckets.
  absl::StatusOr<std::vector<CountGroup>> ToCountGroups(std::vector<GroupCount> groups,
                                                        Interval interval,
                                                        const SearchRequest& filter) const;

  const QueryEngineOptions options_;
  const ArticleIndex* const index_;
  const Taxonomy* const taxonomy_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_QUERY_ENGINE_H_
