#include "query_service/core/article_counter.h"

#include <algorithm>
#include <optional>

#include "absl/types/span.h"
#include "glog/logging.h"
#include "query_service/index/day_counts.h"

namespace newsdesk::query {

absl::Time BucketStart(absl::Time t, Interval interval) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay day = absl::ToCivilDay(t, utc);
  switch (interval) {
    case Interval::kNone:
      return t;
    case Interval::kDay:
      return absl::FromCivil(day, utc);
    case Interval::kWeek: {
      // Days since Monday.
      const int offset = (static_cast<int>(absl::GetWeekday(day)) -
                          static_cast<int>(absl::Weekday::monday) + 7) % 7;
      return absl::FromCivil(day - offset, utc);
    }
    case Interval::kMonth:
      return absl::FromCivil(absl::CivilMonth(day), utc);
  }
  return t;
}

int64_t BucketStartNs(int64_t time_ns, Interval interval) {
  constexpr int64_t kDayNs = int64_t{86400} * 1000 * 1000 * 1000;
  // Days since 1970-01-01 (a Thursday), rounded down.
  const int64_t day = time_ns / kDayNs - (time_ns % kDayNs < 0 ? 1 : 0);
  auto floor_mod = [](int64_t a, int64_t b) { return ((a % b) + b) % b; };
  switch (interval) {
    case Interval::kNone:
      return time_ns;
    case Interval::kDay:
      return day * kDayNs;
    case Interval::kWeek:
      return (day - floor_mod(day + 3, 7)) * kDayNs;  // back to Monday
    case Interval::kMonth: {
      // The day of the month, from the days in H. Hinnant's civil_from_days
      // (proleptic Gregorian, eras of 400 years starting on March 1st).
      const int64_t z = day + 719468;
      const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
      const int64_t doe = z - era * 146097;
      const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      const int64_t mp = (5 * doy + 2) / 153;
      const int64_t day_of_month = doy - (153 * mp + 2) / 5 + 1;
      return (day - (day_of_month - 1)) * kDayNs;
    }
  }
  return time_ns;
}

absl::Time NextBucket(absl::Time start, Interval interval) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay day = absl::ToCivilDay(start, utc);
  switch (interval) {
    case Interval::kNone:
      return absl::InfiniteFuture();
    case Interval::kDay:
      return absl::FromCivil(day + 1, utc);
    case Interval::kWeek:
      return absl::FromCivil(day + 7, utc);
    case Interval::kMonth:
      return absl::FromCivil(absl::CivilMonth(day) + 1, utc);
  }
  return absl::InfiniteFuture();
}

ArticleCounter::ArticleCounter(GroupBy group_by, Interval interval, const ArticleIndex* index)
    : group_by_(group_by), interval_(interval), index_(index) {}

void ArticleCounter::Add(const MatchedDoc& doc) {
  ++articles_;
  // The bucket start (Unix ns) of the article, when counted in buckets.
  std::optional<int64_t> bucket;
  if (interval_ != Interval::kNone && doc.has_time) {
    if (!has_last_ || doc.time_ns != last_time_ns_) {
      last_time_ns_ = doc.time_ns;
      last_bucket_ = BucketStartNs(doc.time_ns, interval_);
      has_last_ = true;
    }
    bucket = last_bucket_;
  }
  // The doc's groups, then one tight loop over them: the counters are sized
  // once per doc, and without buckets nothing else is touched.
  absl::Span<const uint32_t> ids;
  uint32_t one = 0;
  switch (group_by_) {
    case GroupBy::kNone:
      ids = absl::MakeConstSpan(&one, 1);
      break;
    case GroupBy::kTopic:
      ids = doc.topics;
      break;
    case GroupBy::kEntity:
      ids = doc.entities;
      break;
    case GroupBy::kSource:
      if (doc.source) {
        one = *doc.source;
        ids = absl::MakeConstSpan(&one, 1);
      }
      break;
    case GroupBy::kStory:
      if (doc.story) {
        one = *doc.story;
        ids = absl::MakeConstSpan(&one, 1);
      }
      break;
  }
  if (ids.empty()) return;
  const uint32_t largest = *std::max_element(ids.begin(), ids.end());
  if (largest >= counts_.size()) {
    counts_.resize(size_t{largest} + 1, 0);
    if (interval_ != Interval::kNone) buckets_.resize(counts_.size());
  }
  uint32_t* const counts = counts_.data();
  for (const uint32_t id : ids) ++counts[id];
  if (bucket) {
    for (const uint32_t id : ids) ++buckets_[id][*bucket];
  }
}

