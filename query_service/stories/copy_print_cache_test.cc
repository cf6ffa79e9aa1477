#include "query_service/stories/copy_print_cache.h"

#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

// A print of `shingles` hashes starting at `first`, and one figure, with no
// spare capacity.
CopyPrint Print(uint64_t first, int shingles) {
  CopyPrint print;
  print.shingles.resize(shingles);
  for (int i = 0; i < shingles; ++i) print.shingles[i] = first + i;
  print.figures.emplace_back(first, first + 1);
  print.shingles.shrink_to_fit();
  print.figures.shrink_to_fit();
  return print;
}

TEST(CopyPrintCacheTest, HoldsPrintsByArticleAsGiven) {
  CopyPrintCache cache(1 << 20);
  EXPECT_EQ(cache.Get(3), nullptr);
  cache.Put(3, Print(100, 5));
  cache.Put(7, Print(200, 2));
  const CopyPrint* three = cache.Get(3);
  ASSERT_NE(three, nullptr);
  EXPECT_EQ(three->shingles, Print(100, 5).shingles);
  EXPECT_EQ(three->figures, Print(100, 5).figures);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.bytes(), CopyPrintCache::Bytes(Print(100, 5)) +
                               CopyPrintCache::Bytes(Print(200, 2)));
  // Put again replaces, and counts the bytes once.
  cache.Put(3, Print(300, 1));
  EXPECT_EQ(cache.Get(3)->shingles, Print(300, 1).shingles);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.bytes(), CopyPrintCache::Bytes(Print(300, 1)) +
                               CopyPrintCache::Bytes(Print(200, 2)));
}

// The bytes held never exceed the capacity; the least recently used print
// (by Get or Put) goes first.
TEST(CopyPrintCacheTest, DropsTheLeastRecentlyUsedToStayWithinItsBytes) {
  const int64_t one = CopyPrintCache::Bytes(Print(0, 100));
  CopyPrintCache cache(3 * one + one / 2);  // room for three
  for (uint32_t n = 0; n < 3; ++n) cache.Put(n, Print(n * 1000, 100));
  EXPECT_EQ(cache.size(), 3u);
  ASSERT_NE(cache.Get(0), nullptr);  // 0 is now the most recent; 1 the least
  cache.Put(3, Print(3000, 100));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Get(1), nullptr);
  EXPECT_NE(cache.Get(0), nullptr);
  EXPECT_NE(cache.Get(2), nullptr);
  EXPECT_NE(cache.Get(3), nullptr);
  for (uint32_t n = 4; n < 50; ++n) {
    cache.Put(n, Print(n * 1000, 50 + static_cast<int>(n % 3) * 40));
    EXPECT_LE(cache.bytes(), 3 * one + one / 2);
  }
  EXPECT_NE(cache.Get(49), nullptr);
  EXPECT_EQ(cache.Get(4), nullptr);
}

TEST(CopyPrintCacheTest, APrintLargerThanTheCapacityIsNotHeld) {
  CopyPrintCache cache(CopyPrintCache::Bytes(Print(0, 10)));
  cache.Put(1, Print(0, 10));
  EXPECT_NE(cache.Get(1), nullptr);
  cache.Put(2, Print(0, 11));
  EXPECT_EQ(cache.Get(2), nullptr);
  EXPECT_NE(cache.Get(1), nullptr);  // kept: nothing had to go for it
  CopyPrintCache none(0);
  none.Put(1, Print(0, 1));
  EXPECT_EQ(none.Get(1), nullptr);
  EXPECT_EQ(none.bytes(), 0);
}

// Spare capacity in the vectors given is given back before the bytes are
// counted.
TEST(CopyPrintCacheTest, CountsThePrintAsHeld) {
  CopyPrint print = Print(0, 10);
  print.shingles.reserve(1000);
  CopyPrintCache cache(1 << 20);
  cache.Put(1, std::move(print));
  EXPECT_EQ(cache.bytes(), CopyPrintCache::Bytes(Print(0, 10)));
}

}  // namespace
}  // namespace newsdesk::query
