// GetStory and ListStories: resolves what callers write (a story's name, an
// entity by any spelling, a topic code or label, a time range) and pages
// the stories the StoryTracker keeps. Knows nothing of gRPC.
#ifndef QUERY_SERVICE_CORE_STORY_QUERIES_H_
#define QUERY_SERVICE_CORE_STORY_QUERIES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "query_service/core/query_engine.h"
#include "query_service/stories/story_tracker.h"

namespace newsdesk::query {

struct StoryListRequest {
  std::string entity;  // any spelling or id; empty: any
  std::string topic;   // qcode or label; empty: any
  std::optional<absl::Time> start_time;
  std::optional<absl::Time> end_time;
  StoryOrder order = StoryOrder::kSize;
  int32_t page_size = 0;
  std::string page_token;
};

struct StoryListResult {
  std::vector<Story> stories;
  std::string next_page_token;
  int64_t total_size = 0;
};

class StoryQueries {
 public:
  // None of the pointers is owned; all must outlive this. `engine` resolves
  // entity references.
  StoryQueries(QueryEngineOptions options, const StoryTracker* tracker,
               const QueryEngine* engine, const Taxonomy* taxonomy);

  // `name` is "stories/{id}" or the id. INVALID_ARGUMENT when empty,
  // NOT_FOUND when no such story exists.
  absl::StatusOr<Story> GetStory(absl::string_view name) const;

  // INVALID_ARGUMENT for an unknown topic, an inverted or empty time range,
  // a negative page size or a bad page token. An entity no article names
  // gives an empty list.
  absl::StatusOr<StoryListResult> ListStories(const StoryListRequest& request) const;

 private:
  const QueryEngineOptions options_;
  const StoryTracker* const tracker_;
  const QueryEngine* const engine_;
  const Taxonomy* const taxonomy_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_STORY_QUERIES_H_
