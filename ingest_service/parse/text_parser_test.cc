#include "ingest_service/parse/text_parser.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/parse/paragraph_cleaner.h"
#include "ingest_service/parse/parsed_article_matchers.h"

namespace newsdesk::ingest {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadSeed(absl::string_view name) {
  std::ifstream in(absl::StrCat(NEWSDESK_DATA_DIR, "/seeds/", name), std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

ParsedArticle ParseSeed(absl::string_view name) {
  return TextParser().Parse(ReadSeed(name));
}

absl::Time UtcDay(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

// Matches paragraph lists that mention `text` in no paragraph.
MATCHER_P(NoParagraphMentions, text, "") {
  for (const std::string& paragraph : arg) {
    if (paragraph.find(text) != std::string::npos) {
      *result_listener << "paragraph \"" << paragraph << "\" mentions it";
      return false;
    }
  }
  return true;
}

TEST(TextParserSeedTest, Seed000CaptionsKeyPointsAndShare) {
  const ParsedArticle article = ParseSeed("000_bc9c7e850a66cecc.txt");
  EXPECT_EQ(
      article.title,
      "Xi Jinping wants Ukraine peace talks reboot as leaders urge him to push Russia to "
      "end war");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.publish_time.source, TimeSource::kNone);
  EXPECT_THAT(article.key_points,
              ElementsAre("Western leaders have urged Chinese leader Xi Jinping to help "
                          "persuade Russia to halt "
                          "the war.",
                          StartsWith("China is ready to work with France"),
                          StartsWith("Fighting continues in Bakhmut")));
  EXPECT_THAT(article.title_labels, IsEmpty());
  // The standfirst sits above the photo and the key points.
  EXPECT_THAT(article.standfirst, StartsWith("Chinese President Xi Jinping, who said"));
  EXPECT_THAT(article.authors, IsEmpty());
  EXPECT_EQ(article.dateline_place, "");
  EXPECT_FALSE(article.update_time.known());
  ASSERT_THAT(article.paragraphs, Not(IsEmpty()));
  EXPECT_THAT(article.paragraphs.front(), StartsWith("Ukrainian and Russian forces battled"));
  EXPECT_THAT(article.paragraphs[1], StartsWith("Ukrainian soldiers in trenches"));
  EXPECT_EQ(
      article.paragraphs.back(),
      "Ukrainian border guard Levko Stek, speaking in a video clip amid explosions, said "
      "Ukrainian forces did not sense any \"ammunition hunger\" on the Russian side.");
  EXPECT_THAT(
      article.removed_blocks,
      ElementsAre(
          RemovedBlockIs(RemovedBlockKind::kCaption, "Two men shaking hands."),
          RemovedBlockIs(RemovedBlockKind::kCaption,
                         "French President Emmanuel Macron (left) shakes hands "
                         "with Chinese President Xi Jinping after meeting the "
                         "press at the Great Hall of the People in Beijing, "
                         "China, on Thursday."),
          RemovedBlockIs(RemovedBlockKind::kCredit, "Source: AAP, EPA / Ng Han Guan"),
          RemovedBlockIs(RemovedBlockKind::kHeading, "Key Points"),
          RemovedBlockIs(RemovedBlockKind::kCaption,
                         "Russian President Vladimir Putin sitting at a desk"),
          RemovedBlockIs(RemovedBlockKind::kCaption,
                         "Vladimir Putin has said Beijing's 12-point peace plan, "
                         "unveiled in March, could be used as a basis to end the "
                         "war in Ukraine."),
          RemovedBlockIs(RemovedBlockKind::kCredit, "Source: AAP / Gavriil Grigorov"),
          RemovedBlockIs(RemovedBlockKind::kShareTail, "Share")));
  EXPECT_THAT(article.paragraphs,
              AllOf(NoParagraphMentions("Source:"), NoParagraphMentions("shaking hands"),
                    NoParagraphMentions("Key Points")));
  EXPECT_EQ(article.paragraphs.size(), 19u);
}

TEST(TextParserSeedTest, Seed001DateLinesAndBoilerplate) {
  const ParsedArticle article = ParseSeed("001_fc00426c0e321901.txt");
  EXPECT_EQ(article.title, "China urges Ukraine talks as Bakhmut battle continues");
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 3, 17));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kDay);
  EXPECT_EQ(article.publish_time.source, TimeSource::kText);
  EXPECT_EQ(article.publish_time.evidence, "March 17, 2023");
  EXPECT_EQ(article.publish_time.provenance, "line 7");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kDateLineConfidence);
  EXPECT_FALSE(article.publish_time.time_zone_known);
  EXPECT_FALSE(article.update_time.known());
  EXPECT_EQ(article.standfirst,
            "Chinese officials are urging Ukraine and Russia to agree to a gradual "
            "de-escalation leading to a comprehensive ceasefire while fighting continues "
            "in Bakhmut.");
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kReadingTime,
                                         "Estimated reading time 3 minutes 3 Min"),
                          RemovedBlockIs(RemovedBlockKind::kDateLine, "March 17, 2023"),
                          RemovedBlockIs(RemovedBlockKind::kDateLine, "17 March 2023"),
                          RemovedBlockIs(RemovedBlockKind::kRelatedLinks,
                                         "More in Top Stories")));
  ASSERT_THAT(article.paragraphs, Not(IsEmpty()));
  EXPECT_THAT(article.paragraphs.front(), StartsWith("China wants Russia and Ukraine"));
  // No-break spaces are whitespace: trimmed at the end, collapsed inside.
  EXPECT_THAT(
      article.paragraphs,
      Contains("Meanwhile, on the battlefield in Ukraine\u2019s east, Ukrainian forces "
               "continued to withstand Russian assaults on the now-ruined city of "
               "Bakhmut."));
  EXPECT_THAT(article.paragraphs,
              Contains(HasSubstr("\u201Cback channel\u201D for starting")));
  EXPECT_THAT(article.paragraphs, AllOf(NoParagraphMentions("March 17, 2023"),
                                        NoParagraphMentions("More in Top Stories")));
}

