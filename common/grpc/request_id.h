// The request id of the call the current thread is handling, for log lines.
// The RPC interceptor (common/metrics/rpc_interceptor.h) sets it on the
// thread that runs a synchronous handler, before the handler runs; handlers
// and FailedCall read it. Empty outside a call.
#ifndef COMMON_GRPC_REQUEST_ID_H_
#define COMMON_GRPC_REQUEST_ID_H_

#include <string>

namespace newsdesk {

void SetCurrentRequestId(std::string id);
const std::string& CurrentRequestId();

}  // namespace newsdesk

#endif  // COMMON_GRPC_REQUEST_ID_H_
