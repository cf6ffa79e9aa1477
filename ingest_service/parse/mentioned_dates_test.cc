#include "ingest_service/parse/mentioned_dates.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::ingest {
namespace {

using ::testing::IsEmpty;

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

// Published Wednesday 26 April 2023.
ArticleTime Published() {
  ArticleTime time;
  time.time = Day(2023, 4, 26) + absl::Hours(9);
  time.precision = TimePrecision::kMinute;
  return time;
}

std::vector<MentionedDate> Find(absl::string_view text,
                                const ArticleTime& published = Published()) {
  std::vector<MentionedDate> dates;
  AppendMentionedDates(text, published, &dates);
  return dates;
}

struct Expected {
  absl::string_view text;
  absl::Time start;
  absl::Time end;
  TimePrecision precision;
  bool relative;
};

void ExpectOne(absl::string_view sentence, const Expected& expected) {
  SCOPED_TRACE(sentence);
  const std::vector<MentionedDate> dates = Find(sentence);
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0].text, expected.text);
  EXPECT_EQ(dates[0].start, expected.start) << absl::FormatTime(dates[0].start);
  EXPECT_EQ(dates[0].end, expected.end) << absl::FormatTime(dates[0].end);
  EXPECT_EQ(dates[0].precision, expected.precision);
  EXPECT_EQ(dates[0].relative, expected.relative);
}

TEST(MentionedDatesTest, AbsoluteDates) {
  ExpectOne("Russia invaded in February 2022, officials said.",
            {"February 2022", Day(2022, 2, 1), Day(2022, 3, 1), TimePrecision::kMonth, false});
  ExpectOne("Crimea was annexed in 2014.",
            {"2014", Day(2014, 1, 1), Day(2015, 1, 1), TimePrecision::kYear, false});
  ExpectOne("Talks have stalled since mid-2022.",
            {"2022", Day(2022, 1, 1), Day(2023, 1, 1), TimePrecision::kYear, false});
  ExpectOne("The plan was published on March 17, 2023 in Beijing.",
            {"March 17, 2023", Day(2023, 3, 17), Day(2023, 3, 18), TimePrecision::kDay, false});
  ExpectOne("The call took place on 17th of March 2023.",
            {"17th of March 2023", Day(2023, 3, 17), Day(2023, 3, 18), TimePrecision::kDay,
             false});
}

TEST(MentionedDatesTest, RelativeDatesResolveAgainstPublication) {
  ExpectOne("Xi spoke to Zelensky on Wednesday.",
            {"Wednesday", Day(2023, 4, 26), Day(2023, 4, 27), TimePrecision::kDay, true});
  ExpectOne("The envoy arrived on Monday.",
            {"Monday", Day(2023, 4, 24), Day(2023, 4, 25), TimePrecision::kDay, true});
  ExpectOne("He will travel next Monday.",
            {"Monday", Day(2023, 5, 1), Day(2023, 5, 2), TimePrecision::kDay, true});
  ExpectOne("Xi visited Moscow last month.",
            {"last month", Day(2023, 3, 1), Day(2023, 4, 1), TimePrecision::kMonth, true});
  ExpectOne("The invasion began last year.",
            {"last year", Day(2022, 1, 1), Day(2023, 1, 1), TimePrecision::kYear, true});
  ExpectOne("The talks were held last week.",
            {"last week", Day(2023, 4, 17), Day(2023, 4, 24), TimePrecision::kDay, true});
  ExpectOne("Shelling resumed two days ago.",
            {"two days ago", Day(2023, 4, 24), Day(2023, 4, 25), TimePrecision::kDay, true});
  ExpectOne("He resigned 3 months ago.",
            {"3 months ago", Day(2023, 1, 1), Day(2023, 2, 1), TimePrecision::kMonth, true});
  ExpectOne("The 14-month war is at a juncture.",
            {"14-month war", Day(2022, 2, 1), Day(2023, 5, 1), TimePrecision::kMonth, true});
  ExpectOne("The plan was unveiled in February.",
            {"February", Day(2023, 2, 1), Day(2023, 3, 1), TimePrecision::kMonth, true});
  ExpectOne("Prices fell in December.",
            {"December", Day(2022, 12, 1), Day(2023, 1, 1), TimePrecision::kMonth, true});
  ExpectOne("It was signed yesterday.",
            {"yesterday", Day(2023, 4, 25), Day(2023, 4, 26), TimePrecision::kDay, true});
  ExpectOne("The summit opens on May 9.",
            {"May 9", Day(2023, 5, 9), Day(2023, 5, 10), TimePrecision::kDay, true});
  ExpectOne("The offer lapsed on 30 November.",
            {"30 November", Day(2022, 11, 30), Day(2022, 12, 1), TimePrecision::kDay, true});
}

