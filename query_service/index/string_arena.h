// Many strings, each kept once, back to back in large blocks that never
// move: one allocation per block instead of one per string, no copy of what
// is kept as more is added (the references too grow by chunks), and 12
// bytes of bookkeeping per string. What the index keeps of every article in
// memory (its id, its summary) is held so.
#ifndef QUERY_SERVICE_INDEX_STRING_ARENA_H_
#define QUERY_SERVICE_INDEX_STRING_ARENA_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "glog/logging.h"
#include "query_service/index/chunked_array.h"

namespace newsdesk::query {

class StringArena {
 public:
  static constexpr size_t kDefaultBlockSize = size_t{1} << 20;

  explicit StringArena(size_t block_size = kDefaultBlockSize) : block_size_(block_size) {}

  // Keeps a copy of `s` as the string at index size(). A string longer than
  // a block gets a block of its own.
  void Add(absl::string_view s) {
    CHECK_LE(s.size(), std::numeric_limits<uint32_t>::max());
    if (blocks_.empty() || blocks_.back().capacity - used_ < s.size()) {
      const size_t capacity = std::max(block_size_, s.size());
      blocks_.push_back(Block{std::make_unique<char[]>(capacity), capacity});
      used_ = 0;
    }
    Block& block = blocks_.back();
    refs_.push_back(Ref{static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(used_),
                        static_cast<uint32_t>(s.size())});
    std::copy(s.begin(), s.end(), block.data.get() + used_);
    used_ += s.size();
  }

  // The string at index i (< size()), valid as long as the arena.
  absl::string_view operator[](size_t i) const {
    const Ref& ref = refs_[i];
    return absl::string_view(blocks_[ref.block].data.get() + ref.offset, ref.size);
  }

  size_t size() const { return refs_.size(); }

  size_t HeapBytes() const {
    size_t bytes = refs_.HeapBytes() + blocks_.capacity() * sizeof(Block);
    for (const Block& block : blocks_) bytes += block.capacity;
    return bytes;
  }

 private:
  struct Ref {
    uint32_t block;
    uint32_t offset;
    uint32_t size;
  };
  // A block's bytes are allocated once and never move.
  struct Block {
    std::unique_ptr<char[]> data;
    size_t capacity;
  };
  size_t block_size_;
  std::vector<Block> blocks_;
  size_t used_ = 0;  // bytes used in the last block
  // Chunks of 16,384 references (192 KiB) rather than the default 65,536:
  // an arena starts small.
  ChunkedArray<Ref, 14> refs_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_STRING_ARENA_H_
