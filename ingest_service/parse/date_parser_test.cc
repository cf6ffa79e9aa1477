#include "ingest_service/parse/date_parser.h"

#include <optional>
#include <random>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::Optional;

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone());
}

struct Expected {
  absl::Time time;
  TimePrecision precision;
  bool time_zone_known;
};

void ExpectParses(absl::string_view text, const Expected& expected) {
  SCOPED_TRACE(text);
  const std::optional<ArticleTime> parsed = ParseDateExpression(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->time, expected.time) << absl::FormatTime(parsed->time);
  EXPECT_EQ(parsed->precision, expected.precision);
  EXPECT_EQ(parsed->time_zone_known, expected.time_zone_known);
  EXPECT_EQ(parsed->source, TimeSource::kNone);
  EXPECT_EQ(parsed->evidence, std::string(absl::StripAsciiWhitespace(text)));
}

TEST(ParseDateExpressionTest, ReadsIso8601) {
  ExpectParses("2023-04-26", {Utc(2023, 4, 26), TimePrecision::kDay, false});
  ExpectParses("2023-04-26T14:32:00Z",
               {Utc(2023, 4, 26, 14, 32), TimePrecision::kMinute, true});
  ExpectParses("2023-04-26 14:32+02:00",
               {Utc(2023, 4, 26, 12, 32), TimePrecision::kMinute, true});
  ExpectParses("2023-04-26T14:32:05.123-05:00",
               {Utc(2023, 4, 26, 19, 32, 5), TimePrecision::kMinute, true});
  ExpectParses("2023-04-26T23:30:00+0100",
               {Utc(2023, 4, 26, 22, 30), TimePrecision::kMinute, true});
  ExpectParses("2023-04-26T14:32",
               {Utc(2023, 4, 26, 14, 32), TimePrecision::kMinute, false});
  ExpectParses("2023/4/26", {Utc(2023, 4, 26), TimePrecision::kDay, false});
}

