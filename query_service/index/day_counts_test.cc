#include "query_service/index/day_counts.h"

#include <cstdint>
#include <limits>
#include <map>
#include <random>

#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

TEST(DayCountsTest, DayOfFloorsBeforeAndAfterTheEpoch) {
  const int64_t day = DayCounts::kDayNs;
  EXPECT_EQ(DayCounts::DayOf(0), 0);
  EXPECT_EQ(DayCounts::DayOf(day - 1), 0);
  EXPECT_EQ(DayCounts::DayOf(day), 1);
  EXPECT_EQ(DayCounts::DayOf(-1), -1);
  EXPECT_EQ(DayCounts::DayOf(-day), -1);
  EXPECT_EQ(DayCounts::DayOf(-day - 1), -2);
  EXPECT_EQ(DayCounts::DayStart(3), 3 * day);
  EXPECT_EQ(DayCounts::DayStart(DayCounts::DayOf(std::numeric_limits<int64_t>::min())),
            std::numeric_limits<int64_t>::min());
}

TEST(DayCountsTest, EmptyCountsNothing) {
  DayCounts counts;
  EXPECT_EQ(counts.Count(-100, 100), 0);
}

TEST(DayCountsTest, CountsRunsOfDays) {
  DayCounts counts;
  counts.Add(10);
  counts.Add(10);
  counts.Add(12);
  EXPECT_EQ(counts.Count(10, 11), 2);
  EXPECT_EQ(counts.Count(11, 12), 0);
  EXPECT_EQ(counts.Count(10, 13), 3);
  EXPECT_EQ(counts.Count(13, 10), 0);  // an empty run
  EXPECT_EQ(counts.Count(std::numeric_limits<int64_t>::min() / DayCounts::kDayNs - 1,
                         std::numeric_limits<int64_t>::max() / DayCounts::kDayNs),
            3);
}

// Days added in any order, far before and after the first, give the same
// sums as a plain map of counts.
TEST(DayCountsTest, GrowsBothWaysAndMatchesAPlainCount) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int64_t> day(-40000, 40000);
  DayCounts counts;
  std::map<int64_t, int64_t> expected;
  for (int i = 0; i < 3000; ++i) {
    const int64_t d = i < 100 ? 20000 + i : day(rng);
    counts.Add(d);
    ++expected[d];
    if (i % 300 == 0 || i == 2999) {
      for (int k = 0; k < 50; ++k) {
        int64_t a = day(rng), b = day(rng);
        if (a > b) std::swap(a, b);
        int64_t want = 0;
        for (auto it = expected.lower_bound(a); it != expected.end() && it->first < b;
             ++it) {
          want += it->second;
        }
        ASSERT_EQ(counts.Count(a, b), want) << a << " " << b;
      }
    }
  }
}

}  // namespace
}  // namespace newsdesk::query
