// A bounded cache of copy-prints: what confirming a near-copy candidate
// needs of an earlier article (its sorted shingle hashes and its figures),
// keyed by the article's number. The near-copy detector keeps the prints of
// the articles it added and read most recently, so that a burst of copies
// of one original, or the many copies of a popular one, are confirmed
// without reading the original from the replica and shingling it again.
// A print depends on the article's body alone, which never changes, so a
// print served from the cache is the one a read would have made: the cache
// changes what confirmation costs, never its result.
//
// Least recently used prints are dropped first; the bytes held (the
// vectors' capacities and a fixed cost per print) never exceed the
// capacity after Put returns. Not thread-safe.
#ifndef QUERY_SERVICE_STORIES_COPY_PRINT_CACHE_H_
#define QUERY_SERVICE_STORIES_COPY_PRINT_CACHE_H_

#include <cstdint>
#include <list>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace newsdesk::query {

struct CopyPrint {
  // (hash of a figure's context, hash of the figure), sorted.
  using Figure = std::pair<uint64_t, uint64_t>;

  std::vector<uint64_t> shingles;  // sorted, distinct
  std::vector<Figure> figures;
};

class CopyPrintCache {
 public:
  // Holds at most `capacity_bytes`; 0 holds nothing.
  explicit CopyPrintCache(int64_t capacity_bytes);

  CopyPrintCache(const CopyPrintCache&) = delete;
  CopyPrintCache& operator=(const CopyPrintCache&) = delete;

  // The print of article `n`, now the most recently used; null when not
  // held. Valid until the next Put.
  const CopyPrint* Get(uint32_t n);

  // Holds `print` as article `n`'s (replacing one held), most recently
  // used, then drops the least recently used until within the capacity. A
  // print larger than the capacity is not held.
  void Put(uint32_t n, CopyPrint print);

  // What a print costs the cache.
  static int64_t Bytes(const CopyPrint& print);

  int64_t bytes() const { return bytes_; }
  size_t size() const { return by_article_.size(); }

 private:
  struct Held {
    uint32_t article;
    int64_t bytes;
    CopyPrint print;
  };

  const int64_t capacity_;
  int64_t bytes_ = 0;
  std::list<Held> recent_;  // most recently used first
  absl::flat_hash_map<uint32_t, std::list<Held>::iterator> by_article_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_COPY_PRINT_CACHE_H_
