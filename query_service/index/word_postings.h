// The docs naming one word of the word index, with the word's weighted count
// in each (title words count 3, body words 1; at most 255) for relevance.
// Docs are appended in increasing order. A word is kept in one of two forms:
//
// - A list while it is rare: per doc, the varint of its distance from the
//   doc before (from 0 for the first) and the count byte; the postings of a
//   word in a few docs fit in the string itself. About 2 bytes per doc
//   naming the word, decoded in one pass.
// - A bitmap once it names more than 1/kBitmapShare of the docs: bit d is set
//   when doc d names it, the counts sit beside in doc order, and the number
//   of docs before every block of 512 lets the count of one doc be found
//   with a few popcounts. About N/8 + N/128 bytes for an index of N docs,
//   plus a byte per doc naming the word: more than the list between 1/32 and
//   about 1/8 of the docs, less above. Two common words intersect by AND
//   over the bits, and a rarer word's docs are tested one bit each, instead
//   of decoding the common word whole.
//
// A bitmap goes back to a list (Reshape) once it names fewer than
// 1/kListShare of the docs, so a word common only for a while does not keep
// a bitmap that grows with the index; between the two shares a word keeps
// its form.
#ifndef QUERY_SERVICE_INDEX_WORD_POSTINGS_H_
#define QUERY_SERVICE_INDEX_WORD_POSTINGS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace newsdesk::query {

class WordPostings {
 public:
  // A list naming more than 1/kBitmapShare of the docs becomes a bitmap.
  static constexpr uint32_t kBitmapShare = 32;
  // A bitmap naming fewer than 1/kListShare of the docs becomes a list.
  static constexpr uint32_t kListShare = 64;
  // No bitmaps while the index holds fewer docs than this.
  static constexpr uint32_t kMinBitmapDocs = 256;

  WordPostings() = default;
  WordPostings(WordPostings&&) = default;
  WordPostings& operator=(WordPostings&&) = default;

  // Appends `doc`, which must follow every doc appended before, named
  // `count` times (weighted; counts above 255 are kept as 255). `docs` is
  // the number of docs the index holds, this one included: it decides the
  // form.
  void Append(uint32_t doc, uint32_t count, uint32_t docs);

  // Turns a bitmap naming fewer than 1/kListShare of `docs` back into a list.
  void Reshape(uint32_t docs);

  // The number of docs naming the word.
  uint32_t size() const { return size_; }
  bool is_bitmap() const { return bitmap_ != nullptr; }

  // The docs naming the word, with their counts (when `counts` is not
  // null): all of them when `among` is null, else only those also in
  // `*among` (sorted). A list is decoded in one pass; a bitmap tests the
  // bit of each doc of `among`.
  void Decode(const std::vector<uint32_t>* among, std::vector<uint32_t>* docs,
              std::vector<uint8_t>* counts) const;

  // Bitmap only: the count of `doc`, 0 when it does not name the word.
  uint8_t CountOf(uint32_t doc) const;

  // The docs every word of `words` names; all must be bitmaps.
  static std::vector<uint32_t> BitmapIntersection(absl::Span<const WordPostings* const> words);

  // Heap bytes beyond the object, from capacities.
  int64_t HeapBytes() const;

 private:
  struct Bitmap {
    std::vector<uint64_t> bits;   // doc d: bit d % 64 of bits[d / 64]
    std::vector<uint32_t> ranks;  // docs before each block of kBlockWords words
    std::vector<uint8_t> counts;  // of the docs naming the word, in doc order
  };
  static constexpr uint32_t kBlockWords = 8;  // 512 docs per rank sample

  // Appends to the list form.
  void AppendToList(uint32_t doc, uint8_t count);
  // Appends to the bitmap form.
  void AppendToBitmap(uint32_t doc, uint8_t count);

  std::string bytes_;  // the list form; empty while a bitmap
  uint32_t last_ = 0;  // the last doc appended
  uint32_t size_ = 0;
  std::unique_ptr<Bitmap> bitmap_;  // the bitmap form, when it is one
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_WORD_POSTINGS_H_
