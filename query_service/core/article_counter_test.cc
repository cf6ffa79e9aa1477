#include "query_service/core/article_counter.h"

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

TEST(ArticleCounterTest, CountsTopicsWithAncestorsOncePerArticle) {
  auto taxonomy = Taxonomy::LoadFromString(
      "qcode\tparent\tlevel\tretired\tlabel\n"
      "medtop:1\t\t1\t0\tpolitics\n"
      "medtop:2\tmedtop:1\t2\t0\tinternational relations\n"
      "medtop:3\tmedtop:2\t3\t0\tdiplomacy\n",
      "v");
  ASSERT_TRUE(taxonomy.ok());
  ArticleCounter counter(GroupBy::kTopic, Interval::kMonth, taxonomy->get());
  Article a;
  a.topics = {{"medtop:3", "diplomacy", 0.9, false}, {"medtop:2", "", 0.9, true},
              {"medtop:1", "", 0.9, true}};
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = Day(2023, 4, 6);
  counter.Add(a);
  Article b;
  b.topics = {{"medtop:2", "international relations", 0.5, false}};
  counter.Add(b);
  EXPECT_EQ(counter.articles(), 2);
  const std::vector<GroupCount> groups = counter.Groups();
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key, "medtop:1");
  EXPECT_EQ(groups[0].label, "politics");
  EXPECT_EQ(groups[0].article_count, 2);
  EXPECT_EQ(groups[0].buckets.size(), 1u);  // b has no known time
  EXPECT_EQ(groups[2].key, "medtop:3");
  EXPECT_EQ(counter.Group("medtop:9").article_count, 0);
}

TEST(ArticleCounterTest, CountsEntitiesAndSources) {
  ArticleCounter entities(GroupBy::kEntity, Interval::kNone, nullptr);
  ArticleCounter sources(GroupBy::kSource, Interval::kNone, nullptr);
  Article a;
  a.source = "Reuters";
  a.entities = {{"location-kyiv", "Kyiv", EntityType::kLocation, 2, {"Kyiv"}, true}};
  Article b;
  b.source = "REUTERS";
  for (ArticleCounter* c : {&entities, &sources}) {
    c->Add(a);
    c->Add(b);
  }
  ASSERT_EQ(entities.Groups().size(), 1u);
  EXPECT_EQ(entities.Groups()[0].label, "Kyiv");
  EXPECT_EQ(entities.Groups()[0].article_count, 1);
  ASSERT_EQ(sources.Groups().size(), 1u);
  EXPECT_EQ(sources.Groups()[0].key, "reuters");
  EXPECT_EQ(sources.Groups()[0].article_count, 2);
  EXPECT_TRUE(sources.Groups()[0].buckets.empty());
}

}  // namespace
}  // namespace newsdesk::query
