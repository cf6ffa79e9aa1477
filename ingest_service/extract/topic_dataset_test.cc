#include "ingest_service/extract/topic_dataset.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TopicDatasetTest, ParsesLabelsAndEscapedContent) {
  auto lines = ParseDataset(
      "medtop:15000000, medtop:20001065\tTitle\\n\\nBody with \\\\ and\\ttab\n"
      "\n"
      "\tUnlabelled text\r\n");
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_THAT((*lines)[0].labels, ElementsAre("medtop:15000000", "medtop:20001065"));
  EXPECT_EQ((*lines)[0].content, "Title\n\nBody with \\ and\ttab");
  EXPECT_EQ((*lines)[1].line_number, 3);
  EXPECT_TRUE((*lines)[1].labels.empty());
  EXPECT_EQ((*lines)[1].content, "Unlabelled text");
}

TEST(TopicDatasetTest, RejectsMalformedLines) {
  EXPECT_THAT(ParseDataset("no tab here\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_THAT(ParseDataset("x\tok\ny\tbad \\q escape\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(ParseDataset("x\tends in \\"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDataset("x\t   \n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty content")));
  EXPECT_THAT(ReadDataset("/nonexistent/file.tsv"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace newsdesk::ingest
