#include "query_service/core/article_counter.h"

#include <algorithm>

#include <optional>

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
      last_bucket_ = absl::ToUnixNanos(BucketStart(absl::FromUnixNanos(doc.time_ns), interval_));
      has_last_ = true;
    }
    bucket = last_bucket_;
  }
  auto count = [this, &bucket](uint32_t id) {
    if (id >= counts_.size()) {
      counts_.resize(id + 1, 0);
      if (interval_ != Interval::kNone) buckets_.resize(id + 1);
    }
    ++counts_[id];
    if (bucket) ++buckets_[id][*bucket];
  };
  switch (group_by_) {
    case GroupBy::kNone:
      count(0);
      break;
    case GroupBy::kTopic:
      for (const uint32_t id : doc.topics) count(id);
      break;
    case GroupBy::kEntity:
      for (const uint32_t id : doc.entities) count(id);
      break;
    case GroupBy::kSource:
      if (doc.source) count(*doc.source);
      break;
    case GroupBy::kStory:
      if (doc.story) count(*doc.story);
      break;
  }
}

GroupCount ArticleCounter::ToGroup(uint32_t id, GroupName name) const {
  GroupCount group;
  group.key = std::move(name.key);
  group.label = std::move(name.label);
  group.article_count = counts_[id];
  if (interval_ != Interval::kNone) group.buckets = buckets_[id];
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
