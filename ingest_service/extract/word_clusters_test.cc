#include "ingest_service/extract/word_clusters.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two kinds of word in two kinds of context: towns come after "in" and
// before "today", fruits after "buy" and before "cheaply". Each line is its
// own passage.
std::string TownsAndFruits() {
  const char* const kTowns[] = {"Brno", "Tartu", "Graz", "Porto", "Linz", "Gdansk"};
  const char* const kFruits[] = {"apples", "pears", "plums", "figs", "limes", "dates"};
  std::string text;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 6; ++i) {
      absl::StrAppend(&text, "we met in ", kTowns[(i + round) % 6], " today\n\n");
      absl::StrAppend(&text, "we buy ", kFruits[(i * 5 + round) % 6], " cheaply\n\n");
    }
  }
  return text;
}

absl::StatusOr<WordClusters> Learn(const std::string& text, WordClusteringOptions options) {
  WordClusterLearner learner(std::move(options));
  if (absl::Status added = learner.AddText(text); !added.ok()) return added;
  return learner.Learn();
}

WordClusteringOptions Small() {
  WordClusteringOptions options;
  options.clusters = {4, 2};
  return options;
}

TEST(SplitPlainTextTest, SplitsLikeConllTokens) {
  EXPECT_THAT(SplitPlainText("\"The U.S. said Mr. Smith's plan isn't (yet) done.\""),
              ElementsAre("\"", "The", "U.S.", "said", "Mr.", "Smith", "'s", "plan", "is",
                          "n't", "(", "yet", ")", "done", ".", "\""));
  EXPECT_THAT(SplitPlainText("  Prices rose 1,250.5 points,\n\tto 3-1 ..."),
              ElementsAre("Prices", "rose", "1,250.5", "points", ",", "to", "3-1", "..."));
}

TEST(WordClustersTest, WordsInTheSameContextsShareAClusterAtEveryLevel) {
  auto clusters = Learn(TownsAndFruits(), Small());
  ASSERT_TRUE(clusters.ok()) << clusters.status();
  EXPECT_THAT(clusters->levels(), ElementsAre(4, 2));
  const uint16_t* brno = clusters->Find("Brno");
  const uint16_t* apples = clusters->Find("apples");
  ASSERT_NE(brno, nullptr);
  ASSERT_NE(apples, nullptr);
  for (const char* town : {"Tartu", "Graz", "Porto", "Linz", "Gdansk"}) {
    const uint16_t* ids = clusters->Find(town);
    ASSERT_NE(ids, nullptr) << town;
    EXPECT_EQ(ids[0], brno[0]) << town;
    EXPECT_EQ(ids[1], brno[1]) << town;
  }
  for (const char* fruit : {"pears", "plums", "figs", "limes", "dates"}) {
    const uint16_t* ids = clusters->Find(fruit);
    ASSERT_NE(ids, nullptr) << fruit;
    EXPECT_EQ(ids[0], apples[0]) << fruit;
  }
  EXPECT_NE(brno[0], apples[0]);
  // The coarser level groups whole finer clusters.
  for (const char* word : {"in", "today", "buy", "cheaply", "we", "met"}) {
    const uint16_t* a = clusters->Find(word);
    ASSERT_NE(a, nullptr);
    for (const char* other : {"Brno", "apples", "in", "today", "buy", "cheaply"}) {
      const uint16_t* b = clusters->Find(other);
      if (a[0] == b[0]) {
        EXPECT_EQ(a[1], b[1]) << word << " " << other;
      }
    }
  }
}

TEST(WordClustersTest, LooksUpOtherCapitalisations) {
  auto clusters = Learn(TownsAndFruits(), Small());
  ASSERT_TRUE(clusters.ok());
  EXPECT_EQ(clusters->Find("GRAZ"), clusters->Find("Graz"));
  EXPECT_EQ(clusters->Find("Apples"), clusters->Find("apples"));
  EXPECT_EQ(clusters->Find("Vienna"), nullptr);
}

