#include "query_service/index/word_postings.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/index/postings.h"

namespace newsdesk::query {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// A word's docs and counts as appended, and the postings made of them.
struct Word {
  std::vector<uint32_t> docs;
  std::vector<uint8_t> counts;
  WordPostings postings;
};

// Docs below `range`, each named with chance `p` and a random count; the
// index holds doc + 1 docs as each is appended.
Word RandomWord(std::mt19937& rng, uint32_t range, double p) {
  std::bernoulli_distribution keep(p);
  Word w;
  for (uint32_t doc = 0; doc < range; ++doc) {
    if (!keep(rng)) continue;
    const uint32_t count = 1 + rng() % 300;
    w.docs.push_back(doc);
    w.counts.push_back(static_cast<uint8_t>(std::min<uint32_t>(count, 255)));
    w.postings.Append(doc, count, doc + 1);
  }
  return w;
}

std::vector<uint32_t> Decoded(const WordPostings& w, std::vector<uint8_t>* counts = nullptr) {
  std::vector<uint32_t> docs;
  w.Decode(nullptr, &docs, counts);
  return docs;
}

TEST(WordPostingsTest, RareWordStaysAListAndDecodesWithCounts) {
  WordPostings w;
  w.Append(0, 3, 1);
  w.Append(200, 1, 1000);
  w.Append(70000, 400, 100000);  // a distance of three varint bytes; count cut at 255
  EXPECT_FALSE(w.is_bitmap());
  EXPECT_EQ(w.size(), 3u);
  std::vector<uint8_t> counts;
  EXPECT_THAT(Decoded(w, &counts), ElementsAre(0, 200, 70000));
  EXPECT_THAT(counts, ElementsAre(3, 1, 255));
  EXPECT_EQ(w.HeapBytes(), 0);  // nine bytes fit in the string itself
}

TEST(WordPostingsTest, CommonWordBecomesABitmapOnlyInALargeEnoughIndex) {
  // In every doc of a small index: still a list.
  WordPostings small;
  for (uint32_t doc = 0; doc + 1 < WordPostings::kMinBitmapDocs; ++doc) {
    small.Append(doc, 1, doc + 1);
  }
  EXPECT_FALSE(small.is_bitmap());
  // In one doc of 32 of a large index: a list; one more doc makes it a bitmap.
  const uint32_t docs = 32 * 100;
  WordPostings w;
  for (uint32_t i = 0; i < 100; ++i) w.Append(i * 32, 2, docs);
  EXPECT_FALSE(w.is_bitmap());
  w.Append(docs - 1, 5, docs);
  EXPECT_TRUE(w.is_bitmap());
  std::vector<uint8_t> counts;
  const std::vector<uint32_t> decoded = Decoded(w, &counts);
  ASSERT_EQ(decoded.size(), 101u);
  EXPECT_EQ(decoded[1], 32u);
  EXPECT_EQ(decoded.back(), docs - 1);
  EXPECT_EQ(counts.back(), 5);
  EXPECT_EQ(w.CountOf(64), 2);
  EXPECT_EQ(w.CountOf(65), 0);
  EXPECT_EQ(w.CountOf(docs - 1), 5);
  EXPECT_EQ(w.CountOf(docs * 10), 0);  // beyond its last doc
}

TEST(WordPostingsTest, BitmapAndListDecodeTheSameDocsAmongAnyList) {
  std::mt19937 rng(7);
  for (const double p : {0.01, 0.05, 0.3, 0.9}) {
    Word w = RandomWord(rng, 20000, p);
    EXPECT_EQ(w.postings.is_bitmap(), p > 0.04) << p;
    EXPECT_EQ(w.postings.size(), w.docs.size());
    std::vector<uint8_t> counts;
    EXPECT_EQ(Decoded(w.postings, &counts), w.docs) << p;
    EXPECT_EQ(counts, w.counts) << p;
    // Among another list (which runs beyond the word's last doc).
    const Word other = RandomWord(rng, 25000, 0.2);
    std::vector<uint32_t> want;
    std::set_intersection(w.docs.begin(), w.docs.end(), other.docs.begin(), other.docs.end(),
                          std::back_inserter(want));
    std::vector<uint32_t> got;
    std::vector<uint8_t> got_counts;
    w.postings.Decode(&other.docs, &got, &got_counts);
    EXPECT_EQ(got, want) << p;
    ASSERT_EQ(got_counts.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      const size_t at = std::lower_bound(w.docs.begin(), w.docs.end(), want[i]) - w.docs.begin();
      EXPECT_EQ(got_counts[i], w.counts[at]) << p << " doc " << want[i];
    }
    if (w.postings.is_bitmap()) {
      for (uint32_t doc = 0; doc < 21000; ++doc) {
        const auto at = std::lower_bound(w.docs.begin(), w.docs.end(), doc);
        const uint8_t want_count =
            at != w.docs.end() && *at == doc ? w.counts[at - w.docs.begin()] : 0;
        ASSERT_EQ(w.postings.CountOf(doc), want_count) << p << " doc " << doc;
      }
    }
  }
}

TEST(WordPostingsTest, BitmapIntersectionAndsEveryWordAndCountsBelowALimit) {
  std::mt19937 rng(11);
  Word a = RandomWord(rng, 30000, 0.5);
  Word b = RandomWord(rng, 24000, 0.2);  // shorter: nothing of a beyond its end
  Word c = RandomWord(rng, 30000, 0.7);
  ASSERT_TRUE(a.postings.is_bitmap() && b.postings.is_bitmap() && c.postings.is_bitmap());
  std::vector<uint32_t> ab, abc;
  std::set_intersection(a.docs.begin(), a.docs.end(), b.docs.begin(), b.docs.end(),
                        std::back_inserter(ab));
  std::set_intersection(ab.begin(), ab.end(), c.docs.begin(), c.docs.end(),
                        std::back_inserter(abc));
  EXPECT_EQ(WordPostings::BitmapIntersection({&a.postings, &b.postings}), ab);
  const std::vector<uint32_t> got =
      WordPostings::BitmapIntersection({&c.postings, &a.postings, &b.postings});
  EXPECT_EQ(got, abc);
  EXPECT_EQ(WordPostings::BitmapIntersection({&a.postings}), a.docs);
  EXPECT_THAT(WordPostings::BitmapIntersection({}), IsEmpty());
  // A snapshot's count: the docs below its limit.
  for (const int64_t limit : {0, 1, 5000, 12345, 23999, 1000000}) {
    const int64_t want =
        std::count_if(abc.begin(), abc.end(), [limit](uint32_t d) { return d < limit; });
    EXPECT_EQ(CountBelow(got, limit), want) << limit;
  }
}

TEST(WordPostingsTest, BitmapOfAWordGrownRareGoesBackToAListKeepingItsDocs) {
  // Common among the first 4,096 docs, then absent.
  WordPostings w;
  std::vector<uint32_t> docs;
  std::vector<uint8_t> counts;
  for (uint32_t doc = 0; doc < 4096; doc += 8) {
    w.Append(doc, doc % 7 + 1, doc + 1);
    docs.push_back(doc);
    counts.push_back(static_cast<uint8_t>(doc % 7 + 1));
  }
  ASSERT_TRUE(w.is_bitmap());
  // 512 docs: 1/16 of 8,192 docs, 1/64 of 32,768; fewer only beyond.
  w.Reshape(8192);
  EXPECT_TRUE(w.is_bitmap());
  w.Reshape(32768);
  EXPECT_TRUE(w.is_bitmap());
  w.Reshape(32769);
  EXPECT_FALSE(w.is_bitmap());
  std::vector<uint8_t> decoded_counts;
  EXPECT_THAT(Decoded(w, &decoded_counts), ElementsAreArray(docs));
  EXPECT_EQ(decoded_counts, counts);
  EXPECT_EQ(w.size(), docs.size());
  // Appends go on from its last doc, and it turns into a bitmap again once
  // common.
  w.Append(40000, 9, 40001);
  EXPECT_FALSE(w.is_bitmap());
  for (uint32_t doc = 40001; doc < 41000; ++doc) w.Append(doc, 1, doc + 1);
  EXPECT_TRUE(w.is_bitmap());
  EXPECT_EQ(w.CountOf(40000), 9);
  EXPECT_EQ(w.CountOf(4088), 4088 % 7 + 1);
  EXPECT_EQ(w.size(), docs.size() + 1000);
}

}  // namespace
}  // namespace newsdesk::query