TEST(TextParserSeedTest, Seed002StripsTrailingPeriodFromTitle) {
  const ParsedArticle article = ParseSeed("002_b3046c6bb07cf1a6.txt");
  EXPECT_EQ(
      article.title,
      "China will send an envoy to Ukraine to hold peace talks with all parties and make "
      "efforts for a ceasefire");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.publish_time.confidence, 0);
  EXPECT_THAT(article.title_labels, IsEmpty());
  EXPECT_EQ(article.standfirst, "");
  EXPECT_THAT(article.removed_blocks, IsEmpty());
  ASSERT_EQ(article.paragraphs.size(), 14u);
  EXPECT_THAT(article.paragraphs.front(), StartsWith("China is Moscow's most important"));
  EXPECT_THAT(article.paragraphs, Contains("Xi said:"));
}

TEST(TextParserSeedTest, Seed003StripsBreakingPrefix) {
  const ParsedArticle article = ParseSeed("003_a3f724cffde74e1a.txt");
  EXPECT_EQ(article.title,
            "Chinese President Xi Says China is Ready to Facilitate Peace Talks");
  EXPECT_THAT(article.title_labels, ElementsAre("BREAKING"));
  EXPECT_EQ(article.standfirst, "");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_THAT(article.removed_blocks, IsEmpty());
  ASSERT_EQ(article.paragraphs.size(), 13u);
  EXPECT_THAT(article.paragraphs.front(),
              StartsWith("On Thursday, Chinese president Xi"));
  EXPECT_THAT(article.paragraphs, Contains("The Diplomat reported:"));
}

