#include "query_service/story_flags.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "common/server/server_util.h"
#include "common/status/status_macros.h"

namespace {

// A number from the environment variable `name`, `fallback` when unset, and
// NaN when unreadable, which the validation refuses.
double EnvDouble(const char* name, double fallback) {
  const std::string text = newsdesk::EnvOr(name, "");
  if (text.empty()) return fallback;
  double value = 0;
  return absl::SimpleAtod(text, &value) ? value
                                        : std::numeric_limits<double>::quiet_NaN();
}

const newsdesk::query::StoryTrackerOptions kDefaults;

}  // namespace

ABSL_FLAG(
    double, story_window_hours,
    EnvDouble("NEWSDESK_STORY_WINDOW_HOURS",
              absl::ToDoubleHours(kDefaults.stories.window)),
    "furthest an article's publication time may lie from a story's span to join it, in "
    "hours [env NEWSDESK_STORY_WINDOW_HOURS]");
ABSL_FLAG(
    double, story_join_threshold,
    EnvDouble("NEWSDESK_STORY_JOIN_THRESHOLD", kDefaults.stories.join_threshold),
    "least score (shared entities, words and time, in (0, 1]) for an article to join a "
    "story rather than start one [env NEWSDESK_STORY_JOIN_THRESHOLD]");
ABSL_FLAG(int, story_entities,
          newsdesk::EnvOr("NEWSDESK_STORY_ENTITIES",
                          kDefaults.stories.entities_per_article),
          "an article's most salient entities that it compares with stories' "
          "[env NEWSDESK_STORY_ENTITIES]");
ABSL_FLAG(
    double, story_copy_similarity,
    EnvDouble("NEWSDESK_STORY_COPY_SIMILARITY", kDefaults.near_duplicates.min_similarity),
    "least share of the shorter body's word 4-grams found in an earlier article for a "
    "near-copy link, in (0, 1] [env NEWSDESK_STORY_COPY_SIMILARITY]");
ABSL_FLAG(int, story_copy_min_shingles,
          newsdesk::EnvOr("NEWSDESK_STORY_COPY_MIN_SHINGLES",
                          kDefaults.near_duplicates.min_shingles),
          "fewest word 4-grams of a body that can be a near-copy (about as many words) "
          "[env NEWSDESK_STORY_COPY_MIN_SHINGLES]");
ABSL_FLAG(
    double, story_copy_figure_disagreement,
    EnvDouble("NEWSDESK_STORY_COPY_FIGURE_DISAGREEMENT",
              kDefaults.near_duplicates.max_figure_disagreement),
    "largest share, in [0, 1], of the figures two bodies state in the same words that "
    "may differ for a near-copy link; 0: any differing figure makes another report "
    "[env NEWSDESK_STORY_COPY_FIGURE_DISAGREEMENT]");

ABSL_FLAG(int, story_copy_cache_mib,
          newsdesk::EnvOr("NEWSDESK_STORY_COPY_CACHE_MIB",
                          static_cast<int>(kDefaults.near_duplicates.print_cache_bytes >> 20)),
          "MiB of recent articles' copy-prints (shingles and figures) kept to confirm "
          "near-copies without reading the candidate from the replica; 0 to 65536 "
          "[env NEWSDESK_STORY_COPY_CACHE_MIB]");

namespace newsdesk::query {

absl::StatusOr<StoryTrackerOptions> StoryTrackerOptionsFromFlags() {
  StoryTrackerOptions options;
  // NaN and hours beyond what a Duration holds become an infinite window,
  // which the validation refuses.
  const double hours = absl::GetFlag(FLAGS_story_window_hours);
  options.stories.window = std::isfinite(hours) && std::abs(hours) < 1e9
                               ? absl::Hours(hours)
                               : absl::InfiniteDuration();
  options.stories.join_threshold = absl::GetFlag(FLAGS_story_join_threshold);
  options.stories.entities_per_article = absl::GetFlag(FLAGS_story_entities);
  options.near_duplicates.min_similarity = absl::GetFlag(FLAGS_story_copy_similarity);
  options.near_duplicates.min_shingles = absl::GetFlag(FLAGS_story_copy_min_shingles);
  options.near_duplicates.max_figure_disagreement =
      absl::GetFlag(FLAGS_story_copy_figure_disagreement);
  // Beyond the largest cache it stays beyond it, which the validation refuses.
  const int64_t cache_mib = absl::GetFlag(FLAGS_story_copy_cache_mib);
  options.near_duplicates.print_cache_bytes =
      cache_mib > (kMaxPrintCacheBytes >> 20) ? kMaxPrintCacheBytes + 1
      : cache_mib < 0                          ? -1
                                               : cache_mib << 20;
  RETURN_IF_ERROR(ValidateStoryTrackerOptions(options));
  return options;
}

}  // namespace newsdesk::query
