// Near-copies and stories as the query index takes each article: the
// ArticleLinker the index calls in log order. Each article is first checked
// for being a near-copy of an earlier one (NearDuplicateDetector), then
// grouped into a story (StoryGrouper; a copy joins its original's story),
// and the article carries the result (story_id, copy_of, copy_similarity).
// Changed passes an article's new entities or topics on to its story.
// Everything is derived from the log order alone, so replicas agree and a
// restart that replays the local replica gives the same story ids.
//
// Thread-safe: Link takes the tracker's lock exclusively, reads share it.
#ifndef QUERY_SERVICE_STORIES_STORY_TRACKER_H_
#define QUERY_SERVICE_STORIES_STORY_TRACKER_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/taxonomy/taxonomy.h"
#include "query_service/index/article_linker.h"
#include "query_service/stories/near_duplicates.h"
#include "query_service/stories/story_grouper.h"

namespace newsdesk::query {

struct StoryTrackerOptions {
  NearDuplicateOptions near_duplicates;
  StoryOptions stories;
};

// OK when the options can group articles: a positive time window, a join
// threshold and a least copy similarity in (0, 1], at least one entity per
// article and one shingle per body, a figure disagreement in [0, 1], a
// print cache of 0 to kMaxPrintCacheBytes; otherwise INVALID_ARGUMENT naming
// the setting and the query service flag that sets it.
absl::Status ValidateStoryTrackerOptions(const StoryTrackerOptions& options);

// The largest near-copy print cache: 64 GiB.
inline constexpr int64_t kMaxPrintCacheBytes = int64_t{1} << 36;

class StoryTracker final : public ArticleLinker {
 public:
  // `taxonomy` gives topic labels and ancestors; not owned.
  StoryTracker(StoryTrackerOptions options, const Taxonomy* taxonomy);

  absl::Status Link(Article* article, const EarlierArticles& earlier) override;
  // The article's story follows its new entities and topics.
  void Changed(const Article& before, const Article& after) override;

  std::optional<Story> GetStory(absl::string_view story_id) const;
  StoryPage ListStories(const StoryQuery& query, const StoryCursor* after,
                        int page_size) const;
  size_t story_count() const;

 private:
  mutable absl::Mutex mu_;
  NearDuplicateDetector copies_ ABSL_GUARDED_BY(mu_);
  StoryGrouper stories_ ABSL_GUARDED_BY(mu_);
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_STORY_TRACKER_H_
