#include "query_service/follower/link_stage.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "glog/logging.h"

namespace newsdesk::query {

LinkStage::LinkStage(LinkStageOptions options, ArticleIndex* index,
                     ArticleIndex::LinkedCallback on_linked)
    : options_(options), index_(index), on_linked_(std::move(on_linked)) {}

LinkStage::~LinkStage() { Stop(); }

void LinkStage::Start() { thread_ = std::thread([this] { Run(); }); }

void LinkStage::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool LinkStage::healthy() const {
  absl::MutexLock lock(&mu_);
  return healthy_;
}

int64_t LinkStage::failures() const {
  absl::MutexLock lock(&mu_);
  return failures_;
}

void LinkStage::WhenLinked(int64_t sequence, std::function<void()> fn) {
  if (index_->linked_head() >= sequence) {
    fn();
    return;
  }
  absl::MutexLock lock(&mu_);
  waiting_.emplace_back(sequence, std::move(fn));
}

void LinkStage::RunReached() {
  std::vector<std::function<void()>> reached;
  {
    absl::MutexLock lock(&mu_);
    if (waiting_.empty()) return;
    const int64_t linked = index_->linked_head();
    auto keep = std::partition(waiting_.begin(), waiting_.end(),
                               [linked](const auto& w) { return w.first > linked; });
    for (auto it = keep; it != waiting_.end(); ++it) reached.push_back(std::move(it->second));
    waiting_.erase(keep, waiting_.end());
  }
  for (auto& fn : reached) fn();
}

void LinkStage::LowerPriority() const {
  if (options_.nice_increment <= 0) return;
  // Linux keeps a nice value per thread: PRIO_PROCESS with a thread id sets
  // this thread's alone.
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, tid);
  if (errno != 0 || setpriority(PRIO_PROCESS, tid, std::min(19, nice + options_.nice_increment)) != 0) {
    PLOG(WARNING) << "the link stage keeps the priority of the process";
  }
}

void LinkStage::Run() {
  LowerPriority();
  absl::Duration backoff = options_.initial_backoff;
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    RunReached();
    if (!index_->WaitForLinkWork(absl::Now() + absl::Milliseconds(100))) continue;
    const absl::Status status = index_->LinkPending(on_linked_, options_.events_per_pass);
    absl::MutexLock lock(&mu_);
    if (status.ok()) {
      if (!healthy_) LOG(INFO) << "the link stage runs again at log sequence "
                               << index_->linked_head();
      healthy_ = true;
      backoff = options_.initial_backoff;
      continue;
    }
    ++failures_;
    LOG_IF(ERROR, healthy_) << "the link stage cannot link the article after log sequence "
                            << index_->linked_head() << ": " << status
                            << "; retrying (queries that read stories or near-copies "
                               "wait for it)";
    healthy_ = false;
    mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace newsdesk::query