void ArticleCounter::AddKept(const ArticleIndex::KeptCounts& kept) {
  CHECK(interval_ == Interval::kNone) << "kept counts have no buckets";
  articles_ += kept.articles;
  uint32_t largest = 0;
  for (const auto& [id, n] : kept.groups) largest = std::max(largest, id);
  if (!kept.groups.empty() && largest >= counts_.size()) counts_.resize(size_t{largest} + 1, 0);
  for (const auto& [id, n] : kept.groups) counts_[id] += static_cast<uint32_t>(n);
}

void ArticleCounter::AddKeptDays(const ArticleIndex::KeptDays& kept) {
  CHECK(group_by_ == GroupBy::kNone) << "kept days are not grouped";
  if (kept.articles == 0) return;
  articles_ += kept.articles;
  if (counts_.empty()) counts_.resize(1, 0);
  counts_[0] += static_cast<uint32_t>(kept.articles);
  if (interval_ == Interval::kNone) return;
  buckets_.resize(counts_.size());
  for (const auto& [day, n] : kept.days) {
    buckets_[0][BucketStartNs(DayCounts::DayStart(day), interval_)] += n;
  }
}

GroupCount ArticleCounter::ToGroup(uint32_t id, GroupName name) const {
  GroupCount group;
  group.key = std::move(name.key);
  group.label = std::move(name.label);
  group.article_count = counts_[id];
  if (interval_ != Interval::kNone) {
    group.buckets.insert(buckets_[id].begin(), buckets_[id].end());
  }
  return group;
}

std::vector<GroupCount> ArticleCounter::Groups(size_t max_groups) const {
  std::vector<uint32_t> ids;
  for (uint32_t id = 0; id < counts_.size(); ++id) {
    if (counts_[id] > 0) ids.push_back(id);
  }
  // The largest by count alone, keeping every group tied with the last one
  // kept: their keys decide which of them make it.
  if (max_groups > 0 && ids.size() > max_groups) {
    auto larger = [this](uint32_t a, uint32_t b) { return counts_[a] > counts_[b]; };
    std::nth_element(ids.begin(), ids.begin() + (max_groups - 1), ids.end(), larger);
    const uint32_t least = counts_[ids[max_groups - 1]];
    ids.erase(std::partition(ids.begin() + max_groups, ids.end(),
                             [this, least](uint32_t id) { return counts_[id] >= least; }),
              ids.end());
  }
  std::vector<GroupName> names;
  if (group_by_ == GroupBy::kNone) {
    names.resize(ids.size());
  } else {
    names = index_->GroupNames(group_by_, ids);
  }
  std::vector<GroupCount> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) out.push_back(ToGroup(ids[i], std::move(names[i])));
  std::sort(out.begin(), out.end(), [](const GroupCount& a, const GroupCount& b) {
    if (a.article_count != b.article_count) return a.article_count > b.article_count;
    return a.key < b.key;
  });
  if (max_groups > 0 && out.size() > max_groups) out.resize(max_groups);
  return out;
}

int64_t ArticleCounter::group_count() const {
  return std::count_if(counts_.begin(), counts_.end(), [](uint32_t c) { return c > 0; });
}

GroupCount ArticleCounter::Group(const std::string& key) const {
  std::optional<uint32_t> id;
  if (group_by_ == GroupBy::kNone) {
    if (key.empty()) id = 0;
  } else {
    id = index_->GroupId(group_by_, key);
  }
  if (id && *id < counts_.size() && counts_[*id] > 0) {
    GroupName name;
    if (group_by_ != GroupBy::kNone) name = std::move(index_->GroupNames(group_by_, {*id})[0]);
    return ToGroup(*id, std::move(name));
  }
  GroupCount empty;
  empty.key = key;
  return empty;
}

}  // namespace newsdesk::query
