// Refuses calls beyond a limit on how many run at once, so overload is
// answered at once with RESOURCE_EXHAUSTED (which ToGrpcStatus sends with a
// google.rpc.RetryInfo) instead of queueing without bound. A handler takes
// a Permit for the length of the call:
//
//   absl::StatusOr<CallLimiter::Permit> permit = limiter_->Acquire();
//   if (!permit.ok()) return FailedCall("GetArticle", permit.status());
#ifndef COMMON_GRPC_CALL_LIMITER_H_
#define COMMON_GRPC_CALL_LIMITER_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"

namespace newsdesk {

class CallLimiter {
 public:
  // Up to `max_calls` at once (no limit when 0 or less); `what` names the
  // calls in the refusal: "ingest calls", "log subscribers".
  CallLimiter(std::string what, int max_calls);

  // Held for the length of a call; releases its place when destroyed.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : limiter_(other.limiter_) { other.limiter_ = nullptr; }
    Permit& operator=(Permit&& other) = delete;
    Permit(const Permit&) = delete;
    ~Permit() {
      if (limiter_ != nullptr) limiter_->in_flight_.fetch_sub(1);
    }

   private:
    friend class CallLimiter;
    explicit Permit(CallLimiter* limiter) : limiter_(limiter) {}
    CallLimiter* limiter_;
  };

  // A permit, or RESOURCE_EXHAUSTED when `max_calls` are running.
  absl::StatusOr<Permit> Acquire();

  int in_flight() const { return in_flight_.load(); }
  int max_calls() const { return max_calls_; }

 private:
  const std::string what_;
  const int max_calls_;
  std::atomic<int> in_flight_{0};
};

}  // namespace newsdesk

#endif  // COMMON_GRPC_CALL_LIMITER_H_