TEST(TextParserSeedTest, Seed004DatePrefixAndNoTitle) {
  const ParsedArticle article = ParseSeed("004_5ae21f2a0cf7424a.txt");
  EXPECT_EQ(article.title, "");
  EXPECT_EQ(article.publish_time.time, UtcDay(2023, 4, 26));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kDay);
  EXPECT_EQ(article.publish_time.source, TimeSource::kText);
  EXPECT_EQ(article.publish_time.evidence, "date 2023-04-26");
  EXPECT_EQ(article.publish_time.provenance, "line 1");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kLabeledDateLineConfidence);
  EXPECT_FALSE(article.publish_time.time_zone_known);
  EXPECT_THAT(
      article.removed_blocks,
      ElementsAre(RemovedBlockIs(RemovedBlockKind::kDateLine, "date 2023-04-26")));
  ASSERT_EQ(article.paragraphs.size(), 27u);
  EXPECT_THAT(article.paragraphs.front(),
              StartsWith("Chinese President Xi Jinping spoke by phone with his Ukrainian "
                         "counterpart"));
  EXPECT_THAT(article.paragraphs, Contains("Open to discussion"));
}

TEST(TextParserTest, EmptyInputGivesEmptyArticle) {
  for (absl::string_view text : {"", "\n\n", "  \t \r\n \u00A0 "}) {
    const ParsedArticle article = TextParser().Parse(text);
    EXPECT_EQ(article.title, "");
    EXPECT_THAT(article.paragraphs, IsEmpty());
    EXPECT_THAT(article.removed_blocks, IsEmpty());
    EXPECT_FALSE(article.publish_time.known());
  }
}

TEST(TextParserTest, NormalizesWhitespaceAndLineEndings) {
  const ParsedArticle article = TextParser().Parse(
      "\xEF\xBB\xBFTalks   resume\r\n\r\n  First\tparagraph  here.\r\n");
  EXPECT_EQ(article.title, "Talks resume");
  EXPECT_THAT(article.paragraphs, ElementsAre("First paragraph here."));
}

TEST(TextParserTest, ReadsBylines) {
  ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nBy Jane Doe and John Roe, Reuters\nThe two leaders spoke.");
  EXPECT_EQ(article.byline, "Jane Doe and John Roe, Reuters");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe", "John Roe"));
  EXPECT_EQ(article.outlet, "Reuters");
  EXPECT_THAT(article.paragraphs, ElementsAre("The two leaders spoke."));

  article = TextParser().Parse(
      "Xi calls Zelensky\nBy Jane Doe | Reuters\nThe two leaders spoke.");
  EXPECT_EQ(article.byline, "Jane Doe | Reuters");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe"));
  EXPECT_EQ(article.outlet, "Reuters");

  article = TextParser().Parse(
      "Talks collapse\nBy Thursday, the talks had collapsed without a deal.\nMore "
      "later.");
  EXPECT_EQ(article.byline, "");
  EXPECT_THAT(article.paragraphs,
              Contains("By Thursday, the talks had collapsed without a deal."));
}

TEST(TextParserTest, BylineOnlyNearTheTop) {
  std::string text = "Headline here\n";
  for (int i = 0; i < 12; ++i) absl::StrAppend(&text, "Body sentence number ", i, ".\n");
  absl::StrAppend(&text, "By Jane Doe\n");
  const ParsedArticle article = TextParser().Parse(text);
  EXPECT_EQ(article.byline, "");
  EXPECT_THAT(article.paragraphs, Contains("By Jane Doe"));
}

TEST(TextParserTest, StripsWirePrefixesFromTitle) {
  for (absl::string_view prefix :
       {"BREAKING: ", "BREAKING NEWS: ", "UPDATE 2-", "EXCLUSIVE-",
        "EXCLUSIVE: ", "FACTBOX-", "WRAPUP 1-", "ANALYSIS-"}) {
    const ParsedArticle article =
        TextParser().Parse(absl::StrCat(prefix, "China urges talks\n\nBody text."));
    EXPECT_EQ(article.title, "China urges talks") << prefix;
  }
}