TEST(ParseDateExpressionTest, ReadsWrittenDates) {
  ExpectParses("March 17, 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("17 March 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("Mar 17, 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("Sept. 3, 2023", {Utc(2023, 9, 3), TimePrecision::kDay, false});
  ExpectParses("17th of March, 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("Wednesday, April 26, 2023",
               {Utc(2023, 4, 26), TimePrecision::kDay, false});
  ExpectParses("  Thurs. 27 April 2023 ", {Utc(2023, 4, 27), TimePrecision::kDay, false});
}

TEST(ParseDateExpressionTest, ConvertsZonesToUtc) {
  ExpectParses("Wed 5 Jul 2023 14.32 BST",
               {Utc(2023, 7, 5, 13, 32), TimePrecision::kMinute, true});
  ExpectParses("Published 10:42 AM GMT+1, February 14, 2024",
               {Utc(2024, 2, 14, 9, 42), TimePrecision::kMinute, true});
  ExpectParses("Updated 3:05 p.m. EST, Jan 2, 2024",
               {Utc(2024, 1, 2, 20, 5), TimePrecision::kMinute, true});
  ExpectParses("Wed, 26 Apr 2023 14:32:00 +0000",
               {Utc(2023, 4, 26, 14, 32), TimePrecision::kMinute, true});
  ExpectParses("April 26, 2023 at 9:15 PDT",
               {Utc(2023, 4, 26, 16, 15), TimePrecision::kMinute, true});
  ExpectParses("26 April 2023, 18:00 CEST",
               {Utc(2023, 4, 26, 16, 0), TimePrecision::kMinute, true});
  ExpectParses("12:30 am UTC+05:30, 1 May 2023",
               {Utc(2023, 4, 30, 19, 0), TimePrecision::kMinute, true});
}

TEST(ParseDateExpressionTest, ReadsTimesWithoutZoneAsUtc) {
  ExpectParses("March 17, 2023 10:42 PM",
               {Utc(2023, 3, 17, 22, 42), TimePrecision::kMinute, false});
  ExpectParses("17 March 2023 - 12:00 am",
               {Utc(2023, 3, 17, 0, 0), TimePrecision::kMinute, false});
}

TEST(ParseDateExpressionTest, ReadsMonthsAndYears) {
  ExpectParses("February 2022", {Utc(2022, 2, 1), TimePrecision::kMonth, false});
  ExpectParses("Feb., 2022", {Utc(2022, 2, 1), TimePrecision::kMonth, false});
  ExpectParses("2022", {Utc(2022, 1, 1), TimePrecision::kYear, false});
}

TEST(ParseDateExpressionTest, AcceptsLabels) {
  ExpectParses("date 2023-04-26", {Utc(2023, 4, 26), TimePrecision::kDay, false});
  ExpectParses("Date: March 17, 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("Posted on 17 March 2023", {Utc(2023, 3, 17), TimePrecision::kDay, false});
  ExpectParses("Last updated: 2023-04-26T08:00:00Z",
               {Utc(2023, 4, 26, 8, 0), TimePrecision::kMinute, true});
}

TEST(ParseDateExpressionTest, ReadsWireStampsAndNumericDates) {
  ExpectParses("26-FEB-1987 15:01:01.79",
               {Utc(1987, 2, 26, 15, 1, 1), TimePrecision::kMinute, false});
  ExpectParses("5-Jul-2023", {Utc(2023, 7, 5), TimePrecision::kDay, false});
  ExpectParses("26/04/2023", {Utc(2023, 4, 26), TimePrecision::kDay, false});
  ExpectParses("04/26/2023", {Utc(2023, 4, 26), TimePrecision::kDay, false});
  ExpectParses("26.04.2023 14:32 CEST",
               {Utc(2023, 4, 26, 12, 32), TimePrecision::kMinute, true});
  ExpectParses("07/07/2023", {Utc(2023, 7, 7), TimePrecision::kDay, false});
}

TEST(ParseDateExpressionTest, NumericDatesFollowTheOrderGiven) {
  DateOptions day_first;
  day_first.numeric_order = NumericDateOrder::kDayFirst;
  DateOptions month_first;
  month_first.numeric_order = NumericDateOrder::kMonthFirst;
  EXPECT_EQ(ParseDateExpression("05/04/2023"), std::nullopt);
  EXPECT_EQ(ParseDateExpression("05/04/2023", day_first)->time, Utc(2023, 4, 5));
  EXPECT_EQ(ParseDateExpression("05/04/2023", month_first)->time, Utc(2023, 5, 4));
  EXPECT_EQ(ParseDateExpression("26/04/2023", month_first), std::nullopt);
  EXPECT_EQ(ParseDateExpression("5-4-2023", day_first)->time, Utc(2023, 4, 5));
  EXPECT_EQ(ParseDateExpression("05/04-2023", day_first), std::nullopt);
}

TEST(NumericDateOrderOfTest, ReadsTheRegion) {
  EXPECT_EQ(NumericDateOrderOf("en-US"), NumericDateOrder::kMonthFirst);
  EXPECT_EQ(NumericDateOrderOf("en_us"), NumericDateOrder::kMonthFirst);
  EXPECT_EQ(NumericDateOrderOf("en-Latn-US"), NumericDateOrder::kMonthFirst);
  EXPECT_EQ(NumericDateOrderOf("en-GB"), NumericDateOrder::kDayFirst);
  EXPECT_EQ(NumericDateOrderOf("es-419"), NumericDateOrder::kDayFirst);
  EXPECT_EQ(NumericDateOrderOf("en"), NumericDateOrder::kUnknown);
  EXPECT_EQ(NumericDateOrderOf(""), NumericDateOrder::kUnknown);
  EXPECT_EQ(NumericDateOrderOf("fr"), NumericDateOrder::kDayFirst);
  EXPECT_EQ(NumericDateOrderOf("uk"), NumericDateOrder::kDayFirst);
  EXPECT_EQ(NumericDateOrderOf("zh"), NumericDateOrder::kUnknown);
}

TEST(ParseDateExpressionTest, RejectsImpossibleDates) {
  for (absl::string_view text :
       {"February 30, 2023", "2023-02-29", "2023-13-01", "2023-00-10", "32 March 2023",
        "1899-12-31", "2201-01-01", "1850", "2023-04-26T24:00Z", "2023-04-26T12:60Z",
        "13:00 PM, March 1, 2023", "0:30 am, March 1, 2023", "2023-04-26T10:00+15:00"}) {
    EXPECT_EQ(ParseDateExpression(text), std::nullopt) << text;
  }
  EXPECT_TRUE(ParseDateExpression("2024-02-29").has_value());
}

TEST(ParseDateExpressionTest, RejectsWhatIsNotOneDate) {
  for (absl::string_view text :
       {"", "   ", "yesterday", "March 17", "17 March", "March 17, 2023 in Beijing",
        "2023-04-26abc", "on March 17, 2023", "March 1, 2023 10:00 CST", "05/04/2023",
        "Published", "date", "12:30", "2023-04-26T", "2023-04-26 14:32 +25:00"}) {
    EXPECT_EQ(ParseDateExpression(text), std::nullopt) << text;
  }
}

TEST(FindDateTest, FindsLabeledDateBeforeText) {
  constexpr absl::string_view kLine =
      " date 2023-04-26 Chinese President Xi Jinping spoke by phone";
  const std::optional<DateMatch> match = FindDate(kLine);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->begin, 1u);
  EXPECT_EQ(kLine.substr(match->begin, match->end - match->begin), "date 2023-04-26");
  EXPECT_EQ(match->time.evidence, "date 2023-04-26");
  EXPECT_EQ(match->time.time, Utc(2023, 4, 26));
  EXPECT_EQ(match->time.precision, TimePrecision::kDay);
  EXPECT_EQ(match->rest, "Chinese President Xi Jinping spoke by phone");
  EXPECT_TRUE(match->labeled);
}

TEST(FindDateTest, TellsUpdatesFromPublication) {
  std::optional<DateMatch> match = FindDate("Updated 10:42 AM GMT+1, February 14, 2024");
  ASSERT_TRUE(match.has_value());
  EXPECT_TRUE(match->labeled);
  EXPECT_TRUE(match->update);
  EXPECT_EQ(match->time.time, Utc(2024, 2, 14, 9, 42));
  match = FindDate("Last modified: 2024-02-15");
  ASSERT_TRUE(match.has_value());
  EXPECT_TRUE(match->update);
  match = FindDate("Published 10:42 AM GMT+1, February 14, 2024");
  ASSERT_TRUE(match.has_value());
  EXPECT_TRUE(match->labeled);
  EXPECT_FALSE(match->update);
}

TEST(FindDateTest, PureDateLineHasNoRest) {
  for (absl::string_view line :
       {"March 17, 2023", "17 March 2023.", "Wed 5 Jul 2023 14.32 BST", "February 2022",
        "2023-04-26 |"}) {
    const std::optional<DateMatch> match = FindDate(line);
    ASSERT_TRUE(match.has_value()) << line;
    EXPECT_EQ(match->rest, "") << line;
    EXPECT_FALSE(match->labeled) << line;
  }
}

TEST(FindDateTest, ReportsUnlabeledDateBeforeText) {
  const std::optional<DateMatch> match = FindDate("March 2022 was the coldest month");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->time.precision, TimePrecision::kMonth);
  EXPECT_EQ(match->rest, "was the coldest month");
  EXPECT_FALSE(match->labeled);
}

TEST(FindDateTest, UnreadZoneStaysInRest) {
  const std::optional<DateMatch> match = FindDate("March 1, 2023 10:00 CST");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->rest, "CST");
  EXPECT_FALSE(match->time.time_zone_known);
}

