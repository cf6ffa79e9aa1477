// Follows the article log on a thread of its own: appends each batch to the
// local replica, then applies it to the index, and reconnects with backoff
// when the stream breaks. Reports once when it has caught up with the head
// of the log after starting, which is when the service becomes SERVING.
//
// The two ends are pipelined: while one thread appends and applies a batch,
// the stream thread receives and decodes the next ones (up to
// `pipeline_batches` ahead). Batches are applied in the order received, one
// at a time; when applying one fails, those queued after it are dropped and
// the stream ends, and the next stream starts after the last entry the index
// applied, so each entry is still applied exactly once.
//
// A log that ends before the last entry this replica holds (the ingest store
// was restored from an older backup, or replaced) has diverged from the
// replica: the follower says so in the log, calls `on_diverged` and stops
// following. The replica must then be rebuilt (docs/DEPLOY.md).
#ifndef QUERY_SERVICE_FOLLOWER_LOG_FOLLOWER_H_
#define QUERY_SERVICE_FOLLOWER_LOG_FOLLOWER_H_

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "query_service/follower/article_log_client.h"
#include "query_service/index/article_index.h"
#include "query_service/replica/replica_store.h"

namespace newsdesk::query {

struct LogFollowerOptions {
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // Stop when the log reports a head before this replica's (see above).
  // Off for a JetStream log, whose head comes from any one NATS server and
  // may lag during a partition; its client checks the stream at each start.
  bool stop_when_log_is_behind = true;
  // Batches received and decoded ahead of the one being applied.
  int pipeline_batches = 2;
};

class LogFollower {
 public:
  // None of the pointers is owned; all must outlive the follower.
  // `on_caught_up` runs once, on the thread that applies entries.
  // `on_applied`, when set, runs on that thread for each article after the
  // index has applied it, once, in log order (standing queries); it must not
  // block. `on_diverged` (optional) runs once, on the follower thread, when
  // the log is found to end before this replica (stop_when_log_is_behind).
  LogFollower(LogFollowerOptions options, ArticleLogClient* client, ReplicaStore* replica,
              ArticleIndex* index, std::function<void()> on_caught_up,
              std::function<void(const std::shared_ptr<const Article>&)> on_applied = nullptr,
              std::function<void()> on_diverged = nullptr);
  ~LogFollower();

  void Start();
  // Stops following and joins the thread.
  void Stop();

  bool caught_up() const;
  // True once the log was found behind this replica; following has stopped.
  bool diverged() const;

  // The head sequence of the article log as last reported by the ingest
  // service, or as noted (0 before either); minus index->head() it is how
  // far this service lags behind ingest.
  int64_t log_head() const;
  // Raises log_head() to `sequence`, a position the log is known to hold:
  // the local replica's last entry while it loads, before the log has told.
  void NoteLogHead(int64_t sequence);

 private:
  void Run();
  // One stream of the log, from `start`: received on this thread, applied
  // on another; returns why it ended.
  absl::Status FollowFrom(int64_t start);
  absl::Status Apply(std::vector<LogEntry> entries, int64_t head_sequence);

  const LogFollowerOptions options_;
  ArticleLogClient* const client_;
  ReplicaStore* const replica_;
  ArticleIndex* const index_;
  std::function<void()> on_caught_up_;
  std::function<void(const std::shared_ptr<const Article>&)> on_applied_;
  std::function<void()> on_diverged_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool caught_up_ ABSL_GUARDED_BY(mu_) = false;
  bool diverged_ ABSL_GUARDED_BY(mu_) = false;
  int64_t log_head_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_FOLLOWER_LOG_FOLLOWER_H_
