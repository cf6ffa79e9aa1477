// The call and connection limit flags both services share, each with its
// environment variable:
//   --max_concurrent_calls          [NEWSDESK_MAX_CONCURRENT_CALLS]
//   --max_receive_message_bytes     [NEWSDESK_MAX_RECEIVE_MESSAGE_BYTES]
//   --grpc_memory_quota_mb          [NEWSDESK_GRPC_MEMORY_QUOTA_MB]
//   --max_connection_age_seconds    [NEWSDESK_MAX_CONNECTION_AGE_SECONDS]
// Link this library only into a service's main.
#ifndef COMMON_SERVER_LIMIT_FLAGS_H_
#define COMMON_SERVER_LIMIT_FLAGS_H_

#include "common/grpc/server_limits.h"

namespace newsdesk {

// The limits the flags (and environment) give; the others keep their
// defaults.
ServerLimits ServerLimitsFromFlags();

}  // namespace newsdesk

#endif  // COMMON_SERVER_LIMIT_FLAGS_H_