TEST(WordClustersTest, RareWordsAreNotClustered) {
  auto clusters = Learn(TownsAndFruits() + "we met in Vienna today\n", Small());
  ASSERT_TRUE(clusters.ok());
  EXPECT_EQ(clusters->Find("Vienna"), nullptr);  // seen once, min_count 3
  EXPECT_EQ(clusters->word_count(), 18u);  // 6 towns, 6 fruits, 6 others
}

TEST(WordClustersTest, SameTextGivesSameClusters) {
  auto first = Learn(TownsAndFruits(), Small());
  auto second = Learn(TownsAndFruits(), Small());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  std::ostringstream a, b;
  first->Write(a);
  second->Write(b);
  EXPECT_EQ(a.str(), b.str());
}

TEST(WordClustersTest, WritesAndReads) {
  auto clusters = Learn(TownsAndFruits(), Small());
  ASSERT_TRUE(clusters.ok());
  std::stringstream stream;
  clusters->Write(stream);
  auto read = WordClusters::Read(stream);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->levels(), clusters->levels());
  ASSERT_EQ(read->word_count(), clusters->word_count());
  for (const char* word : {"Brno", "apples", "today", "we"}) {
    ASSERT_NE(read->Find(word), nullptr);
    EXPECT_EQ(read->Find(word)[0], clusters->Find(word)[0]);
    EXPECT_EQ(read->Find(word)[1], clusters->Find(word)[1]);
  }
}

TEST(WordClustersTest, DamagedDataIsRefused) {
  auto clusters = Learn(TownsAndFruits(), Small());
  ASSERT_TRUE(clusters.ok());
  std::stringstream stream;
  clusters->Write(stream);
  const std::string bytes = stream.str();
  std::istringstream truncated(bytes.substr(0, bytes.size() - 3));
  EXPECT_THAT(WordClusters::Read(truncated),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated")));
  // An absurd level count or word count is refused before any allocation.
  std::string many_levels = bytes;
  many_levels[0] = 100;
  std::istringstream levels(many_levels);
  EXPECT_THAT(WordClusters::Read(levels), StatusIs(absl::StatusCode::kInvalidArgument));
  std::string many_words = bytes;
  for (int i = 12; i < 16; ++i) many_words[i] = '\x7f';  // after 2 levels
  std::istringstream words(many_words);
  EXPECT_THAT(WordClusters::Read(words),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("words")));
}

TEST(WordClusterLearnerTest, BadOptionsAndTooLittleTextAreRefused) {
  EXPECT_THAT(Learn("a b c a b c a b c", Small()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("fewer than the 4")));
  WordClusteringOptions rising = Small();
  rising.clusters = {4, 8};
  EXPECT_THAT(Learn(TownsAndFruits(), rising), StatusIs(absl::StatusCode::kInvalidArgument));
  WordClusteringOptions too_many = Small();
  too_many.clusters = {70000};
  EXPECT_THAT(Learn(TownsAndFruits(), too_many), StatusIs(absl::StatusCode::kInvalidArgument));
  WordClusteringOptions none = Small();
  none.clusters.clear();
  EXPECT_THAT(Learn(TownsAndFruits(), none), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(WordClusterLearnerTest, OversizedTextIsRefused) {
  WordClusteringOptions options = Small();
  options.max_words = 100;
  EXPECT_THAT(Learn(TownsAndFruits(), options),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("100 words")));
}

TEST(WordClusterLearnerTest, ReadsFilesAndFolders) {
  const std::string folder = ::testing::TempDir() + "/unlabelled";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder + "/sub");
  std::ofstream(folder + "/a.txt") << TownsAndFruits();
  std::ofstream(folder + "/sub/b.txt") << TownsAndFruits();
  std::ofstream(folder + "/empty.txt");
  WordClusterLearner from_folder(Small());
  ASSERT_TRUE(from_folder.AddPath(folder).ok());
  WordClusterLearner from_text(Small());
  ASSERT_TRUE(from_text.AddText(TownsAndFruits()).ok());
  ASSERT_TRUE(from_text.AddText(TownsAndFruits()).ok());
  EXPECT_EQ(from_folder.word_count(), from_text.word_count());
  EXPECT_THAT(from_folder.AddPath(folder + "/missing"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
}

}  // namespace
}  // namespace newsdesk::ingest
