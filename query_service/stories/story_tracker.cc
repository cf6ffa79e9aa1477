#include "query_service/stories/story_tracker.h"

namespace newsdesk::query {

StoryTracker::StoryTracker(StoryTrackerOptions options, const Taxonomy* taxonomy)
    : copies_(options.near_duplicates), stories_(options.stories, taxonomy) {}

void StoryTracker::Link(Article* article, const EarlierArticle& earlier) {
  absl::WriterMutexLock lock(&mu_);
  article->copy_of.clear();
  article->copy_similarity = 0;
  if (std::optional<CopyMatch> copy = copies_.Add(*article, earlier)) {
    article->copy_of = copy->original_id;
    article->copy_similarity = copy->similarity;
  }
  article->story_id = stories_.Add(*article, article->copy_of);
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
