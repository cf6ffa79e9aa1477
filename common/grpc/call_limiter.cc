#include "common/grpc/call_limiter.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace newsdesk {

CallLimiter::CallLimiter(std::string what, int max_calls)
    : what_(std::move(what)), max_calls_(max_calls) {}

absl::StatusOr<CallLimiter::Permit> CallLimiter::Acquire() {
  const int running = in_flight_.fetch_add(1) + 1;
  if (max_calls_ > 0 && running > max_calls_) {
    in_flight_.fetch_sub(1);
    return absl::ResourceExhaustedError(absl::StrCat(
        "the server is at its limit of ", max_calls_, " ", what_, " at once; retry later"));
  }
  return Permit(this);
}

}  // namespace newsdesk
