#include "ingest_service/parse/article_parser.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/parse/paragraph_cleaner.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

RawArticle Raw(std::string content, ContentType type = ContentType::kAuto,
               std::string hint = "") {
  RawArticle raw;
  raw.content = std::move(content);
  raw.content_type = type;
  raw.metadata.publish_time_hint = std::move(hint);
  return raw;
}

absl::Time UtcDay(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(LooksLikeHtmlTest, DocumentTags) {
  for (absl::string_view content :
       {"<!DOCTYPE html><html>", "<html>", "  \n<HTML lang=en>", "\xEF\xBB\xBF<head>",
        "<body>", "<article class=x>", "<html"}) {
    EXPECT_TRUE(LooksLikeHtml(content)) << content;
  }
}

TEST(LooksLikeHtmlTest, TagDominatedFragments) {
  EXPECT_TRUE(LooksLikeHtml("<div><p>Some text</p><p>More</p></div>"));
  EXPECT_TRUE(LooksLikeHtml("Advertisement <div class=a></div><span></span><b></b>"));
}

TEST(LooksLikeHtmlTest, PlainText) {
  for (absl::string_view content :
       {"", "China urges talks\n\nBody text.", "<htmlish> is not a tag we know",
        "Prices rose 5% <3 times> the norm", "I <3 peace talks",
        "A long line of text that mentions <b> once but is mostly words, words and "
        "words."}) {
    EXPECT_FALSE(LooksLikeHtml(content)) << content;
  }
}

TEST(ArticleParserTest, AutoDetectsHtml) {
  const ParsedArticle article = ArticleParser().Parse(
      Raw("<html><head><title>Xi calls Zelensky | News</title></head>"
          "<body><p>The leaders spoke.</p></body></html>"));
  EXPECT_EQ(article.title, "Xi calls Zelensky");
  EXPECT_THAT(article.paragraphs, ElementsAre("The leaders spoke."));
}

TEST(ArticleParserTest, AutoDetectsText) {
  const ParsedArticle article =
      ArticleParser().Parse(Raw("Xi calls Zelensky\n\nThe leaders spoke."));
  EXPECT_EQ(article.title, "Xi calls Zelensky");
  EXPECT_THAT(article.paragraphs, ElementsAre("The leaders spoke."));
}

TEST(ArticleParserTest, ContentTypeOverridesDetection) {
  const std::string html = "<html><body>\n<p>The leaders spoke.</p>\n</body></html>";
  EXPECT_THAT(ArticleParser().Parse(Raw(html, ContentType::kText)).paragraphs,
              Contains("<p>The leaders spoke.</p>"));
  const std::string fragment = "Xi calls Zelensky\n<p>The leaders spoke.</p>";
  ASSERT_FALSE(LooksLikeHtml(fragment));
  EXPECT_THAT(ArticleParser().Parse(Raw(fragment, ContentType::kHtml)).paragraphs,
              ElementsAre("The leaders spoke."));
}

TEST(ArticleParserTest, AppliesHintWhenContentHasNoDate) {
  const ParsedArticle article = ArticleParser().Parse(
      Raw("Xi calls Zelensky\n\nThe leaders spoke.", ContentType::kAuto, " 2023-04-26 "));
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 4, 26));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kDay);
  EXPECT_EQ(article.publish_time.source, TimeSource::kCallerHint);
  EXPECT_EQ(article.publish_time.evidence, " 2023-04-26 ");
  EXPECT_EQ(article.publish_time.provenance, "publish_time_hint");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kCallerHintConfidence);
  EXPECT_EQ(article.hinted_publish_time.time, UtcDay(2023, 4, 26));
}

TEST(ArticleParserTest, ContentDateWinsOverHint) {
  ParsedArticle article =
      ArticleParser().Parse(Raw("Xi calls Zelensky\nMarch 17, 2023\nThe leaders spoke.",
                                ContentType::kAuto, "2024-01-01"));
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 3, 17));
  EXPECT_EQ(article.publish_time.source, TimeSource::kText);
  // The hint that disagrees is kept beside the text's date.
  EXPECT_EQ(article.hinted_publish_time.time, UtcDay(2024, 1, 1));
  EXPECT_EQ(article.hinted_publish_time.source, TimeSource::kCallerHint);
  EXPECT_EQ(article.hinted_publish_time.evidence, "2024-01-01");

  article =
      ArticleParser().Parse(Raw(R"(<meta name="date" content="2023-03-18"><p>Body.</p>)",
                                ContentType::kHtml, "2024-01-01"));
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 3, 18));
  EXPECT_EQ(article.publish_time.source, TimeSource::kHtmlMetadata);
}

