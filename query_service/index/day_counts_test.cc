#include "query_service/index/day_counts.h"

#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <utility>
#include <vector>

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

TEST(DayCountsTest, SplitsARangeIntoWholeDaysAndPartsAtItsEnds) {
  using Parts = std::vector<std::pair<int64_t, int64_t>>;
  const int64_t day = DayCounts::kDayNs;
  // On day boundaries: whole days only.
  DayCounts::Split s = DayCounts::SplitRange(2 * day, 5 * day);
  EXPECT_EQ(s.first_day, 2);
  EXPECT_EQ(s.end_day, 5);
  EXPECT_EQ(s.partial, Parts{});
  // A nanosecond off them at both ends.
  s = DayCounts::SplitRange(2 * day + 1, 5 * day + 1);
  EXPECT_EQ(s.first_day, 3);
  EXPECT_EQ(s.end_day, 5);
  EXPECT_EQ(s.partial, (Parts{{2 * day + 1, 3 * day}, {5 * day, 5 * day + 1}}));
  // Inside one day, and across the end of one day into the next.
  s = DayCounts::SplitRange(2 * day + 5, 2 * day + 9);
  EXPECT_GE(s.first_day, s.end_day);
  EXPECT_EQ(s.partial, (Parts{{2 * day + 5, 2 * day + 9}}));
  s = DayCounts::SplitRange(2 * day + 5, 3 * day + 9);
  EXPECT_GE(s.first_day, s.end_day);
  EXPECT_EQ(s.partial, (Parts{{2 * day + 5, 3 * day + 9}}));
  // Open at either end.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  s = DayCounts::SplitRange(kMin, 4 * day);
  EXPECT_EQ(s.first_day, DayCounts::DayOf(kMin));
  EXPECT_EQ(s.end_day, 4);
  EXPECT_EQ(s.partial, Parts{});
  s = DayCounts::SplitRange(-day - 1, kMax);
  EXPECT_EQ(s.first_day, -1);
  EXPECT_EQ(s.end_day, DayCounts::DayOf(kMax));
  EXPECT_EQ(s.partial, (Parts{{-day - 1, -day}, {DayCounts::DayStart(s.end_day), kMax}}));
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

// Docs taken off again (a negative delta) leave the sums and the days
// visited as a plain map of counts has them; days at zero are not visited.
TEST(DayCountsTest, TakesDocsOffAndVisitsTheDaysWithDocs) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int64_t> day(-500, 500);
  DayCounts counts;
  std::map<int64_t, int64_t> expected;
  for (int i = 0; i < 2000; ++i) {
    const int64_t d = day(rng);
    if (i % 3 == 2 && expected[d] > 0) {
      counts.Add(d, -1);
      --expected[d];
    } else {
      counts.Add(d);
      ++expected[d];
    }
  }
  for (int k = 0; k < 50; ++k) {
    int64_t a = day(rng), b = day(rng);
    if (a > b) std::swap(a, b);
    std::map<int64_t, int64_t> want;
    int64_t sum = 0;
    for (auto it = expected.lower_bound(a); it != expected.end() && it->first < b; ++it) {
      if (it->second > 0) want[it->first] = it->second;
      sum += it->second;
    }
    std::map<int64_t, int64_t> visited;
    counts.ForEachDay(a, b, [&visited](int64_t d, int64_t n) { visited[d] = n; });
    EXPECT_EQ(visited, want) << a << " " << b;
    EXPECT_EQ(counts.Count(a, b), sum) << a << " " << b;
  }
  std::map<int64_t, int64_t> all;
  counts.ForEachDay(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                    [&all](int64_t d, int64_t n) { all[d] = n; });
  for (auto it = expected.begin(); it != expected.end();) {
    it = it->second == 0 ? expected.erase(it) : std::next(it);
  }
  EXPECT_EQ(all, expected);
}

}  // namespace
}  // namespace newsdesk::query
