#include "query_service/index/day_counts.h"

#include <algorithm>

namespace newsdesk::query {

DayCounts::Split DayCounts::SplitRange(int64_t lo, int64_t hi) {
  Split split;
  const bool lo_whole = lo == std::numeric_limits<int64_t>::min() || DayStart(DayOf(lo)) == lo;
  split.first_day = DayOf(lo) + (lo_whole ? 0 : 1);
  split.end_day = DayOf(hi);
  if (split.first_day >= split.end_day) {
    split.partial.emplace_back(lo, hi);  // within one day, or two partial ones
    return split;
  }
  if (!lo_whole) split.partial.emplace_back(lo, DayStart(split.first_day));
  if (DayStart(split.end_day) < hi) split.partial.emplace_back(DayStart(split.end_day), hi);
  return split;
}

void DayCounts::Cover(int64_t day) {
  const int64_t size = static_cast<int64_t>(per_day_.size());
  if (size > 0 && day >= first_day_ && day < first_day_ + size) return;
  // The new span holds the old one and `day`, with room to grow on the side
  // it grew (doubling), so a run of new days rebuilds the tree rarely.
  int64_t first = size == 0 ? day : std::min(first_day_, day);
  int64_t end = size == 0 ? day + 1 : std::max(first_day_ + size, day + 1);
  const int64_t slack = std::max<int64_t>(64, end - first);
  if (size > 0 && day < first_day_) first -= slack;
  if (size == 0 || day >= first_day_ + size) end += slack;
  std::vector<int32_t> per_day(static_cast<size_t>(end - first), 0);
  std::copy(per_day_.begin(), per_day_.end(),
            per_day.begin() + (size == 0 ? 0 : first_day_ - first));
  per_day_ = std::move(per_day);
  first_day_ = first;
  // Built in O(days): each node passes its sum to its parent.
  tree_.assign(per_day_.size() + 1, 0);
  for (size_t i = 1; i < tree_.size(); ++i) {
    tree_[i] += per_day_[i - 1];
    const size_t parent = i + (i & (~i + 1));
    if (parent < tree_.size()) tree_[parent] += tree_[i];
  }
}

void DayCounts::Add(int64_t day, int32_t delta) {
  Cover(day);
  const size_t position = static_cast<size_t>(day - first_day_);
  per_day_[position] += delta;
  for (size_t i = position + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
}

int64_t DayCounts::Prefix(int64_t positions) const {
  positions = std::clamp<int64_t>(positions, 0, static_cast<int64_t>(per_day_.size()));
  int64_t sum = 0;
  for (size_t i = static_cast<size_t>(positions); i > 0; i -= i & (~i + 1))
    sum += tree_[i];
  return sum;
}

int64_t DayCounts::Count(int64_t first_day, int64_t end_day) const {
  if (end_day <= first_day || per_day_.empty()) return 0;
  return Prefix(end_day - first_day_) - Prefix(first_day - first_day_);
}

}  // namespace newsdesk::query
