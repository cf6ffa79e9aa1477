#include "ingest_service/parse/line_rules.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

TEST(LineRulesTest, ReadingTime) {
  for (absl::string_view line :
       {"Estimated reading time 3 minutes 3 Min", "5 min read", "12 minute read",
        "3-minute read", "Reading time: 4 minutes"}) {
    EXPECT_TRUE(IsReadingTime(line)) << line;
  }
  for (absl::string_view line : {"5 minutes later the talks resumed.", "min read", "5",
                                 "Reading the statement, he paused."}) {
    EXPECT_FALSE(IsReadingTime(line)) << line;
  }
}

TEST(LineRulesTest, ShareTail) {
  for (absl::string_view line :
       {"Share", "Share this article", "Share on Facebook Twitter Email",
        "SHARE:", "Subscribe", "Subscribe to our daily newsletter",
        "Follow us on Twitter", "Sign up for our newsletter"}) {
    EXPECT_TRUE(IsShareTail(line)) << line;
  }
  for (absl::string_view line :
       {"Share prices fell 5%.", "Subscribers rose by a third.", "Follow the money.",
        "Sign up here to vote",
        "He did not share the view of his colleagues on the matter."}) {
    EXPECT_FALSE(IsShareTail(line)) << line;
  }
}

TEST(LineRulesTest, RelatedLinks) {
  for (absl::string_view line :
       {"More in Top Stories", "Related:", "Related: China sends envoy to Kyiv",
        "Read more: Xi and Zelensky hold first call", "Most read", "See also: Factbox"}) {
    EXPECT_TRUE(IsRelatedLinks(line)) << line;
  }
  for (absl::string_view line :
       {"More from the ministry later.", "Related talks collapsed last year.",
        "Readers said: more please"}) {
    EXPECT_FALSE(IsRelatedLinks(line)) << line;
  }
}

TEST(LineRulesTest, KeyPointsHeading) {
  for (absl::string_view line : {"Key Points", "Key points:", "Highlights", "In brief"}) {
    EXPECT_TRUE(IsKeyPointsHeading(line)) << line;
  }
  EXPECT_FALSE(IsKeyPointsHeading("Key points of the plan were leaked"));
}

TEST(LineRulesTest, FindsCredits) {
  constexpr absl::string_view kSource =
      "Macron shakes hands with Xi on Thursday. Source: AAP, EPA / Ng Han Guan";
  EXPECT_EQ(kSource.substr(FindCreditStart(kSource)), "Source: AAP, EPA / Ng Han Guan");
  constexpr absl::string_view kParen = "Xi Jinping in Beijing (Reuters/John Doe)";
  EXPECT_EQ(kParen.substr(FindCreditStart(kParen)), "(Reuters/John Doe)");
  constexpr absl::string_view kAp = "Xi arrives in Moscow. (AP Photo/Andy Wong)";
  EXPECT_EQ(kAp.substr(FindCreditStart(kAp)), "(AP Photo/Andy Wong)");
  constexpr absl::string_view kPhoto = "Photo: Ng Han Guan/AP";
  EXPECT_EQ(FindCreditStart(kPhoto), 0u);
  constexpr absl::string_view kGuardian =
      "Xi Jinping at the summit. Photograph: Ng Han Guan/AP";
  EXPECT_EQ(kGuardian.substr(FindCreditStart(kGuardian)), "Photograph: Ng Han Guan/AP");
}

TEST(LineRulesTest, IgnoresCreditLikeBodyText) {
  for (absl::string_view line :
       {"The speed limit is 50 (km/h)",
        "Source: a senior official said the talks would resume. Both sides agreed.",
        "He cited an unnamed Source: the ministry", "Reports differ (see below)",
        "The Source: code was leaked"}) {
    EXPECT_EQ(FindCreditStart(line), absl::string_view::npos) << line;
  }
}

