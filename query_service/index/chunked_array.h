// An array that grows by whole chunks and never moves what it holds. Its
// elements are handed out one at a time (push_back) or in runs (Append), each contiguous in memory
// and addressed by its offset; a run that does not fit in what is left of the last chunk starts a
// new one (the tail is left unused), and a run longer than a chunk gets a block of its own spanning
// several. A std::vector of tens of millions of elements copies all of them when it outgrows its
// capacity, a pause of a hundred milliseconds and more at a million
// articles, under the index's writer lock; this array allocates one chunk.
#ifndef QUERY_SERVICE_INDEX_CHUNKED_ARRAY_H_
#define QUERY_SERVICE_INDEX_CHUNKED_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace newsdesk::query {

template <typename T, int kChunkBits = 16>
class ChunkedArray {
 public:
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;

  // The offset of `n` new contiguous elements, each T().
  size_t Append(size_t n) {
    const size_t used = size_ & (kChunkSize - 1);
    if (n == 0) return size_;
    if (used == 0 || used + n > kChunkSize) {
      // A new chunk, or blocks of as many chunks as the run needs.
      const size_t chunks = (n + kChunkSize - 1) / kChunkSize;
      blocks_.push_back(std::make_unique<T[]>(chunks * kChunkSize));
      for (size_t c = 0; c < chunks; ++c) chunks_.push_back(blocks_.back().get() + c * kChunkSize);
      size_ = (chunks_.size() - chunks) * kChunkSize;
    }
    const size_t at = size_;
    size_ += n;
    return at;
  }

  // Used one element at a time, the array has no unused tails: element i is
  // at offset i.
  void push_back(const T& value) { *at(Append(1)) = value; }

  // Offsets Append has handed out are below size(), with the unused tails.
  size_t size() const { return size_; }
  T* at(size_t offset) { return chunks_[offset >> kChunkBits] + (offset & (kChunkSize - 1)); }
  const T* at(size_t offset) const {
    return chunks_[offset >> kChunkBits] + (offset & (kChunkSize - 1));
  }
  T& operator[](size_t offset) { return *at(offset); }
  const T& operator[](size_t offset) const { return *at(offset); }

  int64_t HeapBytes() const {
    return static_cast<int64_t>(chunks_.size() * (kChunkSize * sizeof(T) + sizeof(T*)) +
                                blocks_.size() * sizeof(std::unique_ptr<T[]>));
  }

 private:
  std::vector<std::unique_ptr<T[]>> blocks_;
  std::vector<T*> chunks_;  // kChunkSize elements from each
  size_t size_ = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_CHUNKED_ARRAY_H_
