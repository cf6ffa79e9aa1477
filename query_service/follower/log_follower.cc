#include "query_service/follower/log_follower.h"

#include <algorithm>
#include <deque>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"

namespace newsdesk::query {

LogFollower::LogFollower(LogFollowerOptions options, ArticleLogClient* client,
                         ReplicaStore* replica, ArticleIndex* index,
                         std::function<void()> on_caught_up,
                         std::function<void(const std::shared_ptr<const Article>&)> on_applied,
                         std::function<void()> on_diverged)
    : options_(options),
      client_(client),
      replica_(replica),
      index_(index),
      on_caught_up_(std::move(on_caught_up)),
      on_applied_(std::move(on_applied)),
      on_diverged_(std::move(on_diverged)) {}

LogFollower::~LogFollower() { Stop(); }

void LogFollower::Start() { thread_ = std::thread([this] { Run(); }); }

void LogFollower::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  client_->Cancel();
  if (thread_.joinable()) thread_.join();
}

bool LogFollower::caught_up() const {
  absl::MutexLock lock(&mu_);
  return caught_up_;
}

bool LogFollower::diverged() const {
  absl::MutexLock lock(&mu_);
  return diverged_;
}

int64_t LogFollower::log_head() const {
  absl::MutexLock lock(&mu_);
  return log_head_;
}

void LogFollower::NoteLogHead(int64_t sequence) {
  absl::MutexLock lock(&mu_);
  log_head_ = std::max(log_head_, sequence);
}

absl::Status LogFollower::Apply(std::vector<LogEntry> entries, int64_t head_sequence) {
  {
    absl::MutexLock lock(&mu_);
    log_head_ = std::max(log_head_, head_sequence);
    if (options_.stop_when_log_is_behind && head_sequence < index_->head()) {
      diverged_ = true;
      return absl::FailedPreconditionError(absl::StrCat(
          "the article log ends at sequence ", head_sequence, ", before this replica's ",
          index_->head()));
    }
  }
  RETURN_IF_ERROR(replica_->Append(entries));
  for (LogEntry& entry : entries) {
    std::shared_ptr<const Article> indexed;
    RETURN_IF_ERROR(index_->Apply(std::move(entry), on_applied_ ? &indexed : nullptr));
    // New articles also go to the watchers, once, as indexed.
    if (indexed != nullptr) on_applied_(indexed);
  }
  if (index_->head() >= head_sequence) {
    bool first = false;
    {
      absl::MutexLock lock(&mu_);
      first = !caught_up_;
      caught_up_ = true;
    }
    if (first) {
      LOG(INFO) << "caught up with the article log at sequence " << index_->head();
      if (on_caught_up_) on_caught_up_();
    }
  }
  return absl::OkStatus();
}

absl::Status LogFollower::FollowFrom(int64_t start) {
  struct Batch {
    std::vector<LogEntry> entries;
    int64_t head_sequence = 0;
  };
  struct Pipeline {
    absl::Mutex mu;
    std::deque<Batch> queue ABSL_GUARDED_BY(mu);
    bool received_all ABSL_GUARDED_BY(mu) = false;
    absl::Status failed ABSL_GUARDED_BY(mu);
  } pipe;
  const size_t ahead = static_cast<size_t>(std::max(1, options_.pipeline_batches));

  std::thread applier([this, &pipe] {
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&pipe.mu);
        auto ready = [&pipe]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pipe.mu) {
          return !pipe.queue.empty() || pipe.received_all;
        };
        pipe.mu.Await(absl::Condition(&ready));
        if (pipe.queue.empty()) return;
        batch = std::move(pipe.queue.front());
        pipe.queue.pop_front();
      }
      absl::Status status = Apply(std::move(batch.entries), batch.head_sequence);
      if (!status.ok()) {
        absl::MutexLock lock(&pipe.mu);
        pipe.failed = std::move(status);
        pipe.queue.clear();  // fetched again by the next stream
        return;
      }
    }
  });
  absl::Status status = client_->Follow(
      start, [&pipe, ahead](std::vector<LogEntry> entries, int64_t head_sequence) {
        absl::MutexLock lock(&pipe.mu);
        auto room = [&pipe, ahead]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pipe.mu) {
          return !pipe.failed.ok() || pipe.queue.size() < ahead;
        };
        pipe.mu.Await(absl::Condition(&room));
        if (!pipe.failed.ok()) return pipe.failed;
        pipe.queue.push_back(Batch{std::move(entries), head_sequence});
        return absl::OkStatus();
      });
  {
    absl::MutexLock lock(&pipe.mu);
    pipe.received_all = true;
  }
  applier.join();
  absl::MutexLock lock(&pipe.mu);
  return pipe.failed.ok() ? status : pipe.failed;
}

void LogFollower::Run() {
  absl::Duration backoff = options_.initial_backoff;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const int64_t start = index_->head() + 1;
    VLOG(1) << "following the article log from sequence " << start;
    const int64_t before = index_->head();
    absl::Status status = FollowFrom(start);
    if (index_->head() > before) backoff = options_.initial_backoff;
    if (diverged()) {
      LOG(ERROR) << status.message()
                 << ": the ingest store was restored from an older backup or replaced, so "
                    "this replica no longer matches it. Stopped following; rebuild this "
                    "replica: stop the query service, delete its data directory, start it "
                    "again (docs/DEPLOY.md)";
      if (on_diverged_) on_diverged_();
      return;
    }
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    LOG(WARNING) << "article log stream ended (" << status << "); retrying in " << backoff;
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace newsdesk::query