TEST(TextParserTest, NeverInventsTitle) {
  ParsedArticle article = TextParser().Parse(
      "China is Moscow's partner. Xi visited Russia last month.\nMore body.");
  EXPECT_EQ(article.title, "");
  EXPECT_THAT(article.paragraphs,
              ElementsAre(StartsWith("China is Moscow's partner."), "More body."));

  article = TextParser().Parse("Xi said:\n\"We want peace.\"");
  EXPECT_EQ(article.title, "");
  EXPECT_THAT(article.paragraphs, ElementsAre("Xi said:", "\"We want peace.\""));

  article = TextParser().Parse(
      absl::StrCat(std::string(160, 'a'), "\nShort line after a long first paragraph"));
  EXPECT_EQ(article.title, "");
}

TEST(TextParserTest, TitleSkipsLeadingBoilerplate) {
  const ParsedArticle article = TextParser().Parse(
      "5 min read\n\nPublished 10:42 AM GMT+1, February 14, 2024\n"
      "Xi meets envoy in the U.S.\nBody text follows here.");
  EXPECT_EQ(article.title, "Xi meets envoy in the U.S.");
  EXPECT_EQ(article.publish_time.time,
            absl::FromCivil(absl::CivilMinute(2024, 2, 14, 9, 42), absl::UTCTimeZone()));
  EXPECT_EQ(article.publish_time.precision, TimePrecision::kMinute);
  EXPECT_TRUE(article.publish_time.time_zone_known);
  EXPECT_EQ(article.publish_time.evidence, "Published 10:42 AM GMT+1, February 14, 2024");
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kReadingTime, "5 min read"),
                          RemovedBlockIs(RemovedBlockKind::kDateLine,
                                         "Published 10:42 AM GMT+1, February 14, 2024")));
}

TEST(TextParserTest, ReadsDateLineWithZone) {
  const ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nWed 5 Jul 2023 14.32 BST\nThe leaders spoke.");
  EXPECT_EQ(article.publish_time.time,
            absl::FromCivil(absl::CivilMinute(2023, 7, 5, 13, 32), absl::UTCTimeZone()));
  EXPECT_TRUE(article.publish_time.time_zone_known);
  EXPECT_EQ(article.publish_time.source, TimeSource::kText);
  EXPECT_THAT(article.paragraphs, ElementsAre("The leaders spoke."));
}

TEST(TextParserTest, DatesInsideSentencesAreNotPublishTimes) {
  const ParsedArticle article = TextParser().Parse(
      "Talks in Beijing\nTalks were held on March 17, 2023 in Beijing.\n"
      "March 2022 was when the plan was first drafted.");
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_EQ(article.paragraphs.size(), 2u);
  EXPECT_THAT(article.removed_blocks, IsEmpty());
}

TEST(TextParserTest, LateDateLinesAreRemovedButNotPublishTimes) {
  std::string text = "Headline here\n";
  for (int i = 0; i < 12; ++i) absl::StrAppend(&text, "Body sentence number ", i, ".\n");
  absl::StrAppend(&text, "17 March 2023\ndate 2023-04-26 is mentioned in passing.\n");
  const ParsedArticle article = TextParser().Parse(text);
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kDateLine, "17 March 2023")));
  EXPECT_THAT(article.paragraphs, Contains("date 2023-04-26 is mentioned in passing."));
}