TEST(FindDateTest, IgnoresDatesThatDoNotStartTheLine) {
  for (absl::string_view line :
       {"Talks began on March 17, 2023 in Beijing.", "2022", "2022 was a bad year",
        "May 5 people attend?", "Date palms grow here", "2023-04-26abc", "", "   ",
        "\xE2\x80\x9C"
        "March 17, 2023"}) {
    EXPECT_EQ(FindDate(line), std::nullopt) << line;
  }
}

TEST(DateParserTest, SurvivesArbitraryBytes) {
  std::mt19937 random(42);
  const std::string alphabet =
      "0123456789-:/.,+ TZamp\xC2\xA0\xE2\x80\x93MarchJulyWedGMT";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 60);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = length(random);
    for (int k = 0; k < n; ++k) {
      text.push_back(i % 2 == 0 ? alphabet[pick(random)]
                                : static_cast<char>(byte(random)));
    }
    if (std::optional<ArticleTime> time = ParseDateExpression(text)) {
      EXPECT_NE(time->precision, TimePrecision::kUnknown);
    }
    if (std::optional<DateMatch> match = FindDate(text)) {
      EXPECT_LE(match->end, text.size());
      EXPECT_LT(match->begin, match->end);
    }
  }
}

}  // namespace
}  // namespace newsdesk::ingest
