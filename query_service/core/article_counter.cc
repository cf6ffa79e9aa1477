#include "query_service/core/article_counter.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"

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

ArticleCounter::ArticleCounter(GroupBy group_by, Interval interval, const Taxonomy* taxonomy)
    : group_by_(group_by), interval_(interval), taxonomy_(taxonomy) {}

void ArticleCounter::Count(const std::string& key, absl::string_view label,
                           const Article& article) {
  GroupCount& group = groups_[key];
  if (group.article_count == 0) {
    group.key = key;
    group.label = std::string(label);
  }
  ++group.article_count;
  if (interval_ != Interval::kNone && article.publish_time.known()) {
    ++group.buckets[absl::ToUnixNanos(BucketStart(article.publish_time.time, interval_))];
  }
}

void ArticleCounter::Add(const Article& article) {
  ++articles_;
  switch (group_by_) {
    case GroupBy::kNone:
      Count("", "", article);
      break;
    case GroupBy::kTopic: {
      absl::flat_hash_set<std::string> codes;
      for (const ArticleTopic& t : article.topics) {
        codes.insert(t.code);
        for (std::string& a : taxonomy_->Ancestors(t.code)) codes.insert(std::move(a));
      }
      for (const std::string& code : codes) {
        const Taxonomy::Topic* topic = taxonomy_->Find(code);
        Count(code, topic != nullptr ? topic->label : "", article);
      }
      break;
    }
    case GroupBy::kEntity:
      for (const ArticleEntity& e : article.entities) Count(e.id, e.display_name, article);
      break;
    case GroupBy::kSource:
      if (!article.source.empty()) {
        Count(absl::AsciiStrToLower(article.source), article.source, article);
      }
      break;
    case GroupBy::kStory:
      if (!article.story_id.empty()) Count(article.story_id, article.story_id, article);
      break;
  }
}

std::vector<GroupCount> ArticleCounter::Groups() const {
  std::vector<GroupCount> out;
  out.reserve(groups_.size());
  for (const auto& [key, group] : groups_) out.push_back(group);
  std::sort(out.begin(), out.end(), [](const GroupCount& a, const GroupCount& b) {
    if (a.article_count != b.article_count) return a.article_count > b.article_count;
    return a.key < b.key;
  });
  return out;
}

GroupCount ArticleCounter::Group(const std::string& key) const {
  auto it = groups_.find(key);
  if (it != groups_.end()) return it->second;
  GroupCount empty;
  empty.key = key;
  return empty;
}

}  // namespace newsdesk::query
