// The number of docs published on each UTC day, summed over any run of days
// in O(log days): a Fenwick tree (binary indexed tree) over the days from
// the earliest to the latest seen, which grows (and is rebuilt, in O(days))
// when a doc falls outside them. What makes the count of a publication-time
// range cheap: whole days from here, the two partial days at its ends from
// the time-ordered index (ArticleIndex).
#ifndef QUERY_SERVICE_INDEX_DAY_COUNTS_H_
#define QUERY_SERVICE_INDEX_DAY_COUNTS_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace newsdesk::query {

class DayCounts {
 public:
  static constexpr int64_t kDayNs = int64_t{86400} * 1000 * 1000 * 1000;

  // The UTC day (days since 1970-01-01, negative before) of a time in Unix
  // nanoseconds.
  static int64_t DayOf(int64_t time_ns) {
    return time_ns / kDayNs - (time_ns % kDayNs < 0 ? 1 : 0);
  }
  // The time (Unix nanoseconds) `day` starts at, saturated at the earliest.
  static int64_t DayStart(int64_t day) {
    return day > std::numeric_limits<int64_t>::min() / kDayNs
               ? day * kDayNs
               : std::numeric_limits<int64_t>::min();
  }

  // A time range [lo, hi) (Unix ns, lo < hi; either end may be the int64
  // limit for an open one) as the UTC days wholly inside it, [first_day,
  // end_day) (none when first_day >= end_day), and the parts of days left
  // at its ends, each [from, to) in time.
  struct Split {
    int64_t first_day = 0;
    int64_t end_day = 0;
    std::vector<std::pair<int64_t, int64_t>> partial;
  };
  static Split SplitRange(int64_t lo, int64_t hi);

  // Counts `delta` more docs on `day` (fewer when negative).
  void Add(int64_t day, int32_t delta = 1);

  // Calls visit(day, docs) for each day in [first_day, end_day) with docs,
  // in order.
  template <typename Visit>
  void ForEachDay(int64_t first_day, int64_t end_day, Visit visit) const {
    const int64_t size = static_cast<int64_t>(per_day_.size());
    if (size == 0 || end_day <= first_day_ || first_day >= first_day_ + size) return;
    const int64_t from = std::max<int64_t>(first_day, first_day_) - first_day_;
    const int64_t to = end_day >= first_day_ + size ? size : end_day - first_day_;
    for (int64_t i = from; i < to; ++i) {
      if (per_day_[i] != 0) visit(first_day_ + i, int64_t{per_day_[i]});
    }
  }

  // Docs on the days in [first_day, end_day).
  int64_t Count(int64_t first_day, int64_t end_day) const;

  // Heap bytes of the tree.
  int64_t HeapBytes() const {
    return static_cast<int64_t>(per_day_.capacity() * sizeof(int32_t) +
                                tree_.capacity() * sizeof(int64_t));
  }

 private:
  // Docs on days first_day_ .. first_day_ + (position - 1), position 1-based.
  int64_t Prefix(int64_t positions) const;
  // Makes room for `day`, rebuilding the tree over the wider span.
  void Cover(int64_t day);

  int64_t first_day_ = 0;
  std::vector<int32_t> per_day_;  // by day - first_day_
  std::vector<int64_t> tree_;     // Fenwick tree over per_day_, 1-based
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_DAY_COUNTS_H_
