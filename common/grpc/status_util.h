// The one mapping between absl::Status (used by every core library) and
// grpc::Status (used by the adapters). gRPC 1.51 has no built-in conversion.
#ifndef COMMON_GRPC_STATUS_UTIL_H_
#define COMMON_GRPC_STATUS_UTIL_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace newsdesk {

// Converts a core status to the status sent to a caller. The code maps one to
// one; the message is passed through. Core libraries write messages for
// callers and keep paths and internals out of them (storage errors are
// logged in full and returned as a generic UNAVAILABLE, RESOURCE_EXHAUSTED
// or DATA_LOSS); INTERNAL and UNKNOWN messages are replaced by a generic one
// naming the call's request id (CurrentRequestId()), so nothing internal
// leaks and the log line can be found.
//
// Errors also carry a google.rpc.Status (in the standard
// `grpc-status-details-bin` trailer) with details a caller can act on:
//  - INVALID_ARGUMENT: a google.rpc.BadRequest with one field violation; its
//    `field` is the request field when the core named it
//    (common/status/field_error.h), and its description is the message;
//  - UNAVAILABLE and RESOURCE_EXHAUSTED: a google.rpc.RetryInfo advising a
//    retry after kRetryDelay (callers should back off exponentially from it).
grpc::Status ToGrpcStatus(const absl::Status& status);

// The retry delay advised with UNAVAILABLE and RESOURCE_EXHAUSTED.
inline constexpr int kRetryDelayMillis = 1000;

// ToGrpcStatus for the failure of a call to `rpc`, logged at VLOG(1) with the
// call's request id.
grpc::Status FailedCall(absl::string_view rpc, const absl::Status& status);

// Converts a status received from a gRPC peer to a core status.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The HTTP status the REST door answers for a gRPC code (the mapping of
// google.rpc.Code): INVALID_ARGUMENT 400, NOT_FOUND 404, UNAVAILABLE 503, ...
int HttpStatusFromGrpcCode(grpc::StatusCode code);

// The canonical name of a gRPC code: "INVALID_ARGUMENT".
const char* GrpcCodeName(grpc::StatusCode code);

}  // namespace newsdesk

#endif  // COMMON_GRPC_STATUS_UTIL_H_
