// The query service's story grouping and near-copy flags, each with its
// environment variable:
//   --story_window_hours               [NEWSDESK_STORY_WINDOW_HOURS]
//   --story_join_threshold             [NEWSDESK_STORY_JOIN_THRESHOLD]
//   --story_entities                   [NEWSDESK_STORY_ENTITIES]
//   --story_copy_similarity            [NEWSDESK_STORY_COPY_SIMILARITY]
//   --story_copy_min_shingles          [NEWSDESK_STORY_COPY_MIN_SHINGLES]
//   --story_copy_figure_disagreement   [NEWSDESK_STORY_COPY_FIGURE_DISAGREEMENT]
//   --story_copy_cache_mib             [NEWSDESK_STORY_COPY_CACHE_MIB]
// Their defaults are StoryTrackerOptions' own. Link this library only into
// the query service's main.
#ifndef QUERY_SERVICE_STORY_FLAGS_H_
#define QUERY_SERVICE_STORY_FLAGS_H_

#include "absl/status/statusor.h"
#include "query_service/stories/story_tracker.h"

namespace newsdesk::query {

// The options the flags (and environment) give, checked with
// ValidateStoryTrackerOptions: INVALID_ARGUMENT names the bad flag.
absl::StatusOr<StoryTrackerOptions> StoryTrackerOptionsFromFlags();

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORY_FLAGS_H_
