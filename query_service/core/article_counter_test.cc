#include "query_service/core/article_counter.h"

#include <memory>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/entities/name_key.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(BucketTest, DaysWeeksAndMonthsInUtc) {
  const absl::Time t = Day(2023, 4, 6) + absl::Hours(23);  // a Thursday
  EXPECT_EQ(BucketStart(t, Interval::kDay), Day(2023, 4, 6));
  EXPECT_EQ(BucketStart(t, Interval::kWeek), Day(2023, 4, 3));  // Monday
  EXPECT_EQ(BucketStart(Day(2023, 4, 3), Interval::kWeek), Day(2023, 4, 3));
  EXPECT_EQ(BucketStart(Day(2023, 4, 9), Interval::kWeek), Day(2023, 4, 3));  // Sunday
  EXPECT_EQ(BucketStart(t, Interval::kMonth), Day(2023, 4, 1));
  EXPECT_EQ(NextBucket(Day(2023, 12, 1), Interval::kMonth), Day(2024, 1, 1));
  EXPECT_EQ(NextBucket(Day(2023, 4, 3), Interval::kWeek), Day(2023, 4, 10));
  EXPECT_EQ(NextBucket(Day(2024, 2, 28), Interval::kDay), Day(2024, 2, 29));
}

// Indexes `articles` (ids and sequences assigned in order) and counts every
// one of them as a search would.
void CountAll(ArticleIndex* index, std::vector<Article> articles,
              std::vector<ArticleCounter*> counters) {
  for (Article& a : articles) {
    a.log_sequence = index->head() + 1;
    a.id = absl::StrCat("a", a.log_sequence);
    ASSERT_TRUE(index->Add(std::make_shared<const Article>(std::move(a))).ok());
  }
  index->ForEachMatch(IndexQuery{}, [&counters](const MatchedDoc& doc) {
    for (ArticleCounter* c : counters) c->Add(doc);
  });
}

// The integer bucket start agrees with the civil-time one, before and after
// 1970, across leap days and century years.
TEST(BucketTest, IntegerBucketStartAgreesWithCivilTime) {
  std::mt19937_64 rng(11);
  // Unix seconds from 1700 to 2250.
  std::uniform_int_distribution<int64_t> seconds(-8520336000, 8678908800);
  std::vector<int64_t> times = {0, -1, 1, 951782400LL * 1000000000,
                                4107542399LL * 1000000000};
  for (int i = 0; i < 20000; ++i) {
    times.push_back(seconds(rng) * 1000000000 + static_cast<int64_t>(rng() % 1000000000));
  }
  for (const int64_t t : times) {
    for (const Interval interval :
         {Interval::kNone, Interval::kDay, Interval::kWeek, Interval::kMonth}) {
      ASSERT_EQ(BucketStartNs(t, interval),
                absl::ToUnixNanos(BucketStart(absl::FromUnixNanos(t), interval)))
          << t << " " << static_cast<int>(interval);
    }
  }
}

TEST(ArticleCounterTest, CountsTopicsWithAncestorsOncePerArticle) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent\tlevel\tretired\tlabel\n"
      "medtop:1\t\t1\t0\tpolitics\n"
      "medtop:2\tmedtop:1\t2\t0\tinternational relations\n"
      "medtop:3\tmedtop:2\t3\t0\tdiplomacy\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  ArticleIndex index(taxonomy->get(), &entities::NameKey);
  ArticleCounter counter(GroupBy::kTopic, Interval::kMonth, &index);
  Article a;
  a.topics = {{"medtop:3", "diplomacy", 0.9, false}, {"medtop:2", "", 0.9, true},
              {"medtop:1", "", 0.9, true}};
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = Day(2023, 4, 6);
  Article b;
  b.topics = {{"medtop:2", "international relations", 0.5, false}};
  CountAll(&index, {a, b}, {&counter});
  EXPECT_EQ(counter.articles(), 2);
  const std::vector<GroupCount> groups = counter.Groups();
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, "medtop:1");
  EXPECT_EQ(groups[0].label, "politics");
  EXPECT_EQ(groups[0].article_count, 2);
  EXPECT_EQ(groups[0].buckets.size(), 1u);  // b has no known time
  EXPECT_EQ(groups[0].buckets.begin()->first, absl::ToUnixNanos(Day(2023, 4, 1)));
  EXPECT_EQ(groups[2].key, "medtop:3");
  // The largest few: ties with the last one kept are decided by key.
  EXPECT_EQ(counter.group_count(), 3);
  const std::vector<GroupCount> top = counter.Groups(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].key, "medtop:1");
  const std::vector<GroupCount> two = counter.Groups(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].key, "medtop:2");
  EXPECT_EQ(counter.Groups(5).size(), 3u);
  EXPECT_EQ(counter.Group("medtop:2").article_count, 2);
  EXPECT_EQ(counter.Group("medtop:2").label, "international relations");
  EXPECT_EQ(counter.Group("medtop:9").article_count, 0);
}

TEST(ArticleCounterTest, CountsEntitiesSourcesAndTheUngroupedTotal) {
  auto taxonomy =
      Taxonomy::LoadFromString("qcode\tparent\tlevel\tretired\tlabel\nmedtop:1\t\t1\t0\tpolitics\n", "v");
  ASSERT_TRUE(taxonomy.ok());
  ArticleIndex index(taxonomy->get(), &entities::NameKey);
  ArticleCounter entities(GroupBy::kEntity, Interval::kNone, &index);
  ArticleCounter sources(GroupBy::kSource, Interval::kNone, &index);
  ArticleCounter all(GroupBy::kNone, Interval::kDay, &index);
  Article a;
  a.source = "Reuters";
  a.entities = {{"location-kyiv", "Kyiv", EntityType::kLocation, 2, {"Kyiv"}, true}};
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = Day(2023, 4, 6);
  Article b;
  b.source = "REUTERS";
  b.publish_time = a.publish_time;
  CountAll(&index, {a, b}, {&entities, &sources, &all});
  ASSERT_EQ(entities.Groups().size(), 1u);
  EXPECT_EQ(entities.Groups()[0].key, "location-kyiv");
  EXPECT_EQ(entities.Groups()[0].label, "Kyiv");
  EXPECT_EQ(entities.Groups()[0].article_count, 1);
  EXPECT_EQ(entities.Group("location-lviv").article_count, 0);
  EXPECT_EQ(entities.Group("location-lviv").key, "location-lviv");
  ASSERT_EQ(sources.Groups().size(), 1u);
  EXPECT_EQ(sources.Groups()[0].key, "reuters");
  EXPECT_EQ(sources.Groups()[0].label, "Reuters");  // as first written
  EXPECT_EQ(sources.Groups()[0].article_count, 2);
  EXPECT_TRUE(sources.Groups()[0].buckets.empty());
  EXPECT_EQ(all.Group("").article_count, 2);
  ASSERT_EQ(all.Group("").buckets.size(), 1u);
  EXPECT_EQ(all.Group("").buckets.begin()->second, 2);
}

}  // namespace
}  // namespace newsdesk::query