TEST(TextParserTest, ReadsWireStoryHeader) {
  const ParsedArticle article = TextParser().Parse(
      "UPDATE 2-Ukraine says talks with China were meaningful\n"
      "By Jane Doe and John Roe\n"
      "Published 10:42 AM GMT+1, February 14, 2024\n"
      "Updated Wed 14 Feb 2024 14.32 GMT\n"
      "KYIV, Feb 14 (Reuters) - Ukraine said on Wednesday its talks were meaningful.\n"
      "The talks lasted an hour.");
  EXPECT_EQ(article.title, "Ukraine says talks with China were meaningful");
  EXPECT_THAT(article.title_labels, ElementsAre("UPDATE 2"));
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe", "John Roe"));
  EXPECT_EQ(article.outlet, "Reuters");
  EXPECT_EQ(article.dateline_place, "KYIV");
  EXPECT_EQ(article.publish_time.time,
            absl::FromCivil(absl::CivilMinute(2024, 2, 14, 9, 42), absl::UTCTimeZone()));
  EXPECT_TRUE(article.publish_time.time_zone_known);
  EXPECT_EQ(article.publish_time.provenance, "line 3");
  EXPECT_DOUBLE_EQ(article.publish_time.confidence, kLabeledDateLineConfidence);
  EXPECT_EQ(article.update_time.time,
            absl::FromCivil(absl::CivilMinute(2024, 2, 14, 14, 32), absl::UTCTimeZone()));
  EXPECT_EQ(article.update_time.provenance, "line 4");
  EXPECT_EQ(article.standfirst, "");
  EXPECT_THAT(article.paragraphs, ElementsAre("Ukraine said on Wednesday its talks were meaningful.",
                                              "The talks lasted an hour."));
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kDateLine,
                                         "Published 10:42 AM GMT+1, February 14, 2024"),
                          RemovedBlockIs(RemovedBlockKind::kDateLine,
                                         "Updated Wed 14 Feb 2024 14.32 GMT"),
                          RemovedBlockIs(RemovedBlockKind::kDateline,
                                         "KYIV, Feb 14 (Reuters) -")));
}

TEST(TextParserTest, StandfirstNeedsHeaderFurnitureAfterIt) {
  ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nThe two leaders spoke for the first time.\nBy Jane Doe\n"
      "BEIJING (AP) \u2014 Xi spoke to Zelensky.");
  EXPECT_EQ(article.standfirst, "The two leaders spoke for the first time.");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe"));
  EXPECT_EQ(article.outlet, "AP");
  EXPECT_EQ(article.dateline_place, "BEIJING");
  EXPECT_THAT(article.paragraphs, ElementsAre("Xi spoke to Zelensky."));

  article = TextParser().Parse(
      "Xi calls Zelensky\nThe two leaders spoke.\nThey spoke for an hour.");
  EXPECT_EQ(article.standfirst, "");
  EXPECT_EQ(article.paragraphs.size(), 2u);
}

TEST(TextParserTest, RemovesTailsAndRelatedLinks) {
  const ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nThe leaders spoke.\nRead more: China sends envoy to Kyiv\n"
      "Related:\nShare this article\nSubscribe\nFollow us on Twitter");
  EXPECT_THAT(article.paragraphs, ElementsAre("The leaders spoke."));
  EXPECT_THAT(
      article.removed_blocks,
      ElementsAre(RemovedBlockIs(RemovedBlockKind::kRelatedLinks,
                                 "Read more: China sends envoy to Kyiv"),
                  RemovedBlockIs(RemovedBlockKind::kRelatedLinks, "Related:"),
                  RemovedBlockIs(RemovedBlockKind::kShareTail, "Share this article"),
                  RemovedBlockIs(RemovedBlockKind::kShareTail, "Subscribe"),
                  RemovedBlockIs(RemovedBlockKind::kShareTail, "Follow us on Twitter")));
}

