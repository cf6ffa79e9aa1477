#include "query_service/index/chunked_array.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using SmallChunks = ChunkedArray<uint32_t, /*kChunkBits=*/4>;  // 16 a chunk

TEST(ChunkedArrayTest, RunsAreContiguousAndNeverMove) {
  SmallChunks array;
  std::vector<std::pair<size_t, size_t>> runs;  // offset, length
  std::vector<const uint32_t*> first;           // where each run was put
  uint32_t value = 0;
  for (const size_t n : {3, 5, 8, 7, 1, 16, 2, 40, 9, 0, 15, 16, 33, 4}) {
    const size_t at = array.Append(n);
    uint32_t* run = array.at(at);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(run[i], 0u) << "new slots are zero";
      run[i] = value++;
    }
    runs.emplace_back(at, n);
    first.push_back(run);
  }
  value = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    const auto [at, n] = runs[r];
    EXPECT_EQ(array.at(at), first[r]) << "run " << r << " moved";
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(array[at + i], value++) << r << " " << i;
    // A run never straddles two chunks unless it has a block of its own.
    if (n > 0 && n <= SmallChunks::kChunkSize) {
      EXPECT_EQ(at / SmallChunks::kChunkSize, (at + n - 1) / SmallChunks::kChunkSize) << r;
    }
  }
  // Runs in order, each after the one before.
  for (size_t r = 1; r < runs.size(); ++r) {
    EXPECT_GE(runs[r].first, runs[r - 1].first + runs[r - 1].second);
  }
  EXPECT_GE(array.size(), runs.back().first + runs.back().second);
}

TEST(ChunkedArrayTest, ArraysGivenTheSameRunsGiveTheSameOffsets) {
  SmallChunks ids;
  ChunkedArray<uint16_t, 4> mentions;
  for (size_t n = 0; n < 60; ++n) {
    const size_t length = (n * 7) % 23;
    EXPECT_EQ(ids.Append(length), mentions.Append(length)) << n;
  }
  EXPECT_EQ(ids.size(), mentions.size());
}

TEST(ChunkedArrayTest, HeapBytesCountWholeChunks) {
  ChunkedArray<uint32_t, 4> array;
  EXPECT_EQ(array.HeapBytes(), 0);
  array.Append(1);
  EXPECT_GE(array.HeapBytes(), static_cast<int64_t>(16 * sizeof(uint32_t)));
}

}  // namespace
}  // namespace newsdesk::query
