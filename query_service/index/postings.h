// Sorted lists of doc numbers (postings) and the set operations queries
// combine them with. Lists are read through spans, so a condition naming one
// list uses the index's own without a copy; only unions and intersections
// make new lists. An intersection of lists of very different sizes gallops
// through the larger one (exponential then binary search from where the last
// doc was found), costing about the smaller size times the log of the ratio
// instead of the sum of the sizes. A condition met by any of several lists
// is applied to the docs already narrowed down without building its union.
#ifndef QUERY_SERVICE_INDEX_POSTINGS_H_
#define QUERY_SERVICE_INDEX_POSTINGS_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace newsdesk::query {

using DocSpan = absl::Span<const uint32_t>;

// The sorted union of sorted lists.
inline std::vector<uint32_t> UnionOf(const std::vector<DocSpan>& lists) {
  std::vector<uint32_t> out;
  for (const DocSpan list : lists) {
    std::vector<uint32_t> merged;
    merged.reserve(out.size() + list.size());
    std::set_union(out.begin(), out.end(), list.begin(), list.end(),
                   std::back_inserter(merged));
    out.swap(merged);
  }
  return out;
}

// The first position at or after `from` in `list` whose doc is at least
// `doc`: an exponential search from `from`, then a binary one.
inline size_t GallopTo(DocSpan list, size_t from, uint32_t doc) {
  size_t step = 1;
  size_t hi = from;
  while (hi < list.size() && list[hi] < doc) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = std::min(hi, list.size());
  return static_cast<size_t>(
      std::lower_bound(list.begin() + from, list.begin() + hi, doc) - list.begin());
}

// The sorted intersection of two sorted lists. A merge when their sizes are
// close; otherwise each doc of the smaller is galloped to in the larger.
inline std::vector<uint32_t> IntersectionOf(DocSpan a, DocSpan b) {
  if (a.size() > b.size()) std::swap(a, b);
  std::vector<uint32_t> out;
  if (a.empty()) return out;
  out.reserve(a.size());
  if (b.size() / a.size() < 8) {
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                          std::back_inserter(out));
    return out;
  }
  size_t at = 0;
  for (const uint32_t doc : a) {
    at = GallopTo(b, at, doc);
    if (at == b.size()) break;
    if (b[at] == doc) out.push_back(doc);
  }
  return out;
}

// The sorted intersection of `a` with the union of `parts`: the union of
// a's intersections with each part, each at most a's size, so the union of
// large parts is never built.
inline std::vector<uint32_t> IntersectionWithUnionOf(DocSpan a,
                                                     const std::vector<DocSpan>& parts) {
  std::vector<DocSpan> kept_lists;
  std::vector<std::vector<uint32_t>> kept;
  kept.reserve(parts.size());
  for (const DocSpan part : parts) {
    kept.push_back(IntersectionOf(a, part));
    if (!kept.back().empty()) kept_lists.push_back(kept.back());
  }
  if (kept_lists.size() == 1) {
    for (std::vector<uint32_t>& list : kept) {
      if (!list.empty()) return std::move(list);
    }
  }
  return UnionOf(kept_lists);
}

// The number of docs in `list` below `limit` (a snapshot's first docs).
inline int64_t CountBelow(DocSpan list, int64_t limit) {
  if (limit <= 0) return 0;
  if (limit > static_cast<int64_t>(UINT32_MAX)) return static_cast<int64_t>(list.size());
  return std::lower_bound(list.begin(), list.end(), static_cast<uint32_t>(limit)) -
         list.begin();
}

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_POSTINGS_H_