TEST(TextParserTest, RemovesCaptionsWithCredits) {
  const ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nThe leaders spoke for an hour on Wednesday.\n"
      "Xi Jinping at a desk\nXi Jinping speaks in Beijing on Wednesday (Reuters/John "
      "Doe)\n"
      "He said talks and negotiations were the only way out of the war for both sides.\n"
      "Zelensky in Kyiv.\nPhoto: Ng Han Guan/AP\nThe call was made by Kyiv.");
  EXPECT_THAT(
      article.paragraphs,
      ElementsAre("The leaders spoke for an hour on Wednesday.",
                  "He said talks and negotiations were the only way out of the war for "
                  "both sides.",
                  "The call was made by Kyiv."));
  EXPECT_THAT(
      article.removed_blocks,
      ElementsAre(RemovedBlockIs(RemovedBlockKind::kCaption, "Xi Jinping at a desk"),
                  RemovedBlockIs(RemovedBlockKind::kCaption,
                                 "Xi Jinping speaks in Beijing on Wednesday"),
                  RemovedBlockIs(RemovedBlockKind::kCredit, "(Reuters/John Doe)"),
                  RemovedBlockIs(RemovedBlockKind::kCaption, "Zelensky in Kyiv."),
                  RemovedBlockIs(RemovedBlockKind::kCredit, "Photo: Ng Han Guan/AP")));
}

TEST(TextParserTest, KeyPointsAfterHeading) {
  const ParsedArticle article = TextParser().Parse(
      "Xi calls Zelensky\nHighlights:\n- First call since the invasion\n* China to send "
      "envoy\n"
      "The leaders spoke.\n\u2022 A bullet in the body stays in the body");
  EXPECT_THAT(article.key_points,
              ElementsAre("First call since the invasion", "China to send envoy"));
  EXPECT_THAT(article.removed_blocks,
              ElementsAre(RemovedBlockIs(RemovedBlockKind::kHeading, "Highlights:")));
  EXPECT_THAT(article.paragraphs, ElementsAre("The leaders spoke.",
                                              "A bullet in the body stays in the body"));
}

TEST(TextParserTest, SurvivesHostileInput) {
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    absl::StrAppend(&text, "\u2022 \n(\n)\nBy \nSource: \n2023-02-30\n",
                    std::string(i % 7, ' '), "Key Points\n");
  }
  absl::StrAppend(&text, std::string(1 << 20, 'x'), "\n", std::string(1 << 16, '.'));
  const ParsedArticle article = TextParser().Parse(text);
  EXPECT_FALSE(article.publish_time.known());
  EXPECT_THAT(article.paragraphs, Not(IsEmpty()));
}

// Wire copy wrapped at 68 columns, paragraphs indented: written for these
// tests in the way wires and e-mail feeds send it.
constexpr absl::string_view kWrappedWire =
    "26-APR-2023 14:32:00\n"
    "GRAIN DEAL TALKS TO RESUME IN ISTANBUL NEXT WEEK\n"
    "    ISTANBUL, April 26 (Reuters) - Negotiators from Ukraine, Russia\n"
    "and Turkey will meet in Istanbul next week to discuss an extension\n"
    "of the Black Sea grain deal, officials said on Wednesday.\n"
    "    \"We are ready to talk about every point of the agreement,\" said\n"
    "Deputy Minister Olena Petrova, who leads the Ukrainian delegation.\n"
    "    Exports under the deal fell by a third in March, according to\n"
    "figures published by the joint coordination centre in Istanbul.\n"
    "    Shipments by crop (million tonnes):\n"
    "    Wheat        3.7\n"
    "    Maize        3.1\n"
    "    Barley       2.1\n";

TEST(TextParserWrappedTest, JoinsWrappedLinesIntoParagraphs) {
  const ParsedArticle article = TextParser().Parse(kWrappedWire);
  EXPECT_EQ(article.title, "GRAIN DEAL TALKS TO RESUME IN ISTANBUL NEXT WEEK");
  EXPECT_EQ(article.publish_time.time,
            absl::FromCivil(absl::CivilMinute(2023, 4, 26, 14, 32), absl::UTCTimeZone()));
  EXPECT_EQ(article.dateline_place, "ISTANBUL");
  EXPECT_THAT(
      article.paragraphs,
      ElementsAre(
          "Negotiators from Ukraine, Russia and Turkey will meet in Istanbul next week "
          "to discuss an extension of the Black Sea grain deal, officials said on "
          "Wednesday.",
          "\"We are ready to talk about every point of the agreement,\" said Deputy "
          "Minister Olena Petrova, who leads the Ukrainian delegation.",
          "Exports under the deal fell by a third in March, according to figures "
          "published by the joint coordination centre in Istanbul.",
          "Shipments by crop (million tonnes):", "Wheat 3.7", "Maize 3.1",
          "Barley 2.1"));
}

