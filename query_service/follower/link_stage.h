// The index's link stage on a thread of its own: runs
// ArticleIndex::LinkPending as link events arrive, so near-copy detection
// and story grouping (and their reads of earlier articles) run beside
// indexing instead of inside it. A failure (a read of an earlier article)
// is logged and retried, the failed event first and whole, with backoff;
// nothing is skipped, so links stay in log order and none is applied twice.
#ifndef QUERY_SERVICE_FOLLOWER_LINK_STAGE_H_
#define QUERY_SERVICE_FOLLOWER_LINK_STAGE_H_

#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {

struct LinkStageOptions {
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Link events run between checks for Stop and WhenLinked.
  int events_per_pass = 256;
  // Added to the nice value of the stage's thread (Linux; 0 leaves it, at
  // most 19): linking yields the CPU to indexing and to the queries, as
  // RocksDB lowers its compaction threads, so a busy machine keeps articles
  // queryable at once and lets the links lag (newsdesk_query_link_lag).
  int nice_increment = 10;
};

class LinkStage {
 public:
  // `index` is not owned and must outlive the stage; it should defer its
  // links (LinkOptions::deferred). `on_linked`, when set, runs on the
  // stage's thread with each article once linked, in log order (standing
  // queries); it must not block.
  LinkStage(LinkStageOptions options, ArticleIndex* index,
            ArticleIndex::LinkedCallback on_linked = nullptr);
  ~LinkStage();

  void Start();
  // Stops linking and joins the thread; pending events stay pending.
  void Stop();

  // Runs `fn` once, on the stage's thread (or now, on the caller's, when
  // already so), when the index has linked the log up to `sequence`.
  void WhenLinked(int64_t sequence, std::function<void()> fn);

  // False while a failed link event is being retried.
  bool healthy() const;
  // Failed runs of the link stage since the start.
  int64_t failures() const;

 private:
  void Run();
  // Lowers the calling thread's priority by options_.nice_increment.
  void LowerPriority() const;
  // Runs the callbacks of WhenLinked whose sequence is linked.
  void RunReached();

  const LinkStageOptions options_;
  ArticleIndex* const index_;
  const ArticleIndex::LinkedCallback on_linked_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;
  int64_t failures_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::pair<int64_t, std::function<void()>>> waiting_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_FOLLOWER_LINK_STAGE_H_
