#include "query_service/index/word_postings.h"

#include <algorithm>

namespace newsdesk::query {

void WordPostings::Append(uint32_t doc, uint32_t count, uint32_t docs) {
  const auto c = static_cast<uint8_t>(std::min<uint32_t>(count, 255));
  ++size_;
  if (bitmap_ != nullptr) {
    AppendToBitmap(doc, c);
    return;
  }
  AppendToList(doc, c);
  if (docs < kMinBitmapDocs || uint64_t{size_} * kBitmapShare <= docs) return;
  std::vector<uint32_t> listed;
  std::vector<uint8_t> counts;
  Decode(nullptr, &listed, &counts);
  bitmap_ = std::make_unique<Bitmap>();
  bitmap_->bits.reserve(docs / 64 + 1);
  bitmap_->counts.reserve(listed.size());
  for (size_t i = 0; i < listed.size(); ++i) AppendToBitmap(listed[i], counts[i]);
  std::string().swap(bytes_);
}

void WordPostings::Reshape(uint32_t docs) {
  if (bitmap_ == nullptr || uint64_t{size_} * kListShare >= docs) return;
  const std::unique_ptr<Bitmap> bitmap = std::move(bitmap_);
  last_ = 0;
  bytes_.reserve(2 * size_t{size_});
  size_t rank = 0;
  for (size_t w = 0; w < bitmap->bits.size(); ++w) {
    for (uint64_t bits = bitmap->bits[w]; bits != 0; bits &= bits - 1) {
      const auto doc = static_cast<uint32_t>(w * 64 + __builtin_ctzll(bits));
      AppendToList(doc, bitmap->counts[rank++]);
    }
  }
}

void WordPostings::AppendToList(uint32_t doc, uint8_t count) {
  for (uint32_t delta = doc - last_;; delta >>= 7) {
    if (delta < 0x80) {
      bytes_.push_back(static_cast<char>(delta));
      break;
    }
    bytes_.push_back(static_cast<char>((delta & 0x7f) | 0x80));
  }
  bytes_.push_back(static_cast<char>(count));
  last_ = doc;
}

void WordPostings::AppendToBitmap(uint32_t doc, uint8_t count) {
  Bitmap& b = *bitmap_;
  const size_t word = doc / 64;
  // Grown by an eighth, not doubled: hundreds of bitmaps of N/8 bytes each
  // would otherwise hold a quarter more than they use on average.
  if (b.bits.capacity() <= word) b.bits.reserve(word + 1 + word / 8);
  if (b.counts.capacity() == b.counts.size()) {
    b.counts.reserve(b.counts.size() + b.counts.size() / 8 + 64);
  }
  if (b.bits.size() <= word) b.bits.resize(word + 1, 0);
  // A block's sample is the docs before it: those appended so far.
  while (b.ranks.size() <= word / kBlockWords) {
    b.ranks.push_back(static_cast<uint32_t>(b.counts.size()));
  }
  b.bits[word] |= uint64_t{1} << (doc % 64);
  b.counts.push_back(count);
  last_ = doc;
}

void WordPostings::Decode(const std::vector<uint32_t>* among, std::vector<uint32_t>* docs,
                          std::vector<uint8_t>* counts) const {
  if (bitmap_ != nullptr) {
    const std::vector<uint64_t>& bits = bitmap_->bits;
    if (among == nullptr) {
      docs->reserve(docs->size() + size_);
      size_t rank = 0;
      for (size_t w = 0; w < bits.size(); ++w) {
        for (uint64_t set = bits[w]; set != 0; set &= set - 1) {
          docs->push_back(static_cast<uint32_t>(w * 64 + __builtin_ctzll(set)));
          if (counts != nullptr) counts->push_back(bitmap_->counts[rank]);
          ++rank;
        }
      }
      return;
    }
    for (const uint32_t doc : *among) {
      if (doc / 64 >= bits.size()) break;
      if ((bits[doc / 64] >> (doc % 64) & 1) == 0) continue;
      docs->push_back(doc);
      if (counts != nullptr) counts->push_back(CountOf(doc));
    }
    return;
  }
  size_t at = 0;  // in *among
  uint32_t doc = 0;
  for (size_t k = 0; k < bytes_.size();) {
    uint32_t delta = 0;
    for (int shift = 0;; shift += 7) {
      const auto c = static_cast<unsigned char>(bytes_[k++]);
      delta |= static_cast<uint32_t>(c & 0x7f) << shift;
      if (c < 0x80) break;
    }
    doc += delta;
    const auto count = static_cast<uint8_t>(bytes_[k++]);
    if (among != nullptr) {
      while (at < among->size() && (*among)[at] < doc) ++at;
      if (at == among->size()) break;
      if ((*among)[at] != doc) continue;
    }
    docs->push_back(doc);
    if (counts != nullptr) counts->push_back(count);
  }
}

uint8_t WordPostings::CountOf(uint32_t doc) const {
  const std::vector<uint64_t>& bits = bitmap_->bits;
  const size_t word = doc / 64;
  if (word >= bits.size()) return 0;
  const uint64_t below = uint64_t{1} << (doc % 64);
  if ((bits[word] & below) == 0) return 0;
  const size_t block = word / kBlockWords;
  size_t rank = bitmap_->ranks[block];
  for (size_t w = block * kBlockWords; w < word; ++w) rank += __builtin_popcountll(bits[w]);
  rank += __builtin_popcountll(bits[word] & (below - 1));
  return bitmap_->counts[rank];
}

std::vector<uint32_t> WordPostings::BitmapIntersection(
    absl::Span<const WordPostings* const> words) {
  std::vector<uint32_t> docs;
  if (words.empty()) return docs;
  size_t words64 = words[0]->bitmap_->bits.size();
  uint32_t fewest = words[0]->size_;
  for (const WordPostings* w : words) {
    words64 = std::min(words64, w->bitmap_->bits.size());
    fewest = std::min(fewest, w->size_);
  }
  docs.reserve(fewest);
  for (size_t i = 0; i < words64; ++i) {
    uint64_t set = words[0]->bitmap_->bits[i];
    for (size_t k = 1; k < words.size() && set != 0; ++k) set &= words[k]->bitmap_->bits[i];
    for (; set != 0; set &= set - 1) {
      docs.push_back(static_cast<uint32_t>(i * 64 + __builtin_ctzll(set)));
    }
  }
  return docs;
}

int64_t WordPostings::HeapBytes() const {
  int64_t bytes = bytes_.capacity() > 15 ? static_cast<int64_t>(bytes_.capacity()) + 1 : 0;
  if (bitmap_ != nullptr) {
    bytes += static_cast<int64_t>(sizeof(Bitmap) + bitmap_->bits.capacity() * sizeof(uint64_t) +
                                  bitmap_->ranks.capacity() * sizeof(uint32_t) +
                                  bitmap_->counts.capacity());
  }
  return bytes;
}

}  // namespace newsdesk::query
