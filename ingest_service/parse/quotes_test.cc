#include "ingest_service/parse/quotes.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/parse/article_parser.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<Quote> Find(absl::string_view paragraph) {
  std::vector<Quote> quotes;
  AppendQuotes(paragraph, 3, &quotes);
  return quotes;
}

MATCHER_P2(QuoteIs, text, speaker, "") {
  return arg.text == text && arg.speaker == speaker;
}

TEST(QuotesTest, SpeakerAfterTheQuote) {
  std::vector<Quote> quotes = Find(
      "\u201CWe will never accept a frozen conflict,\u201D said Andriy Yermak, head of the "
      "presidential office.");
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0].text, "We will never accept a frozen conflict");
  EXPECT_EQ(quotes[0].speaker, "Andriy Yermak");
  EXPECT_EQ(quotes[0].paragraph, 3);
  EXPECT_EQ(quotes[0].speaker_entity_id, "");

  EXPECT_THAT(Find("\"Peace talks should resume as soon as possible,\" Xi announced."),
              ElementsAre(QuoteIs("Peace talks should resume as soon as possible", "Xi")));
  EXPECT_THAT(Find("\u201CWe need to find a lasting peace,\u201D President Emmanuel Macron "
                   "told reporters."),
              ElementsAre(QuoteIs("We need to find a lasting peace", "Emmanuel Macron")));
}

TEST(QuotesTest, SpeakerBeforeTheQuote) {
  EXPECT_THAT(Find("Xi said: \u201CChina will send a special envoy.\u201D"),
              ElementsAre(QuoteIs("China will send a special envoy.", "Xi")));
  EXPECT_THAT(Find("Chinese President Xi Jinping told Zelensky, \"Talks are the only way.\""),
              ElementsAre(QuoteIs("Talks are the only way.", "Xi Jinping")));
  EXPECT_THAT(Find("\"China has always been fair,\" the Chinese Foreign Ministry said."),
              ElementsAre(QuoteIs("China has always been fair", "Chinese Foreign Ministry")));
  EXPECT_THAT(Find("Ursula von der Leyen said: \"We stand with Ukraine.\""),
              ElementsAre(QuoteIs("We stand with Ukraine.", "Ursula von der Leyen")));
}

TEST(QuotesTest, NeedsANamedSpeakerAndASentence) {
  for (absl::string_view text : {
           "\u201CTalks must resume,\u201D he said.",
           "China declared a \u201Cno limits friendship\u201D with Moscow.",
           "The \u201Cposition paper\u201D was issued in February.",
           "\u201CYes,\u201D Xi said.",
           "Unclosed \u201Cquote said Xi",
       }) {
    EXPECT_THAT(Find(text), IsEmpty()) << text;
  }
}

TEST(QuotesTest, LinksSpeakersToPersonEntities) {
  std::vector<Quote> quotes = {{"a b", "Xi", "", 0}, {"c d", "Xi Jinping", "", 1},
                               {"e f", "Kyiv", "", 2}};
  const std::vector<ArticleEntity> entities = {
      {"location-kyiv", "Kyiv", EntityType::kLocation, 1, {"Kyiv"}, true},
      {"person-xi-jinping", "Xi Jinping", EntityType::kPerson, 3, {"Xi Jinping", "Xi"}, true}};
  LinkQuoteSpeakers(entities, &quotes);
  EXPECT_EQ(quotes[0].speaker_entity_id, "person-xi-jinping");
  EXPECT_EQ(quotes[1].speaker_entity_id, "person-xi-jinping");
  EXPECT_EQ(quotes[2].speaker_entity_id, "");
}

TEST(QuotesTest, ArticleParserFindsQuotesInParagraphs) {
  RawArticle raw;
  raw.content =
      "Xi calls Zelensky\n"
      "The leaders spoke for an hour.\n"
      "\u201CI had a long and meaningful phone call with President Xi Jinping,\u201D "
      "Zelensky said on Twitter.";
  const ParsedArticle article = ArticleParser().Parse(raw);
  ASSERT_EQ(article.quotes.size(), 1u);
  EXPECT_EQ(article.quotes[0].speaker, "Zelensky");
  EXPECT_EQ(article.quotes[0].paragraph, 1);
}

}  // namespace
}  // namespace newsdesk::ingest