TEST(ArticleParserTest, ReadsNumericDatesInTheLanguageRegionsOrder) {
  RawArticle raw = Raw("Xi calls Zelensky\n05/04/2023\nThe leaders spoke.");
  EXPECT_FALSE(ArticleParser().Parse(raw).publish_time.known());  // April 5 or May 4?
  raw.metadata.language = "en-GB";
  EXPECT_EQ(ArticleParser().Parse(raw).publish_time.time, UtcDay(2023, 4, 5));
  raw.metadata.language = "en-US";
  EXPECT_EQ(ArticleParser().Parse(raw).publish_time.time, UtcDay(2023, 5, 4));
  // Unambiguous without a region.
  raw = Raw("Xi calls Zelensky\n26/04/2023\nThe leaders spoke.");
  EXPECT_EQ(ArticleParser().Parse(raw).publish_time.time, UtcDay(2023, 4, 26));
  EXPECT_THAT(ArticleParser::ValidateHint("05/04/2023", "en"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ArticleParser::ValidateHint("05/04/2023", "en-AU"), IsOk());
}

std::string ReadSeed(absl::string_view name) {
  std::ifstream in(absl::StrCat(NEWSDESK_DATA_DIR, "/seeds/", name), std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

MATCHER_P2(QuoteBy, speaker, text_start, "") {
  return arg.speaker == speaker && absl::StartsWith(arg.text, text_start);
}

MATCHER_P4(MentionIs, text, start, end, precision, "") {
  return arg.text == text && arg.start == start && arg.end == end &&
         arg.precision == precision;
}

TEST(ArticleParserSeedTest, QuotesAndMentionedDates) {
  ParsedArticle article = ArticleParser().Parse(Raw(ReadSeed("004_5ae21f2a0cf7424a.txt")));
  EXPECT_THAT(article.quotes,
              ElementsAre(QuoteBy("Zelensky", "I had a long and meaningful phone call"),
                          // Resolved, or dropped, once entities are known.
                          QuoteBy("he", "I believe that this call"),
                          QuoteBy("Xi Jinping", "On the issue of the Ukraine crisis"),
                          QuoteBy("Yu Jun", "was initiated"),
                          QuoteBy("Putin", "I am sure that Russian-Chinese cooperation")));
  // Published Wednesday 2023-04-26.
  EXPECT_THAT(article.mentioned_dates,
              ElementsAre(MentionIs("Wednesday", UtcDay(2023, 4, 26), UtcDay(2023, 4, 27),
                                    TimePrecision::kDay),
                          MentionIs("February", UtcDay(2023, 2, 1), UtcDay(2023, 3, 1),
                                    TimePrecision::kMonth),
                          MentionIs("March", UtcDay(2023, 3, 1), UtcDay(2023, 4, 1),
                                    TimePrecision::kMonth),
                          MentionIs("February 12", UtcDay(2023, 2, 12), UtcDay(2023, 2, 13),
                                    TimePrecision::kDay)));

  article = ArticleParser().Parse(Raw(ReadSeed("003_a3f724cffde74e1a.txt")));
  EXPECT_THAT(article.quotes,
              ElementsAre(QuoteBy("Xi", "Peace talks should resume"),
                          QuoteBy("Xi", "avoid taking actions"),
                          QuoteBy("Macron", "We need to find a lasting peace"),
                          QuoteBy("Mao Ning", "China has always adhered"),
                          QuoteBy("Li", "send positive signals")));
  // No publication date: only absolute dates are resolved.
  EXPECT_THAT(article.mentioned_dates,
              ElementsAre(MentionIs("February 2022", UtcDay(2022, 2, 1), UtcDay(2022, 3, 1),
                                    TimePrecision::kMonth)));

  article = ArticleParser().Parse(Raw(ReadSeed("001_fc00426c0e321901.txt")));
  EXPECT_THAT(article.quotes, Contains(QuoteBy("Qin", "China hopes that all parties")));
  // Published Friday 2023-03-17.
  EXPECT_THAT(article.mentioned_dates,
              Contains(MentionIs("Thursday", UtcDay(2023, 3, 16), UtcDay(2023, 3, 17),
                                 TimePrecision::kDay)));
  EXPECT_THAT(article.mentioned_dates,
              Contains(MentionIs("two days ago", UtcDay(2023, 3, 15), UtcDay(2023, 3, 16),
                                 TimePrecision::kDay)));
}

TEST(ArticleParserTest, IgnoresUnreadableHint) {
  const ParsedArticle article =
      ArticleParser().Parse(Raw("Title\nBody.", ContentType::kText, "next Tuesday"));
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.publish_time.source, TimeSource::kNone);
}

TEST(ArticleParserTest, ValidatesHints) {
  EXPECT_THAT(ArticleParser::ValidateHint(""), IsOk());
  EXPECT_THAT(ArticleParser::ValidateHint("2023-04-26T14:32:00Z"), IsOk());
  EXPECT_THAT(ArticleParser::ValidateHint("March 2023"), IsOk());
  EXPECT_THAT(
      ArticleParser::ValidateHint("next Tuesday"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "publish_time_hint 'next Tuesday' is not a date the parser reads"));
  EXPECT_THAT(ArticleParser::ValidateHint("2023-02-30"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ArticleParserTest, QuotesLongHintsShortened) {
  const std::string hint =
      absl::StrCat(std::string(63, 'x'), "\u00E9", std::string(100, 'y'));
  EXPECT_THAT(ArticleParser::ValidateHint(hint),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("'", std::string(63, 'x'), "...'"))));
}

TEST(ArticleParserSeedTest, EverySeedReadsAsEnglish) {
  for (absl::string_view name :
       {"000_bc9c7e850a66cecc.txt", "001_fc00426c0e321901.txt", "002_b3046c6bb07cf1a6.txt",
        "003_a3f724cffde74e1a.txt", "004_5ae21f2a0cf7424a.txt"}) {
    const ParsedArticle article = ArticleParser().Parse(Raw(ReadSeed(name)));
    EXPECT_EQ(article.detected_language, "en") << name;
    EXPECT_GE(article.detected_language_confidence, 0.7) << name;
    EXPECT_EQ(article.language, "en") << name;
    EXPECT_EQ(article.language_source, LanguageSource::kDetected) << name;
  }
}

// A French story written for these tests, with a numeric date line.
constexpr absl::string_view kFrenchStory =
    "Reprise des négociations sur le budget\n"
    "05/04/2023\n"
    "Le ministre a déclaré mardi que les négociations avec les syndicats "
    "reprendraient après les vacances, et qu'il était convaincu qu'un accord serait "
    "trouvé avant la fin du mois.\n";

TEST(ArticleParserLanguageTest, DetectsTheLanguageAndReadsDatesInItsOrder) {
  const ParsedArticle article = ArticleParser().Parse(Raw(std::string(kFrenchStory)));
  EXPECT_EQ(article.detected_language, "fr");
  EXPECT_EQ(article.language, "fr");
  EXPECT_EQ(article.language_source, LanguageSource::kDetected);
  // French writes the day first: April 5, not "May 4" nor unknown.
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 4, 5));
}

