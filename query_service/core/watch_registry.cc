#include "query_service/core/watch_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/field_error.h"
#include "common/status/status_macros.h"

namespace newsdesk::query {

Watch::Watch(WatchRegistry* registry, std::shared_ptr<State> state, int64_t replay_from,
             int64_t replay_through)
    : registry_(registry),
      state_(std::move(state)),
      replay_next_(replay_from),
      replay_through_(replay_through),
      last_delivered_(replay_from - 1) {}

Watch::~Watch() { registry_->Remove(state_.get()); }

absl::StatusOr<std::optional<SearchMatch>> Watch::Next(absl::Duration timeout) {
  // Replay from the index until the live part begins.
  while (replayed_.empty() && replay_next_ <= replay_through_) {
    {
      absl::MutexLock lock(&state_->mu);
      if (state_->closed) return absl::UnavailableError("the query service is shutting down");
    }
    const int batch = static_cast<int>(std::min<int64_t>(
        registry_->options_.replay_batch, replay_through_ - replay_next_ + 1));
    ASSIGN_OR_RETURN(std::vector<std::shared_ptr<const Article>> articles,
                     registry_->index_->ArticlesAfter(replay_next_ - 1, batch));
    if (articles.empty()) break;  // cannot happen: the index only grows
    std::shared_ptr<const ResolvedFilter> filter;
    {
      absl::MutexLock lock(&state_->mu);
      filter = state_->filter;
    }
    for (std::shared_ptr<const Article>& article : articles) {
      replay_next_ = article->log_sequence + 1;
      MatchExplanation explanation;
      if (ExplainMatch(*filter, *article, *registry_->taxonomy_, &explanation)) {
        replayed_.push_back(MakeMatch(std::move(article), 0, std::move(explanation)));
      }
    }
  }
  std::optional<SearchMatch> match;
  if (!replayed_.empty()) {
    match = std::move(replayed_.front());
    replayed_.pop_front();
  } else {
    State& s = *state_;
    absl::MutexLock lock(&s.mu);
    auto ready = [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
      return !s.queue.empty() || s.overflowed || s.closed;
    };
    s.mu.AwaitWithTimeout(absl::Condition(&ready), timeout);
    if (s.closed) return absl::UnavailableError("the query service is shutting down");
    if (s.overflowed) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "this watcher read too slowly and more than ", registry_->options_.queue_capacity,
          " matching articles waited for it; resume with start_after_log_position=",
          last_delivered_));
    }
    if (s.queue.empty()) return std::nullopt;
    match = std::move(s.queue.front());
    s.queue.pop_front();
  }
  last_delivered_ = match->article->log_sequence;
  return match;
}

WatchRegistry::WatchRegistry(WatchRegistryOptions options, const ArticleIndex* index,
                             const Taxonomy* taxonomy, EntityResolver resolve_entity)
    : options_(options),
      index_(index),
      taxonomy_(taxonomy),
      resolve_entity_(std::move(resolve_entity)) {}

absl::StatusOr<std::unique_ptr<Watch>> WatchRegistry::Start(ResolvedFilter filter,
                                                            int64_t start_after) {
  if (start_after < 0) {
    return InvalidFieldError("start_after_log_position",
                             "start_after_log_position must not be negative");
  }
  const bool after_links = !filter.query.story_ids.empty();
  auto state = std::make_shared<Watch::State>(std::move(filter), after_links);
  absl::MutexLock lock(&mu_);
  if (closed_) return absl::UnavailableError("the query service is shutting down");
  if (static_cast<int>(watches_.size()) >= options_.max_watchers) {
    return absl::ResourceExhaustedError(
        absl::StrCat("this replica already serves ", options_.max_watchers,
                     " watchers; retry later or on another replica"));
  }
  // Articles up to the index head now (its linked head for a watch of
  // stories) are replayed (when asked for); those after it come through
  // Publish, called once they are indexed (linked), which waits for this
  // lock.
  const int64_t head = after_links ? index_->linked_head() : index_->head();
  state->skip_through = std::max(head, start_after);
  watches_.push_back(state);
  const int64_t replay_from = start_after > 0 ? start_after + 1 : head + 1;
  return std::unique_ptr<Watch>(new Watch(this, std::move(state), replay_from, head));
}

void WatchRegistry::Publish(const std::shared_ptr<const Article>& article, bool linked) {
  absl::MutexLock lock(&mu_);
  int64_t& last_published = last_published_[linked ? 1 : 0];
  if (article->log_sequence <= last_published) return;
  last_published = article->log_sequence;
  for (const std::shared_ptr<Watch::State>& state : watches_) {
    if (state->after_links != linked) continue;
    if (article->log_sequence <= state->skip_through) continue;
    std::shared_ptr<const ResolvedFilter> filter;
    {
      absl::MutexLock watch_lock(&state->mu);
      if (state->overflowed || state->closed) continue;
      filter = state->filter;
    }
    if (filter->HasUnresolved()) {
      // The article may name what the watch asked for for the first time.
      auto resolved = std::make_shared<ResolvedFilter>(*filter);
      if (resolved->ResolveMissing(resolve_entity_)) {
        filter = std::move(resolved);
        absl::MutexLock watch_lock(&state->mu);
        state->filter = filter;
      }
    }
    MatchExplanation explanation;
    if (!ExplainMatch(*filter, *article, *taxonomy_, &explanation)) continue;
    SearchMatch match = MakeMatch(article, 0, std::move(explanation));
    absl::MutexLock watch_lock(&state->mu);
    if (static_cast<int>(state->queue.size()) >= options_.queue_capacity) {
      state->overflowed = true;
      state->queue.clear();
    } else {
      state->queue.push_back(std::move(match));
    }
  }
}

void WatchRegistry::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  for (const std::shared_ptr<Watch::State>& state : watches_) {
    absl::MutexLock watch_lock(&state->mu);
    state->closed = true;
  }
}

int WatchRegistry::active() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watches_.size());
}

void WatchRegistry::Remove(const Watch::State* state) {
  absl::MutexLock lock(&mu_);
  watches_.erase(std::remove_if(watches_.begin(), watches_.end(),
                                [state](const std::shared_ptr<Watch::State>& s) {
                                  return s.get() == state;
                                }),
                 watches_.end());
}

}  // namespace newsdesk::query
