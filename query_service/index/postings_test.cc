#include "query_service/index/postings.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A sorted list of distinct docs below `range`, each kept with chance `p`.
std::vector<uint32_t> RandomList(std::mt19937& rng, uint32_t range, double p) {
  std::bernoulli_distribution keep(p);
  std::vector<uint32_t> out;
  for (uint32_t doc = 0; doc < range; ++doc) {
    if (keep(rng)) out.push_back(doc);
  }
  return out;
}

TEST(PostingsTest, UnionMergesWithoutDuplicates) {
  const std::vector<uint32_t> a = {1, 3, 5}, b = {2, 3, 9}, c = {};
  EXPECT_THAT(UnionOf({a, b, c}), ElementsAre(1, 2, 3, 5, 9));
  EXPECT_THAT(UnionOf({}), IsEmpty());
}

TEST(PostingsTest, GallopFindsTheFirstDocAtLeast) {
  const std::vector<uint32_t> list = {2, 4, 6, 8, 10, 12, 14, 16, 18, 20};
  EXPECT_EQ(GallopTo(list, 0, 1), 0u);
  EXPECT_EQ(GallopTo(list, 0, 2), 0u);
  EXPECT_EQ(GallopTo(list, 0, 3), 1u);
  EXPECT_EQ(GallopTo(list, 3, 17), 8u);
  EXPECT_EQ(GallopTo(list, 3, 20), 9u);
  EXPECT_EQ(GallopTo(list, 3, 21), 10u);
  EXPECT_EQ(GallopTo(list, 10, 5), 10u);  // from the end stays there
}

TEST(PostingsTest, IntersectionOfSimilarAndSkewedSizes) {
  const std::vector<uint32_t> small = {3, 50, 51, 999, 5000};
  std::vector<uint32_t> large;
  for (uint32_t doc = 0; doc < 1000; ++doc) large.push_back(doc);
  EXPECT_THAT(IntersectionOf(small, large), ElementsAre(3, 50, 51, 999));
  EXPECT_THAT(IntersectionOf(large, small), ElementsAre(3, 50, 51, 999));
  EXPECT_THAT(IntersectionOf({}, large), IsEmpty());
  const std::vector<uint32_t> a = {1, 2, 3}, b = {2, 3, 4};
  EXPECT_THAT(IntersectionOf(a, b), ElementsAre(2, 3));
}

TEST(PostingsTest, IntersectionMatchesTheMergeOnRandomLists) {
  std::mt19937 rng(7);
  for (const double p : {0.0005, 0.005, 0.05, 0.5}) {
    for (const double q : {0.001, 0.3, 0.9}) {
      const std::vector<uint32_t> a = RandomList(rng, 20000, p);
      const std::vector<uint32_t> b = RandomList(rng, 20000, q);
      std::vector<uint32_t> expected;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                            std::back_inserter(expected));
      EXPECT_EQ(IntersectionOf(a, b), expected) << p << " " << q;
      EXPECT_EQ(IntersectionOf(b, a), expected) << p << " " << q;
    }
  }
}

TEST(PostingsTest, IntersectionWithAUnionMatchesTheUnionBuilt) {
  std::mt19937 rng(11);
  for (const double p : {0.001, 0.02, 0.3, 0.9}) {
    const std::vector<uint32_t> a = RandomList(rng, 50000, p);
    std::vector<std::vector<uint32_t>> parts;
    for (const double q : {0.0, 0.005, 0.1, 0.6}) parts.push_back(RandomList(rng, 50000, q));
    for (size_t n = 0; n <= parts.size(); ++n) {
      const std::vector<DocSpan> spans(parts.begin(), parts.begin() + n);
      EXPECT_EQ(IntersectionWithUnionOf(a, spans), IntersectionOf(a, UnionOf(spans)))
          << p << " " << n;
    }
  }
  const std::vector<uint32_t> a = {1, 4, 7, 9}, b = {4, 5}, c = {7, 9, 11};
  EXPECT_THAT(IntersectionWithUnionOf(a, {b, c}), ElementsAre(4, 7, 9));
  EXPECT_THAT(IntersectionWithUnionOf(a, {c}), ElementsAre(7, 9));
  EXPECT_THAT(IntersectionWithUnionOf({}, {b, c}), IsEmpty());
}

TEST(PostingsTest, CountBelowCutsAtTheSnapshot) {
  const std::vector<uint32_t> list = {0, 4, 5, 9};
  EXPECT_EQ(CountBelow(list, 0), 0);
  EXPECT_EQ(CountBelow(list, 1), 1);
  EXPECT_EQ(CountBelow(list, 5), 2);
  EXPECT_EQ(CountBelow(list, 6), 3);
  EXPECT_EQ(CountBelow(list, 10), 4);
  EXPECT_EQ(CountBelow(list, int64_t{1} << 40), 4);
  EXPECT_EQ(CountBelow({}, 10), 0);
}

}  // namespace
}  // namespace newsdesk::query
