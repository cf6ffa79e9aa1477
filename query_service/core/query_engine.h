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
#include "common/entities/entity_lexicon.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

struct QueryEngineOptions {
  int default_page_size = 20;
  int max_page_size = 1000;
  // Most entities, topics, sources or words in one filter.
  int max_filter_terms = 100;
};

struct SearchRequest {
  std::vector<std::string> any_entities;
  std::vector<std::string> all_entities;
  std::optional<absl::Time> start_time;
  std::optional<absl::Time> end_time;
  std::vector<std::string> topics;
  std::vector<std::string> sources;
  std::string text;
  // A mentioned date must overlap [mentioned_start_time, mentioned_end_time).
  std::optional<absl::Time> mentioned_start_time;
  std::optional<absl::Time> mentioned_end_time;
  SortOrder order = SortOrder::kPublishTimeDesc;
  int32_t page_size = 0;
  std::string page_token;
};

struct EntityMatchInfo {
  std::string query;
  std::string entity_id;
  std::vector<std::string> spellings;
  int mention_count = 0;
};

struct SearchMatch {
  std::shared_ptr<const Article> article;
  double relevance_score = 0;
  std::vector<EntityMatchInfo> entity_matches;
  std::vector<std::string> matched_topics;
};

struct SearchResult {
  std::vector<SearchMatch> matches;
  std::string next_page_token;
  int64_t total_size = 0;
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

struct TopicListResult {
  std::vector<TopicListEntry> topics;
  std::string next_page_token;
  int64_t total_size = 0;
};

class QueryEngine {
 public:
  // None of the pointers is owned; all must outlive the engine.
  QueryEngine(QueryEngineOptions options, const ArticleIndex* index,
              const entities::EntityLexicon* lexicon, const Taxonomy* taxonomy);

  // NOT_FOUND when no article has this name ("articles/{id}") or id.
  absl::StatusOr<std::shared_ptr<const Article>> GetArticle(absl::string_view name) const;

  // INVALID_ARGUMENT for a negative page size, a bad token, an empty or
  // inverted time range, an unknown topic or too many terms.
  absl::StatusOr<SearchResult> Search(const SearchRequest& request) const;

  absl::StatusOr<EntityListResult> ListEntities(absl::string_view prefix, EntityType type,
                                                int32_t page_size,
                                                absl::string_view page_token) const;

  absl::StatusOr<TopicListResult> ListTopics(absl::string_view parent_code,
                                             int32_t page_size,
                                             absl::string_view page_token) const;

  // Canonical ids a caller's entity reference may mean: the id itself, the
  // entity table's entry for the spelling, and entities seen under it.
  std::vector<std::string> ResolveEntity(absl::string_view reference) const;

 private:
  const QueryEngineOptions options_;
  const ArticleIndex* const index_;
  const entities::EntityLexicon* const lexicon_;
  const Taxonomy* const taxonomy_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_QUERY_ENGINE_H_
