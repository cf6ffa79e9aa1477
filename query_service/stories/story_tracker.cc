#include "query_service/stories/story_tracker.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace newsdesk::query {
namespace {

// `value` within [low, high], or (low, high] when `open_low`.
bool Within(double value, double low, double high, bool open_low) {
  if (!std::isfinite(value)) return false;
  return (open_low ? value > low : value >= low) && value <= high;
}

}  // namespace

absl::Status ValidateStoryTrackerOptions(const StoryTrackerOptions& options) {
  const StoryOptions& s = options.stories;
  const NearDuplicateOptions& c = options.near_duplicates;
  const double window_hours = absl::ToDoubleHours(s.window);
  if (!Within(window_hours, 0, 24 * 365, true)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the story time window must be more than 0 and at most 8760 hours "
                     "(--story_window_hours), not ",
                     window_hours));
  }
  if (!Within(s.join_threshold, 0, 1, true)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the least score to join a story must be in (0, 1] "
                     "(--story_join_threshold), not ",
                     s.join_threshold));
  }
  if (s.entities_per_article < 1 || s.entities_per_article > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the salient entities an article shares with stories must number 1 to 100 "
        "(--story_entities), not ",
        s.entities_per_article));
  }
  if (!Within(c.min_similarity, 0, 1, true)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the least similarity of a near-copy must be in (0, 1] "
                     "(--story_copy_similarity), not ",
                     c.min_similarity));
  }
  if (c.min_shingles < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the fewest shingles of a body that can be a near-copy must be at least 1 "
        "(--story_copy_min_shingles), not ",
        c.min_shingles));
  }
  if (!Within(c.max_figure_disagreement, 0, 1, false)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the largest share of differing figures of a near-copy must be in [0, 1] "
        "(--story_copy_figure_disagreement), not ",
        c.max_figure_disagreement));
  }
  if (c.print_cache_bytes < 0 || c.print_cache_bytes > kMaxPrintCacheBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the near-copy print cache must hold 0 to 65536 MiB (--story_copy_cache_mib), "
        "not ",
        c.print_cache_bytes / double{1 << 20}, " MiB"));
  }
  return absl::OkStatus();
}

StoryTracker::StoryTracker(StoryTrackerOptions options, const Taxonomy* taxonomy)
    : copies_(options.near_duplicates), stories_(options.stories, taxonomy) {}

absl::Status StoryTracker::Link(Article* article, const EarlierArticles& earlier) {
  absl::WriterMutexLock lock(&mu_);
  ASSIGN_OR_RETURN(const std::optional<CopyMatch> copy,
                   copies_.Add(*article, earlier.read));
  article->copy_of.clear();
  article->copy_similarity = 0;
  if (copy) {
    article->copy_of = std::string(earlier.id(copy->original));
    article->copy_similarity = copy->similarity;
  }
  article->story_id = stories_.Add(*article, article->copy_of);
  return absl::OkStatus();
}

void StoryTracker::Changed(const Article& before, const Article& after) {
  absl::WriterMutexLock lock(&mu_);
  stories_.Update(before, after);
}

std::optional<Story> StoryTracker::GetStory(absl::string_view story_id) const {
  absl::ReaderMutexLock lock(&mu_);
  return stories_.Get(story_id);
}

StoryPage StoryTracker::ListStories(const StoryQuery& query, const StoryCursor* after,
                                    int page_size) const {
  absl::ReaderMutexLock lock(&mu_);
  return stories_.List(query, after, page_size);
}

size_t StoryTracker::story_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return stories_.size();
}

}  // namespace newsdesk::query
