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

std::vector<Quote> Find(std::vector<std::string> paragraphs) {
  std::vector<Quote> quotes;
  AppendQuotes(paragraphs, &quotes);
  return quotes;
}

std::vector<Quote> Find(absl::string_view paragraph) {
  return Find(std::vector<std::string>{"No quote here.", std::string(paragraph)});
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
  EXPECT_EQ(quotes[0].paragraph, 1);
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
           "\u201CTalks must resume,\u201D they said.",
           "China declared a \u201Cno limits friendship\u201D with Moscow.",
           "The \u201Cposition paper\u201D was issued in February.",
           "\u201CYes,\u201D Xi said.",
           "Unclosed \u201Cquote said Xi",
       }) {
    EXPECT_THAT(Find(text), IsEmpty()) << text;
  }
}

TEST(QuotesTest, PronounSpeakersAreKeptForLinking) {
  EXPECT_THAT(Find("\u201CTalks must resume,\u201D he said."),
              ElementsAre(QuoteIs("Talks must resume", "he")));
  EXPECT_THAT(Find("She told reporters: \"We will not give up.\""),
              ElementsAre(QuoteIs("We will not give up.", "she")));
}

TEST(QuotesTest, QuotesRunOnAcrossParagraphs) {
  // The first paragraph leaves the quote open; the next ones open with a
  // quotation mark and the last closes it.
  const std::vector<Quote> quotes = Find(std::vector<std::string>{
      "The minister spoke for an hour.",
      "\u201CWe will rebuild every school and every hospital.",
      "\u201CNo one will be left behind,\u201D said Olena Petrova.",
      "\"This is straight,\" said Ivan Franko, \"and this goes on",
      "\"in the next one,\" he added."});
  ASSERT_EQ(quotes.size(), 3u);
  EXPECT_EQ(quotes[0].text,
            "We will rebuild every school and every hospital. No one will be left behind");
  EXPECT_EQ(quotes[0].speaker, "Olena Petrova");
  EXPECT_EQ(quotes[0].paragraph, 1);
  EXPECT_THAT(quotes[1], QuoteIs("This is straight", "Ivan Franko"));
  EXPECT_EQ(quotes[1].paragraph, 3);
  EXPECT_THAT(quotes[2], QuoteIs("and this goes on in the next one", "he"));
  EXPECT_EQ(quotes[2].paragraph, 3);
  // A paragraph that does not open with a quotation mark ends the quote.
  EXPECT_THAT(Find(std::vector<std::string>{"\u201CWe will rebuild every school.",
                                            "Olena Petrova said so on Monday."}),
              IsEmpty());
}

ArticleEntity Person(std::string id, std::string name, int paragraph, int begin) {
  ArticleEntity entity;
  entity.id = std::move(id);
  entity.display_name = name;
  entity.type = EntityType::kPerson;
  entity.spellings = {name};
  entity.mentions.push_back({TextSection::kBody, paragraph, begin,
                             begin + static_cast<int>(name.size()), name});
  return entity;
}

TEST(QuotesTest, PronounSpeakerIsThePersonOfTheSentenceBefore) {
  const std::vector<std::string> paragraphs = {
      "Olena Petrova visited the port on Monday.",
      "\u201CWe will rebuild it,\u201D she said. Ivan Franko spoke later. "
      "\u201CThe talks went well,\u201D he said."};
  const std::vector<ArticleEntity> entities = {
      Person("person-olena-petrova", "Olena Petrova", 0, 0),
      Person("person-ivan-franko", "Ivan Franko", 1,
             static_cast<int>(paragraphs[1].find("Ivan")))};
  std::vector<Quote> quotes = Find(paragraphs);
  ASSERT_EQ(quotes.size(), 2u);
  LinkQuoteSpeakers(paragraphs, entities, &quotes);
  // The sentence before the first quote is the last of the paragraph before.
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[0].speaker, "Olena Petrova");
  EXPECT_EQ(quotes[0].speaker_entity_id, "person-olena-petrova");
  EXPECT_EQ(quotes[1].speaker, "Ivan Franko");
  EXPECT_EQ(quotes[1].speaker_entity_id, "person-ivan-franko");
}

TEST(QuotesTest, PronounSpeakerNeedsExactlyOnePerson) {
  const std::vector<std::string> paragraphs = {
      "Ivan Franko and Olena Petrova met on Monday. \u201CThe talks went well,\u201D he "
      "said. The port is closed. \u201CIt will reopen soon,\u201D she said."};
  std::vector<ArticleEntity> entities = {
      Person("person-olena-petrova", "Olena Petrova", 0,
             static_cast<int>(paragraphs[0].find("Olena"))),
      Person("person-ivan-franko", "Ivan Franko", 0, 0)};
  std::vector<Quote> quotes = Find(paragraphs);
  ASSERT_EQ(quotes.size(), 2u);
  LinkQuoteSpeakers(paragraphs, entities, &quotes);
  // Two people before the first, none before the second: both dropped.
  EXPECT_THAT(quotes, IsEmpty());
}

TEST(QuotesTest, PeopleNamedInsideTheQuoteBeforeAreNotSpeakers) {
  const std::vector<std::string> paragraphs = {
      "\u201CI had a long call with President Xi Jinping,\u201D Zelensky said.",
      "\u201CThe call will give a powerful impetus to our relations,\u201D he wrote."};
  const std::vector<ArticleEntity> entities = {
      Person("person-xi-jinping", "Xi Jinping", 0,
             static_cast<int>(paragraphs[0].find("Xi Jinping"))),
      Person("person-volodymyr-zelensky", "Zelensky", 0,
             static_cast<int>(paragraphs[0].find("Zelensky")))};
  std::vector<Quote> quotes = Find(paragraphs);
  LinkQuoteSpeakers(paragraphs, entities, &quotes);
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[1].speaker, "Zelensky");
  EXPECT_EQ(quotes[1].speaker_entity_id, "person-volodymyr-zelensky");
}

TEST(QuotesTest, LinksSpeakersToPersonEntities) {
  std::vector<Quote> quotes = {{"a b", "Xi", "", 0}, {"c d", "Xi Jinping", "", 1},
                               {"e f", "Kyiv", "", 2}};
  const std::vector<ArticleEntity> entities = {
      {"location-kyiv", "Kyiv", EntityType::kLocation, 1, {"Kyiv"}, true},
      {"person-xi-jinping", "Xi Jinping", EntityType::kPerson, 3, {"Xi Jinping", "Xi"}, true}};
  LinkQuoteSpeakers({}, entities, &quotes);
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
