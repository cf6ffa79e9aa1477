// The limits every newsdesk gRPC server applies to what callers can make it
// hold: message sizes, the memory gRPC may use for calls, keepalive rules,
// connection lifetimes, how many calls of one service run at once
// (common/grpc/call_limiter.h) and how many threads wait for calls. Both
// servers' Options embed one.
#ifndef COMMON_GRPC_SERVER_LIMITS_H_
#define COMMON_GRPC_SERVER_LIMITS_H_

#include <grpcpp/server_builder.h>

#include <cstdint>

#include "absl/time/time.h"

namespace newsdesk {

struct ServerLimits {
  // Calls of the service's main API running at once; more are refused with
  // RESOURCE_EXHAUSTED and retry advice. 0: no limit.
  int max_concurrent_calls = 256;
  // Largest request message, in bytes; a larger one is refused by gRPC with
  // RESOURCE_EXHAUSTED ("Received message larger than max").
  int max_receive_message_bytes = 4 << 20;
  // Memory gRPC may use for connections and calls (its resource quota);
  // beyond it new calls are refused. 0: gRPC's default (no quota).
  int64_t memory_quota_bytes = int64_t{1} << 30;
  // The server pings an idle connection this often and closes it when the
  // ping is not answered within keepalive_timeout: dead callers and log
  // subscribers are found.
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Clients may ping no more often than this; a client that does is sent
  // GOAWAY (too_many_pings).
  absl::Duration min_client_ping_interval = absl::Seconds(10);
  // A connection without calls for this long is closed. Zero: never.
  absl::Duration max_connection_idle = absl::ZeroDuration();
  // A connection is closed (gracefully: calls in flight get
  // max_connection_age_grace to finish) once this old, which spreads
  // clients over replicas behind a load balancer. Zero: never. Log
  // subscribers reconnect when cut.
  absl::Duration max_connection_age = absl::ZeroDuration();
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  // Threads gRPC keeps waiting for calls (its sync server's pollers): at
  // least min, and threads beyond max exit once their call is done. gRPC's
  // defaults (1 and 2) make a server under concurrent calls start and stop a
  // thread for most of them, about a fifth of a cheap call's CPU
  // (bench/http_bench.py). min is at least 1, max at least min.
  int min_polling_threads = 2;
  int max_polling_threads = 8;
};

// Applies every limit but max_concurrent_calls (which the services enforce
// with a CallLimiter) to `builder`.
void ApplyServerLimits(const ServerLimits& limits, grpc::ServerBuilder* builder);

}  // namespace newsdesk

#endif  // COMMON_GRPC_SERVER_LIMITS_H_
