#include "ingest_service/parse/json_ld.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(JsonLdTest, ReadsNewsArticle) {
  const std::optional<JsonLdArticle> article = ReadJsonLdArticle(R"({
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Xi calls \"Zelensky\" \u2014 first time",
    "datePublished": "2023-04-26T14:32:00Z",
    "author": {"@type": "Person", "name": "Jane Doe"},
    "publisher": {"@type": "Organization", "name": "Example News"}
  })");
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->headline, "Xi calls \"Zelensky\" \u2014 first time");
  EXPECT_EQ(article->date_published, "2023-04-26T14:32:00Z");
  EXPECT_THAT(article->authors, ElementsAre("Jane Doe"));
}

TEST(JsonLdTest, FindsArticleInGraph) {
  const std::optional<JsonLdArticle> article =
      ReadJsonLdArticle(R"({"@context":"https://schema.org",
    "@graph": [
      {"@type": "WebPage", "name": "Page", "headline": "Not this one"},
      {"@type": ["ReportageNewsArticle", "NewsArticle"], "headline": "Talks\/resume",
       "author": [{"@type": "Person", "name": "Jane Doe"}, {"name": "John Roe"}, "Ann Lee"],
       "datePublished": "2023-03-17"},
    ]})");
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->headline, "Talks/resume");
  EXPECT_EQ(article->date_published, "2023-03-17");
  EXPECT_THAT(article->authors, ElementsAre("Jane Doe", "John Roe", "Ann Lee"));
}

TEST(JsonLdTest, FindsNestedArticle) {
  const std::optional<JsonLdArticle> article = ReadJsonLdArticle(
      R"([{"@type": "WebPage", "mainEntity": {"@type": "BlogPosting", "headline": "Inner"}}])");
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->headline, "Inner");
  EXPECT_THAT(article->authors, IsEmpty());
}

TEST(JsonLdTest, DecodesEscapes) {
  const std::optional<JsonLdArticle> article = ReadJsonLdArticle(
      R"({"@type":"Article","headline":"a\\b \ud83d\ude00 \u00e9\n\ud800x \uZZZZ"})");
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->headline, "a\\b \U0001F600 \u00E9\n\uFFFDx \uFFFDZZZZ");
}

TEST(JsonLdTest, NoArticle) {
  for (absl::string_view json :
       {"", "{}", "[]", R"({"@type":"WebPage","headline":"x"})",
        R"({"@type":"NewsArticle"})", "not json at all", R"({"headline": "No type"})"}) {
    EXPECT_EQ(ReadJsonLdArticle(json), std::nullopt) << json;
  }
}

TEST(JsonLdTest, ToleratesTruncationAndDepth) {
  const std::optional<JsonLdArticle> truncated = ReadJsonLdArticle(
      R"({"@type":"NewsArticle","headline":"Cut off","author":{"name":"Ja)");
  ASSERT_TRUE(truncated.has_value());
  EXPECT_EQ(truncated->headline, "Cut off");
  EXPECT_EQ(ReadJsonLdArticle(std::string(100000, '[')), std::nullopt);
  EXPECT_EQ(ReadJsonLdArticle(std::string(100000, '{')), std::nullopt);
  EXPECT_EQ(ReadJsonLdArticle("\"\\"), std::nullopt);
  EXPECT_EQ(ReadJsonLdArticle("\"\\u12"), std::nullopt);
}

}  // namespace
}  // namespace newsdesk::ingest
