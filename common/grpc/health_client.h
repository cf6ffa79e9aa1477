// A client of the standard grpc.health.v1.Health/Check call, for tools and
// tests that wait for a service to become SERVING. The request and response
// are encoded by hand: the health proto is not among the installed headers.
#ifndef COMMON_GRPC_HEALTH_CLIENT_H_
#define COMMON_GRPC_HEALTH_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace newsdesk {

// The grpc.health.v1 service name both services report SERVING for as soon
// as they answer calls (liveness), while "" turns SERVING only once a
// service is ready to answer queries (readiness).
inline constexpr char kLivenessService[] = "liveness";

// True when `service` ("" for the whole server) reports SERVING, false for
// any other serving status; the call's error when the call fails.
absl::StatusOr<bool> CheckServing(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& service, absl::Duration timeout);

// Polls CheckServing until SERVING or `timeout`; DEADLINE_EXCEEDED then.
absl::Status WaitUntilServing(const std::shared_ptr<grpc::Channel>& channel,
                              absl::Duration timeout);

}  // namespace newsdesk

#endif  // COMMON_GRPC_HEALTH_CLIENT_H_