TEST(ArticleParserLanguageTest, CallersLanguageWinsAndTheDetectedOneIsKept) {
  RawArticle raw = Raw(std::string(kFrenchStory));
  raw.metadata.language = "en-US";
  const ParsedArticle article = ArticleParser().Parse(raw);
  EXPECT_EQ(article.language, "en-US");
  EXPECT_EQ(article.language_source, LanguageSource::kCaller);
  EXPECT_EQ(article.detected_language, "fr");
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 5, 4));  // the caller's order
}

TEST(ArticleParserLanguageTest, ShortTextIsUndetermined) {
  const ParsedArticle article = ArticleParser().Parse(Raw("Headline\n\nBody text.\n"));
  EXPECT_EQ(article.detected_language, "und");
  EXPECT_EQ(article.detected_language_confidence, 0);
  EXPECT_EQ(article.language, "und");
}

TEST(ArticleParserLanguageTest, PagesDeclaredLanguageComesBeforeDetection) {
  const std::string body =
      "<p>Der Minister sagte am Dienstag, dass die Gespräche mit der Gewerkschaft nach "
      "den Feiertagen wieder aufgenommen werden.</p><p>Stand: 05/04/2023</p>";
  ParsedArticle article = ArticleParser().Parse(Raw(
      absl::StrCat("<html lang=\"de-AT\"><head><title>Gespräche</title></head><body>",
                   body, "</body></html>"),
      ContentType::kHtml));
  EXPECT_EQ(article.page_language, "de-AT");
  EXPECT_EQ(article.language, "de-AT");
  EXPECT_EQ(article.language_source, LanguageSource::kPageMetadata);
  EXPECT_EQ(article.detected_language, "de");

  // JSON-LD inLanguage first, then <html lang>, then og:locale.
  article = ArticleParser().Parse(Raw(
      absl::StrCat("<html lang=\"de\"><head><script type=\"application/ld+json\">"
                   "{\"@type\": \"NewsArticle\", \"headline\": \"Gespräche\", "
                   "\"inLanguage\": \"de-CH\"}</script></head><body>",
                   body, "</body></html>"),
      ContentType::kHtml));
  EXPECT_EQ(article.page_language, "de-CH");
  article = ArticleParser().Parse(Raw(
      absl::StrCat("<html><head><meta property=\"og:locale\" content=\"de_DE\">"
                   "<title>Gespräche</title></head><body>",
                   body, "</body></html>"),
      ContentType::kHtml));
  EXPECT_EQ(article.page_language, "de-DE");
  // A value that is no language tag is ignored.
  article = ArticleParser().Parse(Raw(
      absl::StrCat("<html lang=\"{{ lang }}\"><head><title>Gespräche</title></head><body>",
                   body, "</body></html>"),
      ContentType::kHtml));
  EXPECT_EQ(article.page_language, "");
  EXPECT_EQ(article.language, "de");
  EXPECT_EQ(article.language_source, LanguageSource::kDetected);
}

}  // namespace
}  // namespace newsdesk::ingest