TEST(LineRulesTest, AltText) {
  EXPECT_TRUE(IsImageAltText("Two men shaking hands."));
  EXPECT_TRUE(IsImageAltText("Russian President Vladimir Putin sitting at a desk"));
  EXPECT_FALSE(IsImageAltText("Xi said:"));
  EXPECT_FALSE(
      IsImageAltText("A much longer line that has far more than twelve words in it and "
                     "so reads as body text"));
}

TEST(LineRulesTest, Bylines) {
  EXPECT_THAT(ParseByline("By Jane Doe and John Roe, Reuters"),
              Optional(absl::string_view("Jane Doe and John Roe, Reuters")));
  EXPECT_THAT(ParseByline("By Jane Doe | Reuters"),
              Optional(absl::string_view("Jane Doe | Reuters")));
  EXPECT_THAT(ParseByline("BY Ursula von der Leyen"),
              Optional(absl::string_view("Ursula von der Leyen")));
  for (absl::string_view line :
       {"By Thursday, the talks had collapsed", "By and large the plan held.", "By",
        "Bypassing the council", "By Jane Doe."}) {
    EXPECT_EQ(ParseByline(line), std::nullopt) << line;
  }
}

TEST(LineRulesTest, SplitsBylinesIntoAuthorsAndOutlet) {
  BylineParts parts = SplitByline("Jane Doe and John Roe, Reuters");
  EXPECT_THAT(parts.authors, ElementsAre("Jane Doe", "John Roe"));
  EXPECT_EQ(parts.outlet, "Reuters");
  parts = SplitByline("Jane Doe | Reuters");
  EXPECT_THAT(parts.authors, ElementsAre("Jane Doe"));
  EXPECT_EQ(parts.outlet, "Reuters");
  parts = SplitByline("Jane Doe, John Roe and Max Moe");
  EXPECT_THAT(parts.authors, ElementsAre("Jane Doe", "John Roe", "Max Moe"));
  EXPECT_EQ(parts.outlet, "");
  parts = SplitByline("Jane Doe & John Roe, BBC News");
  EXPECT_THAT(parts.authors, ElementsAre("Jane Doe", "John Roe"));
  EXPECT_EQ(parts.outlet, "BBC News");
  parts = SplitByline("Ursula von der Leyen");
  EXPECT_THAT(parts.authors, ElementsAre("Ursula von der Leyen"));
  EXPECT_EQ(parts.outlet, "");
  parts = SplitByline("Jane Doe for Reuters");
  EXPECT_THAT(parts.authors, ElementsAre("Jane Doe"));
  EXPECT_EQ(parts.outlet, "Reuters");
}

TEST(LineRulesTest, Datelines) {
  struct Case {
    absl::string_view line;
    absl::string_view place;
    absl::string_view agency;
    absl::string_view rest;
  };
  for (const Case& c : {
           Case{"KYIV, April 26 (Reuters) - Ukraine said", "KYIV", "Reuters", "Ukraine said"},
           Case{"BEIJING (AP) \u2014 China said", "BEIJING", "AP", "China said"},
           Case{"SALVADOR, Feb 26 - Showers continued", "SALVADOR", "", "Showers continued"},
           Case{"NEW YORK, March 2 - Shares rose", "NEW YORK", "", "Shares rose"},
           Case{"Kyiv, April 26 (Reuters) - Ukraine said", "Kyiv", "Reuters", "Ukraine said"},
           Case{"LONDON -- Prices fell", "LONDON", "", "Prices fell"},
       }) {
    SCOPED_TRACE(c.line);
    const std::optional<Dateline> dateline = ParseDateline(c.line);
    ASSERT_TRUE(dateline.has_value());
    EXPECT_EQ(dateline->place, c.place);
    EXPECT_EQ(dateline->agency, c.agency);
    EXPECT_EQ(c.line.substr(dateline->length), c.rest);
  }
  for (absl::string_view line :
       {"Kyiv - the capital - was quiet.", "China said on Monday - again - it wants talks",
        "U.S.-China talks resume", "The talks - which began", "NATO", "- Item",
        "KYIV, the capital, said - nothing"}) {
    EXPECT_EQ(ParseDateline(line), std::nullopt) << line;
  }
}

