#include "common/model/publish_time_hints.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(PublishTimeHintsTest, ReadsNamesAndHintsSkippingCommentsAndBlankLines) {
  absl::StatusOr<PublishTimeHints> hints = ParsePublishTimeHints(
      "# feed times\n\na.txt\t2023-04-06\r\nmy file.html\t 2023-04-26T09:30:00Z \n",
      "feed");
  ASSERT_TRUE(hints.ok()) << hints.status();
  EXPECT_THAT(*hints, UnorderedElementsAre(Pair("a.txt", "2023-04-06"),
                                           Pair("my file.html", "2023-04-26T09:30:00Z")));
}

TEST(PublishTimeHintsTest, BadLinesAreRefusedWithTheirNumber) {
  EXPECT_THAT(ParsePublishTimeHints("a.txt\t2023-04-06\nb.txt\n", "feed.tsv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("feed.tsv line 2")));
  EXPECT_THAT(ParsePublishTimeHints("a.txt\t\n", "feed.tsv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(ParsePublishTimeHints("a.txt\t2023-04-06\na.txt\t2023-04-07\n", "feed.tsv"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("given twice")));
  EXPECT_THAT(ReadPublishTimeHints("/nonexistent/hints.tsv"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(PublishTimeHintsTest, TheSampleArticlesManifestNamesThreeSeeds) {
  absl::StatusOr<PublishTimeHints> hints =
      ReadPublishTimeHints(std::string(NEWSDESK_DATA_DIR) + "/seeds.hints.tsv");
  ASSERT_TRUE(hints.ok()) << hints.status();
  EXPECT_EQ(hints->size(), 3u);
  EXPECT_EQ(hints->at("002_b3046c6bb07cf1a6.txt"), "2023-04-26");
}

}  // namespace
}  // namespace newsdesk