TEST(TextParserWrappedTest, IndentedRowsStayApart) {
  // Wire earnings copy: indented paragraph openings and indented rows.
  const ParsedArticle article = TextParser().Parse(
      "ACME CORP 1ST QTR NET\n"
      "    DENVER, April 26 - Acme Corp said its first quarter results\n"
      "reflected lower prices for its metals and a weaker order book in\n"
      "the fabrication unit, which it plans to sell this year.\n"
      "    Oper shr loss two cts vs profit 17 cts a share\n"
      "    Oper net loss 95,000 dlrs vs profit 1,023,000 dlrs\n"
      "    Revs 11.2 mln dlrs vs 12.5 mln dlrs in the quarter\n");
  EXPECT_THAT(article.paragraphs,
              ElementsAre(StartsWith("Acme Corp said its first quarter results reflected"),
                          "Oper shr loss two cts vs profit 17 cts a share",
                          "Oper net loss 95,000 dlrs vs profit 1,023,000 dlrs",
                          "Revs 11.2 mln dlrs vs 12.5 mln dlrs in the quarter"));
}

TEST(TextParserWrappedTest, BlankLinesSeparateParagraphs) {
  const ParsedArticle article = TextParser().Parse(
      "Council approves new budget for city schools\n"
      "\n"
      "By Jane Doe\n"
      "March 17, 2023\n"
      "\n"
      "The city council approved on Thursday a budget that raises spending\n"
      "on schools by four percent, the first increase in three years.\n"
      "\n"
      "Teachers had asked for more. Their union said the rise would not\n"
      "cover the cost of the new contracts signed last autumn.\n"
      "Short final line.\n"
      "\n"
      "Key Points\n"
      "- Spending on schools rises by four percent, the first rise since\n"
      "- The union says the rise does not cover the new contracts at all\n");
  EXPECT_EQ(article.title, "Council approves new budget for city schools");
  EXPECT_THAT(article.authors, ElementsAre("Jane Doe"));
  EXPECT_TRUE(article.publish_time.known());
  EXPECT_THAT(
      article.paragraphs,
      ElementsAre("The city council approved on Thursday a budget that raises spending "
                  "on schools by four percent, the first increase in three years.",
                  "Teachers had asked for more. Their union said the rise would not "
                  "cover the cost of the new contracts signed last autumn. Short final "
                  "line."));
  EXPECT_THAT(article.key_points, ElementsAre(StartsWith("Spending on schools"),
                                              StartsWith("The union says")));
}

TEST(TextParserWrappedTest, QuotesSpanningWrappedLinesAreFound) {
  const ParsedArticle article = TextParser().Parse(kWrappedWire);
  ASSERT_GE(article.paragraphs.size(), 2u);
  EXPECT_THAT(article.paragraphs[1], StartsWith("\"We are ready to talk about every "
                                                "point of the agreement,\" said Deputy"));
}

TEST(TextParserWrappedTest, UnwrappedTextKeepsOneParagraphPerLine) {
  // Lines longer than any wrap width: each is a paragraph of its own.
  const std::string long_line(120, 'x');
  const ParsedArticle article = TextParser().Parse(absl::StrCat(
      "Headline of the story\n", "First ", long_line, "\n", "Second ", long_line, "\n",
      "Third ", long_line, "\n", "A short line.\n"));
  EXPECT_EQ(article.paragraphs.size(), 4u);
}

}  // namespace
}  // namespace newsdesk::ingest
