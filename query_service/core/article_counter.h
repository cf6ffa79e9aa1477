// Counting articles by group (topic, entity, source) and by time bucket
// (day, week, month): the numbers behind ListTopics, CountArticles and search
// facets. Feed it the matching articles as the index visits them, then read
// the groups. Counts go into arrays indexed by the index's interned group
// ids; names are looked up once, for the groups read.
#ifndef QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_
#define QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

enum class Interval { kNone, kDay, kWeek, kMonth };

// The start of the UTC bucket holding `t`: midnight of its day, of the Monday
// of its ISO week, or of the first of its month. `t` itself for kNone.
absl::Time BucketStart(absl::Time t, Interval interval);
// BucketStart of a time in Unix nanoseconds, in integer arithmetic (no
// civil-time conversion): what counting calls for every article.
int64_t BucketStartNs(int64_t time_ns, Interval interval);
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
  // `index` names the groups of the articles added; not owned, must outlive
  // the counter.
  ArticleCounter(GroupBy group_by, Interval interval, const ArticleIndex* index);

  // Counts `doc` once in each of its groups: for topics, each topic it has
  // and every topic above them; articles with no group count nowhere (except
  // when ungrouped). Articles with an unknown publication time count in no
  // bucket.
  void Add(const MatchedDoc& doc);

  // Adds the counts the index kept for a query (ArticleIndex::
  // KeptGroupCounts, grouped as this counter is) instead of its matches one
  // by one. Not for a counter with an interval.
  void AddKept(const ArticleIndex::KeptCounts& kept);

  // Adds the matches the index kept per day for a query (ArticleIndex::
  // KeptDayCounts) instead of its matches one by one, each day in its
  // bucket. Only for an ungrouped counter.
  void AddKeptDays(const ArticleIndex::KeptDays& kept);

  // Number of articles added.
  int64_t articles() const { return articles_; }

  // The `max_groups` largest groups (all when 0), largest first, then by
  // key. Only the groups returned are named and copied.
  std::vector<GroupCount> Groups(size_t max_groups = 0) const;

  // Number of groups with at least one article.
  int64_t group_count() const;

  // The group with this key; an empty group (count 0) when none.
  GroupCount Group(const std::string& key) const;

 private:
  // The group of interned id `id` as counted.
  GroupCount ToGroup(uint32_t id, GroupName name) const;

  const GroupBy group_by_;
  const Interval interval_;
  const ArticleIndex* const index_;
  int64_t articles_ = 0;
  std::vector<uint32_t> counts_;  // by interned id (dense, cache-sized)
  // By interned id: bucket start (Unix ns) -> articles.
  std::vector<absl::flat_hash_map<int64_t, int64_t>> buckets_;
  // Bucket of the last time seen: articles come in bursts of one day.
  int64_t last_time_ns_ = 0;
  int64_t last_bucket_ = 0;
  bool has_last_ = false;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_ARTICLE_COUNTER_H_
