// The --story_* flags: they set the story tracker's options, and bad values
// are refused with the flag's name (the service then does not start).
#include "query_service/story_flags.h"

#include <limits>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_DECLARE_FLAG(double, story_window_hours);
ABSL_DECLARE_FLAG(double, story_join_threshold);
ABSL_DECLARE_FLAG(int, story_entities);
ABSL_DECLARE_FLAG(double, story_copy_similarity);
ABSL_DECLARE_FLAG(int, story_copy_min_shingles);
ABSL_DECLARE_FLAG(double, story_copy_figure_disagreement);
ABSL_DECLARE_FLAG(int, story_copy_cache_mib);

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;

TEST(StoryFlagsTest, DefaultsAreTheOptionsDefaults) {
  absl::FlagSaver saver;
  absl::StatusOr<StoryTrackerOptions> options = StoryTrackerOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  const StoryTrackerOptions defaults;
  EXPECT_EQ(options->stories.window, defaults.stories.window);
  EXPECT_EQ(options->stories.join_threshold, defaults.stories.join_threshold);
  EXPECT_EQ(options->stories.entities_per_article, defaults.stories.entities_per_article);
  EXPECT_EQ(options->near_duplicates.min_similarity,
            defaults.near_duplicates.min_similarity);
  EXPECT_EQ(options->near_duplicates.min_shingles, defaults.near_duplicates.min_shingles);
  EXPECT_EQ(options->near_duplicates.max_figure_disagreement,
            defaults.near_duplicates.max_figure_disagreement);
  EXPECT_EQ(options->near_duplicates.print_cache_bytes,
            defaults.near_duplicates.print_cache_bytes);
}

TEST(StoryFlagsTest, FlagsSetTheOptions) {
  absl::FlagSaver saver;
  absl::SetFlag(&FLAGS_story_window_hours, 36.5);
  absl::SetFlag(&FLAGS_story_join_threshold, 0.6);
  absl::SetFlag(&FLAGS_story_entities, 5);
  absl::SetFlag(&FLAGS_story_copy_similarity, 0.9);
  absl::SetFlag(&FLAGS_story_copy_min_shingles, 30);
  absl::SetFlag(&FLAGS_story_copy_figure_disagreement, 0.1);
  absl::SetFlag(&FLAGS_story_copy_cache_mib, 3);
  absl::StatusOr<StoryTrackerOptions> options = StoryTrackerOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->stories.window, absl::Minutes(36 * 60 + 30));
  EXPECT_EQ(options->stories.join_threshold, 0.6);
  EXPECT_EQ(options->stories.entities_per_article, 5);
  EXPECT_EQ(options->near_duplicates.min_similarity, 0.9);
  EXPECT_EQ(options->near_duplicates.min_shingles, 30);
  EXPECT_EQ(options->near_duplicates.max_figure_disagreement, 0.1);
  EXPECT_EQ(options->near_duplicates.print_cache_bytes, 3 << 20);
}

TEST(StoryFlagsTest, BadValuesAreRefusedWithTheFlagsName) {
  auto refused = [](auto* flag, auto value, const char* name) {
    absl::FlagSaver saver;
    absl::SetFlag(flag, value);
    EXPECT_THAT(StoryTrackerOptionsFromFlags().status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(name)))
        << name << " = " << value;
  };
  refused(&FLAGS_story_window_hours, 0.0, "--story_window_hours");
  refused(&FLAGS_story_window_hours, -3.0, "--story_window_hours");
  refused(&FLAGS_story_window_hours, 1e12, "--story_window_hours");
  refused(&FLAGS_story_join_threshold, 0.0, "--story_join_threshold");
  refused(&FLAGS_story_join_threshold, 1.5, "--story_join_threshold");
  refused(&FLAGS_story_entities, 0, "--story_entities");
  refused(&FLAGS_story_copy_similarity, -0.1, "--story_copy_similarity");
  refused(&FLAGS_story_copy_similarity, 1.01, "--story_copy_similarity");
  refused(&FLAGS_story_copy_min_shingles, 0, "--story_copy_min_shingles");
  refused(&FLAGS_story_copy_figure_disagreement, -1.0,
          "--story_copy_figure_disagreement");
  refused(&FLAGS_story_copy_cache_mib, -1, "--story_copy_cache_mib");
  refused(&FLAGS_story_copy_cache_mib, 65537, "--story_copy_cache_mib");
}

TEST(StoryTrackerOptionsTest, TheDefaultsAreValidAndNaNIsNot) {
  StoryTrackerOptions options;
  EXPECT_TRUE(ValidateStoryTrackerOptions(options).ok());
  options.stories.join_threshold = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(ValidateStoryTrackerOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("join")));
}

}  // namespace
}  // namespace newsdesk::query
