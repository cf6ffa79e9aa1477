#include "bench/scale_corpus.h"

#include <set>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace newsdesk::bench {
namespace {

TEST(ScaleCorpusTest, GeneratedArticlesAreDeterministicAndDistinct) {
  // No corpora folder: the generator from the project's data.
  auto corpus = ScaleCorpus::Load("", NEWSDESK_DATA_DIR);
  ASSERT_TRUE(corpus.ok()) << corpus.status();
  EXPECT_TRUE(absl::StrContains(corpus->description(), "generated"));
  std::set<std::string> contents, sources;
  for (int n = 0; n < 500; ++n) {
    const RawItem item = corpus->Article(n);
    EXPECT_EQ(item.content, corpus->Article(n).content);
    EXPECT_GT(item.content.size(), 200u);
    contents.insert(item.content);
    sources.insert(item.source);
  }
  EXPECT_EQ(contents.size(), 500u);
  EXPECT_GT(sources.size(), 4u);
}

TEST(ScaleCorpusTest, ArticlesCarryATitleAndADateLineIn2019To2024) {
  auto corpus = ScaleCorpus::Load("", NEWSDESK_DATA_DIR);
  ASSERT_TRUE(corpus.ok());
  const std::string content = corpus->Article(42).content;
  const size_t title_end = content.find("\n\n");
  ASSERT_NE(title_end, std::string::npos);
  const std::string date = content.substr(title_end + 2, 20);
  EXPECT_TRUE(date >= "2019-01-01T00:00:00Z" && date < "2025-01-01T00:00:00Z") << date;
}

TEST(ScaleCorpusTest, MissingDataIsAnError) {
  EXPECT_FALSE(ScaleCorpus::Load("", "/nonexistent").ok());
}

}  // namespace
}  // namespace newsdesk::bench