TEST(LineRulesTest, Bullets) {
  EXPECT_THAT(StripBullet("\u2022 Western leaders urged Xi"),
              Optional(absl::string_view("Western leaders urged Xi")));
  EXPECT_THAT(StripBullet("- item"), Optional(absl::string_view("item")));
  EXPECT_THAT(StripBullet("* item"), Optional(absl::string_view("item")));
  EXPECT_THAT(StripBullet("\u00B7item"), Optional(absl::string_view("item")));
  for (absl::string_view line : {"-5 degrees", "*emphasis*", "\u2022", "Plain line"}) {
    EXPECT_EQ(StripBullet(line), std::nullopt) << line;
  }
}

TEST(LineRulesTest, Headlines) {
  EXPECT_TRUE(IsHeadline("China urges Ukraine talks as Bakhmut battle continues"));
  EXPECT_TRUE(IsHeadline("Mr. Xi meets U.S. envoy in Beijing."));
  EXPECT_TRUE(IsHeadline("\u201CPeace talks should resume,\u201D Xi says"));
  EXPECT_FALSE(IsHeadline("China is Moscow's partner. Xi visited Russia last month."));
  EXPECT_FALSE(IsHeadline("Xi said:"));
  EXPECT_FALSE(IsHeadline(std::string(151, 'x')));
  EXPECT_TRUE(IsHeadline(std::string(150, 'x')));
}

TEST(LineRulesTest, CleansHeadlines) {
  EXPECT_EQ(CleanHeadline("BREAKING: Xi Says China is Ready"), "Xi Says China is Ready");
  EXPECT_EQ(CleanHeadline("BREAKING NEWS: Xi calls Zelensky"), "Xi calls Zelensky");
  EXPECT_EQ(CleanHeadline("UPDATE 2-China urges talks"), "China urges talks");
  EXPECT_EQ(CleanHeadline("EXCLUSIVE-China envoy to visit Kyiv"),
            "China envoy to visit Kyiv");
  EXPECT_EQ(CleanHeadline("EXCLUSIVE: China envoy to visit Kyiv"),
            "China envoy to visit Kyiv");
  EXPECT_EQ(CleanHeadline("FACTBOX-What is China's peace plan?"),
            "What is China's peace plan?");
  EXPECT_EQ(CleanHeadline("WRAPUP 1-Fighting rages in Bakhmut"),
            "Fighting rages in Bakhmut");
  EXPECT_EQ(CleanHeadline("ANALYSIS-Xi's balancing act"), "Xi's balancing act");
  EXPECT_EQ(CleanHeadline("REFILE-UPDATE 1-China urges talks"), "China urges talks");
  EXPECT_EQ(CleanHeadline("China will send an envoy to Ukraine."),
            "China will send an envoy to Ukraine");
  EXPECT_EQ(CleanHeadline("Xi meets envoy in the U.S."), "Xi meets envoy in the U.S.");
  EXPECT_EQ(CleanHeadline("Talks stall..."), "Talks stall...");
  EXPECT_EQ(CleanHeadline("US-China talks resume"), "US-China talks resume");
  EXPECT_EQ(CleanHeadline("Update on the talks"), "Update on the talks");
  EXPECT_EQ(CleanHeadline("BREAKING:"), "BREAKING:");
  std::vector<std::string> labels;
  EXPECT_EQ(CleanHeadline("REFILE-UPDATE 2-China urges talks", &labels), "China urges talks");
  EXPECT_THAT(labels, ElementsAre("REFILE", "UPDATE 2"));
}

}  // namespace
}  // namespace newsdesk::ingest
