#include "ingest_service/parse/paragraph_cleaner.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/parse/parsed_article_matchers.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<Block> Blocks(std::vector<std::string> lines) {
  std::vector<Block> blocks;
  for (std::string& line : lines) blocks.push_back({std::move(line)});
  return blocks;
}

TEST(NormalizeSpaceTest, TrimsAndCollapses) {
  EXPECT_EQ(NormalizeSpace("  a \t b\r\n c  "), "a b c");
  EXPECT_EQ(NormalizeSpace("\u00A0Bakhmut.\u00A0 "), "Bakhmut.");
  EXPECT_EQ(NormalizeSpace("back channel\u201D\u00A0for"), "back channel\u201D for");
  EXPECT_EQ(NormalizeSpace("\uFEFFTitle"), "Title");
  EXPECT_EQ(NormalizeSpace("caf\u00E9 \u00C2"), "caf\u00E9 \u00C2");
  EXPECT_EQ(NormalizeSpace(" \t\n"), "");
  EXPECT_EQ(NormalizeSpace("\xC2"), "\xC2");
}

TEST(AppendCaptionTest, SplitsCredit) {
  std::vector<RemovedBlock> removed;
  AppendCaption("Xi in Beijing. Photo: Jane Doe/Reuters", &removed);
  AppendCaption("A caption without credit", &removed);
  AppendCaption("Photo: Jane Doe/Reuters", &removed);
  EXPECT_THAT(
      removed,
      ElementsAre(RemovedBlockIs(RemovedBlockKind::kCaption, "Xi in Beijing."),
                  RemovedBlockIs(RemovedBlockKind::kCredit, "Photo: Jane Doe/Reuters"),
                  RemovedBlockIs(RemovedBlockKind::kCaption, "A caption without credit"),
                  RemovedBlockIs(RemovedBlockKind::kCredit, "Photo: Jane Doe/Reuters")));
}

TEST(CleanParagraphsTest, KeepsWhatTheCallerSet) {
  ParsedArticle article;
  article.title = "From markup";
  article.byline = "Jane Doe";
  article.publish_time.time =
      absl::FromCivil(absl::CivilDay(2024, 1, 2), absl::UTCTimeZone());
  article.publish_time.precision = TimePrecision::kDay;
  article.publish_time.source = TimeSource::kHtmlMetadata;
  article.removed_blocks.push_back({RemovedBlockKind::kCaption, "A figure"});
  CleanParagraphs(
      Blocks({"Another headline", "By John Roe", "March 17, 2023", "Body text."}),
      CleanerOptions(), &article);
  EXPECT_EQ(article.title, "From markup");
  EXPECT_EQ(article.byline, "Jane Doe");
  EXPECT_EQ(article.publish_time.source, TimeSource::kHtmlMetadata);
  EXPECT_THAT(article.paragraphs, ElementsAre("Another headline", "Body text."));
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kCaption, "A figure"),
                          RemovedBlockIs(RemovedBlockKind::kDateLine, "March 17, 2023")));
}

TEST(CleanParagraphsTest, TitleDetectionCanBeTurnedOff) {
  ParsedArticle article;
  CleanerOptions options;
  options.detect_title = false;
  CleanParagraphs(Blocks({"A short first line", "Body text."}), options, &article);
  EXPECT_EQ(article.title, "");
  EXPECT_THAT(article.paragraphs, ElementsAre("A short first line", "Body text."));
}

TEST(CleanParagraphsTest, ListItemBlocksFollowingHeadingAreKeyPoints) {
  ParsedArticle article;
  std::vector<Block> blocks = Blocks({"Key points", "First", "Second", "Body."});
  blocks[1].list_item = true;
  blocks[2].list_item = true;
  CleanerOptions options;
  options.detect_title = false;
  CleanParagraphs(std::move(blocks), options, &article);
  EXPECT_THAT(article.key_points, ElementsAre("First", "Second"));
  EXPECT_THAT(article.paragraphs, ElementsAre("Body."));
}

TEST(CleanParagraphsTest, EmptyInput) {
  ParsedArticle article;
  CleanParagraphs({}, CleanerOptions(), &article);
  EXPECT_EQ(article.title, "");
  EXPECT_THAT(article.paragraphs, IsEmpty());
}

}  // namespace
}  // namespace newsdesk::ingest
