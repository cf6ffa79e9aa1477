#include "query_service/index/gradual_table.h"

#include <map>
#include <random>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using StringMap = GradualTable<absl::flat_hash_map<std::string, int>>;

// Every element of `table` once, as an ordered map.
std::map<std::string, int> Contents(const StringMap& table) {
  std::map<std::string, int> seen;
  for (const auto& [key, value] : table) {
    EXPECT_TRUE(seen.emplace(key, value).second) << "visited twice: " << key;
  }
  return seen;
}

TEST(GradualTableTest, GrowsAFewElementsAtATime) {
  StringMap table;
  const int n = 200000;  // several growths past kMinGradualSize
  int growths = 0;
  int growing_insertions = 0;
  for (int i = 0; i < n; ++i) {
    const bool was_growing = table.growing();
    table[absl::StrCat("key", i)] = i;
    if (table.growing()) {
      ++growing_insertions;
      growths += was_growing ? 0 : 1;
    }
  }
  EXPECT_GE(growths, 3);
  // Each growth moves the old table's elements a few per insertion.
  EXPECT_GE(growing_insertions, n / 4 / static_cast<int>(StringMap::kMovesPerInsertion));
  // The flat table never grew at once past the smallest size.
  EXPECT_EQ(table.sudden_growths(), 0);
  ASSERT_EQ(table.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; i += 997) {
    auto it = table.find(absl::StrCat("key", i));
    ASSERT_NE(it, table.end());
    EXPECT_EQ(it->second, i);
  }
  EXPECT_EQ(table.find("missing"), table.end());
  EXPECT_EQ(Contents(table).size(), static_cast<size_t>(n));
}

TEST(GradualTableTest, MatchesAMapThroughInsertionsAndErasures) {
  StringMap table;
  std::map<std::string, int> oracle;
  std::mt19937 random(7);
  std::uniform_int_distribution<int> key_of(0, 150000);
  for (int step = 0; step < 600000; ++step) {
    const std::string key = absl::StrCat("k", key_of(random));
    switch (random() % 5) {
      case 0: {
        const size_t erased = table.erase(key);
        EXPECT_EQ(erased, oracle.erase(key)) << key;
        break;
      }
      case 1: {
        auto it = table.find(key);
        ASSERT_EQ(it != table.end(), oracle.count(key) > 0) << key;
        if (it != table.end()) {
          EXPECT_EQ(it->second, oracle[key]);
          table.erase(it);
          oracle.erase(key);
        }
        break;
      }
      default: {
        auto [it, inserted] = table.try_emplace(key, step);
        auto [at, oracle_inserted] = oracle.try_emplace(key, step);
        ASSERT_EQ(inserted, oracle_inserted) << key;
        EXPECT_EQ(it->second, at->second);
        ++it->second;
        ++at->second;
      }
    }
    ASSERT_EQ(table.size(), oracle.size());
    if (step % 50000 == 0) EXPECT_EQ(Contents(table), oracle) << step;
  }
  EXPECT_EQ(Contents(table), oracle);
  EXPECT_EQ(table.sudden_growths(), 0);
}

TEST(GradualTableTest, ErasesWhileGrowingIncludingTheNextToMove) {
  StringMap table;
  int i = 0;
  while (!table.growing()) {
    table[absl::StrCat("key", i)] = i;
    ++i;
  }
  // Every element, in iteration order (the new table's, then the old
  // table's in the order they move), while the old one still holds some.
  for (auto it = table.begin(); it != table.end();) table.erase(it++);
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.begin(), table.end());
  EXPECT_FALSE(table.growing());
  // The emptied old table is dropped at the next insertion.
  table["again"] = 1;
  EXPECT_EQ(Contents(table), (std::map<std::string, int>{{"again", 1}}));
}

TEST(GradualTableTest, FindsEveryKeyOfASetByAnotherType) {
  GradualTable<absl::flat_hash_set<std::string>> set;
  std::set<std::string> oracle;
  for (int i = 0; i < 60000; ++i) {
    const std::string key = absl::StrCat("id-", i * 7919 % 100003);
    EXPECT_EQ(set.insert(key).second, oracle.insert(key).second);
  }
  for (const std::string& key : oracle) {
    EXPECT_TRUE(set.contains(absl::string_view(key))) << key;
  }
  EXPECT_FALSE(set.contains(absl::string_view("id-x")));
  const GradualTable<absl::flat_hash_set<std::string>>& view = set;
  std::set<std::string> seen(view.begin(), view.end());
  EXPECT_EQ(seen, oracle);
}

}  // namespace
}  // namespace newsdesk::query
