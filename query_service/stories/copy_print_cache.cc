#include "query_service/stories/copy_print_cache.h"

namespace newsdesk::query {

CopyPrintCache::CopyPrintCache(int64_t capacity_bytes) : capacity_(capacity_bytes) {}

const CopyPrint* CopyPrintCache::Get(uint32_t n) {
  auto it = by_article_.find(n);
  if (it == by_article_.end()) return nullptr;
  recent_.splice(recent_.begin(), recent_, it->second);
  return &it->second->print;
}

void CopyPrintCache::Put(uint32_t n, CopyPrint print) {
  if (auto it = by_article_.find(n); it != by_article_.end()) {
    bytes_ -= it->second->bytes;
    recent_.erase(it->second);
    by_article_.erase(it);
  }
  print.shingles.shrink_to_fit();
  print.figures.shrink_to_fit();
  const int64_t bytes = Bytes(print);
  if (bytes > capacity_) return;
  while (bytes_ + bytes > capacity_) {
    bytes_ -= recent_.back().bytes;
    by_article_.erase(recent_.back().article);
    recent_.pop_back();
  }
  recent_.push_front(Held{n, bytes, std::move(print)});
  by_article_[n] = recent_.begin();
  bytes_ += bytes;
}

int64_t CopyPrintCache::Bytes(const CopyPrint& print) {
  // The list node and the map slot, beside the two vectors' buffers.
  constexpr int64_t kPerPrint = sizeof(Held) + 2 * sizeof(void*) +
                                sizeof(std::pair<uint32_t, std::list<Held>::iterator>) + 1;
  return kPerPrint +
         static_cast<int64_t>(print.shingles.capacity() * sizeof(uint64_t) +
                              print.figures.capacity() * sizeof(CopyPrint::Figure));
}

}  // namespace newsdesk::query
