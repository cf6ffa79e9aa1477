#include "common/server/limit_flags.h"

#include <cstdint>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/server/server_util.h"

ABSL_FLAG(int, max_concurrent_calls, newsdesk::EnvOr("NEWSDESK_MAX_CONCURRENT_CALLS", 256),
          "calls of the service running at once; more are refused with RESOURCE_EXHAUSTED "
          "and retry advice; 0: no limit [env NEWSDESK_MAX_CONCURRENT_CALLS]");
ABSL_FLAG(int, max_receive_message_bytes,
          newsdesk::EnvOr("NEWSDESK_MAX_RECEIVE_MESSAGE_BYTES", 4 << 20),
          "largest request message accepted, in bytes [env NEWSDESK_MAX_RECEIVE_MESSAGE_BYTES]");
ABSL_FLAG(int, grpc_memory_quota_mb, newsdesk::EnvOr("NEWSDESK_GRPC_MEMORY_QUOTA_MB", 1024),
          "memory gRPC may use for connections and calls, in MiB; 0: no quota "
          "[env NEWSDESK_GRPC_MEMORY_QUOTA_MB]");
ABSL_FLAG(int, max_connection_age_seconds,
          newsdesk::EnvOr("NEWSDESK_MAX_CONNECTION_AGE_SECONDS", 0),
          "close connections this old (gracefully), to spread clients over replicas; "
          "0: never [env NEWSDESK_MAX_CONNECTION_AGE_SECONDS]");
ABSL_FLAG(int, min_polling_threads, newsdesk::EnvOr("NEWSDESK_MIN_POLLING_THREADS", 2),
          "threads kept waiting for calls [env NEWSDESK_MIN_POLLING_THREADS]");
ABSL_FLAG(int, max_polling_threads, newsdesk::EnvOr("NEWSDESK_MAX_POLLING_THREADS", 8),
          "threads waiting for calls beyond which a thread exits when its call is done "
          "[env NEWSDESK_MAX_POLLING_THREADS]");

namespace newsdesk {

ServerLimits ServerLimitsFromFlags() {
  ServerLimits limits;
  limits.max_concurrent_calls = absl::GetFlag(FLAGS_max_concurrent_calls);
  limits.max_receive_message_bytes = absl::GetFlag(FLAGS_max_receive_message_bytes);
  limits.memory_quota_bytes = int64_t{absl::GetFlag(FLAGS_grpc_memory_quota_mb)} << 20;
  limits.max_connection_age = absl::Seconds(absl::GetFlag(FLAGS_max_connection_age_seconds));
  limits.min_polling_threads = absl::GetFlag(FLAGS_min_polling_threads);
  limits.max_polling_threads = absl::GetFlag(FLAGS_max_polling_threads);
  return limits;
}

}  // namespace newsdesk
