// Standing queries (WatchArticles). Each Watch holds a resolved filter and a
// bounded queue. The log follower publishes every article it has applied to
// the index; the registry tests it against each watch (ExplainMatch) and
// queues the matches. Articles are published twice: once indexed (for the
// watches whose filter reads no links: alerts do not wait for the link
// stage, and the article comes without its story_id and copy_of), and once
// linked by the index's link stage (for the watches of stories, which need
// the story_id; typically milliseconds later). Publishing never waits for a consumer: a watch whose
// queue is full is marked overflowed, its queue dropped, and its consumer
// is told with RESOURCE_EXHAUSTED and the last sequence it was given, from
// which it can resume. A watch that starts after a log position first
// replays the matching articles the index holds after it (read by the
// consumer's own thread), then continues with the queued live ones: log
// order, no gap, no duplicate. An entity reference that named nothing when
// the watch started (a name no article had used yet) is resolved again as
// articles arrive. Knows nothing of gRPC.
#ifndef QUERY_SERVICE_CORE_WATCH_REGISTRY_H_
#define QUERY_SERVICE_CORE_WATCH_REGISTRY_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/taxonomy/taxonomy.h"
#include "query_service/core/match_explainer.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

struct WatchRegistryOptions {
  // Most watches at once; more are refused with RESOURCE_EXHAUSTED.
  int max_watchers = 100;
  // Most matches queued for one watch before it is ended as too slow.
  int queue_capacity = 1000;
  // Articles read from the index at a time while replaying.
  int replay_batch = 256;
};

class WatchRegistry;

// One standing query. Used by one consumer thread; destroying it leaves the
// registry.
class Watch {
 public:
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // The next matching article, in log order, waiting up to `timeout`;
  // nullopt when none came in that time. RESOURCE_EXHAUSTED when the queue
  // overflowed (the message gives last_delivered()); UNAVAILABLE once the
  // registry is closed.
  absl::StatusOr<std::optional<SearchMatch>> Next(absl::Duration timeout);

  // The sequence of the last article Next returned (the start position
  // until then).
  int64_t last_delivered() const { return last_delivered_; }

 private:
  friend class WatchRegistry;
  struct State {
    State(ResolvedFilter f, bool links)
        : after_links(links), filter(std::make_shared<const ResolvedFilter>(std::move(f))) {}
    // A watch of stories: given articles once linked, not once indexed.
    const bool after_links;
    // Articles with sequence <= skip_through are replayed, not published.
    int64_t skip_through = 0;
    absl::Mutex mu;
    // Replaced (never changed) when a missing entity resolves.
    std::shared_ptr<const ResolvedFilter> filter ABSL_GUARDED_BY(mu);
    std::deque<SearchMatch> queue ABSL_GUARDED_BY(mu);
    bool overflowed ABSL_GUARDED_BY(mu) = false;
    bool closed ABSL_GUARDED_BY(mu) = false;
  };
  Watch(WatchRegistry* registry, std::shared_ptr<State> state, int64_t replay_from,
        int64_t replay_through);

  WatchRegistry* const registry_;
  const std::shared_ptr<State> state_;
  int64_t replay_next_;           // next sequence to replay
  const int64_t replay_through_;  // last sequence to replay
  std::deque<SearchMatch> replayed_;
  int64_t last_delivered_;
};

class WatchRegistry {
 public:
  // Resolves an entity reference to ids (QueryEngine::ResolveEntity).
  using EntityResolver = std::function<std::vector<std::string>(absl::string_view)>;

  // `index` and `taxonomy` are not owned and must outlive the registry,
  // which must outlive its watches.
  WatchRegistry(WatchRegistryOptions options, const ArticleIndex* index,
                const Taxonomy* taxonomy, EntityResolver resolve_entity);

  // A watch of `filter` that delivers the matching articles after
  // `start_after` (0: those applied from now on). INVALID_ARGUMENT for a
  // negative start_after; RESOURCE_EXHAUSTED at max_watchers; UNAVAILABLE
  // once closed.
  absl::StatusOr<std::unique_ptr<Watch>> Start(ResolvedFilter filter, int64_t start_after);

  // Offers an article to the watches it is for: just indexed (`linked`
  // false) to those whose filter reads no links, just linked to the watches
  // of stories. Each kind is called in log order (an article at or below
  // the last published of its kind is ignored). Never waits for a consumer.
  void Publish(const std::shared_ptr<const Article>& article, bool linked = false);

  // Ends every watch with UNAVAILABLE and refuses new ones.
  void Close();

  int active() const;

 private:
  friend class Watch;
  void Remove(const Watch::State* state);

  const WatchRegistryOptions options_;
  const ArticleIndex* const index_;
  const Taxonomy* const taxonomy_;
  const EntityResolver resolve_entity_;
  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<Watch::State>> watches_ ABSL_GUARDED_BY(mu_);
  // Of the articles published as indexed, and as linked.
  int64_t last_published_[2] ABSL_GUARDED_BY(mu_) = {0, 0};
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_CORE_WATCH_REGISTRY_H_