TEST(MentionedDatesTest, RangesAreOneInterval) {
  ExpectOne("Exports fell between March and May 2023, the ministry said.",
            {"between March and May 2023", Day(2023, 3, 1), Day(2023, 6, 1),
             TimePrecision::kMonth, false});
  ExpectOne("He ran the agency from 2014 to 2022.",
            {"from 2014 to 2022", Day(2014, 1, 1), Day(2023, 1, 1), TimePrecision::kYear,
             false});
  ExpectOne("Talks ran from March 3 to May 5, 2023 in Geneva.",
            {"from March 3 to May 5, 2023", Day(2023, 3, 3), Day(2023, 5, 6),
             TimePrecision::kDay, false});
  ExpectOne("The drought lasted from November 2021 until February.",
            {"from November 2021 until February", Day(2021, 11, 1), Day(2022, 3, 1),
             TimePrecision::kMonth, false});
  ExpectOne("Prices rose between November and February 2023.",
            {"between November and February 2023", Day(2022, 11, 1), Day(2023, 3, 1),
             TimePrecision::kMonth, false});
  ExpectOne("The summit was held March 3-5 in Paris.",
            {"March 3-5", Day(2023, 3, 3), Day(2023, 3, 6), TimePrecision::kDay, true});
  ExpectOne("The summit was held March 3\u20135, 2022 in Paris.",
            {"March 3\u20135, 2022", Day(2022, 3, 3), Day(2022, 3, 6), TimePrecision::kDay,
             false});
  ExpectOne("The fair runs 3-5 March 2024.",
            {"3-5 March 2024", Day(2024, 3, 3), Day(2024, 3, 6), TimePrecision::kDay, false});
  ExpectOne("Output fell in March-May 2020.",
            {"March-May 2020", Day(2020, 3, 1), Day(2020, 6, 1), TimePrecision::kMonth,
             false});
  ExpectOne("Growth averaged 2% in 2019\u20132021.",
            {"2019\u20132021", Day(2019, 1, 1), Day(2022, 1, 1), TimePrecision::kYear, false});
  ExpectOne("The 2019-21 season was cut short.",
            {"2019-21", Day(2019, 1, 1), Day(2022, 1, 1), TimePrecision::kYear, false});
}

TEST(MentionedDatesTest, IgnoresWhatIsNoRange) {
  for (absl::string_view text :
       {"The code 2011-12-05 is a date, not a range.", "They won 2021-2019.",
        "Scores were 5-3 at half time.", "Pick between apples and pears.",
        "He came from Kyiv to Lviv.", "2023-2200 is too far."}) {
    SCOPED_TRACE(text);
    for (const MentionedDate& date : Find(text)) {
      EXPECT_EQ(date.text.find('-'), std::string::npos) << date.text;
    }
  }
  // A range without a year needs the publication day.
  EXPECT_THAT(Find("The summit was held March 3-5 in Paris.", ArticleTime()), IsEmpty());
}

TEST(MentionedDatesTest, RelativeDatesNeedAKnownPublicationDay) {
  EXPECT_THAT(Find("Xi visited Moscow last month and spoke on Wednesday.", ArticleTime()),
              IsEmpty());
  ArticleTime year_only;
  year_only.time = Day(2023, 1, 1);
  year_only.precision = TimePrecision::kYear;
  EXPECT_THAT(Find("It happened two days ago.", year_only), IsEmpty());
  // Absolute dates need no anchor.
  EXPECT_EQ(Find("Russia invaded in February 2022.", ArticleTime()).size(), 1u);
}

TEST(MentionedDatesTest, IgnoresWhatIsNotADate) {
  for (absl::string_view text :
       {"Officials may march on the capital.", "The 2022 figures were revised.",
        "A 10-year bond yield rose.", "He scored 2014 points.", "A 14-month-old baby.",
        "Room 17 may open", "The Jan agreement", "February 30, 2023 never happened."}) {
    EXPECT_THAT(Find(text), IsEmpty()) << text;
  }
}

TEST(MentionedDatesTest, KeepsEachMentionOnceAndBoundsTheCount) {
  std::vector<MentionedDate> dates;
  AppendMentionedDates("In 2014 and again in 2014.", Published(), &dates);
  AppendMentionedDates("Since 2014.", Published(), &dates);
  EXPECT_EQ(dates.size(), 1u);
  std::string many;
  for (int year = 1901; year < 2100; ++year) many += "in " + std::to_string(year) + ", ";
  dates.clear();
  AppendMentionedDates(many, Published(), &dates);
  EXPECT_EQ(dates.size(), kMaxMentionedDates);
}

}  // namespace
}  // namespace newsdesk::ingest
