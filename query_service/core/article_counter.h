// Counting articles by group (topic, entity, source) and by time bucket
// (day, week, month): the numbers behind ListTopics, CountArticles and, later,
// search facets. Feed it the matching articles, then read the groups.
#ifndef QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_
#define QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"

namespace newsdesk::query {

enum class GroupBy { kNone, kTopic, kEntity, kSource, kStory };
enum class Interval { kNone, kDay, kWeek, kMonth };

// The start of the UTC bucket holding `t`: midnight of its day, of the Monday
// of its ISO week, or of the first of its month. `t` itself for kNone.
absl::Time BucketStart(absl::Time t, Interval interval);
// The start of the bucket after the one starting at `start`.
absl::Time NextBucket(absl::Time start, Interval interval);

// Articles of one group.
struct GroupCount {
  std::string key;    // topic code, entity id, lower-case source, story id; "" when ungrouped
  std::string label;  // topic label, entity display name, source as written, story id
  int64_t article_count = 0;
  // Bucket start (Unix nanoseconds) -> articles; only when an interval is set.
  std::map<int64_t, int64_t> buckets;
};

class ArticleCounter {
 public:
  // `taxonomy` gives topic ancestors and labels; not owned.
  ArticleCounter(GroupBy group_by, Interval interval, const Taxonomy* taxonomy);

  // Counts `article` once in each of its groups: for topics, each topic it
  // has and every topic above them; articles with no group count nowhere
  // (except when ungrouped). Articles with an unknown publication time count
  // in no bucket.
  void Add(const Article& article);

  // Number of articles added.
  int64_t articles() const { return articles_; }

  // Every group with at least one article, largest first, then by key.
  std::vector<GroupCount> Groups() const;

  // The group with this key; an empty group (count 0) when none.
  GroupCount Group(const std::string& key) const;

 private:
  void Count(const std::string& key, absl::string_view label, const Article& article);

  const GroupBy group_by_;
  const Interval interval_;
  const Taxonomy* const taxonomy_;
  int64_t articles_ = 0;
  absl::flat_hash_map<std::string, GroupCount> groups_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_
