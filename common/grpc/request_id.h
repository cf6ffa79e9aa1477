// The request id of the call the current thread is handling, for log lines.
// The RPC interceptor (common/metrics/rpc_interceptor.h) sets it on the
// thread that runs a synchronous handler, before the handler runs, and
// clears it when the call's status is sent. Empty outside a call.
//
// A service's main starts glog with InitLoggingWithRequestIds, and then
// every line logged while a call is handled carries the call's id, whichever
// library writes it:
//   I20261130 08:29:02.123456 4711 query_engine.cc:88] request_id=3f2a... unknown topic
#ifndef COMMON_GRPC_REQUEST_ID_H_
#define COMMON_GRPC_REQUEST_ID_H_

#include <string>

namespace newsdesk {

// A new random request id: 16 lower-case hex digits.
std::string NewRequestId();

void SetCurrentRequestId(std::string id);
const std::string& CurrentRequestId();

// google::InitGoogleLogging with glog's usual line prefix (severity, date,
// time, thread, file:line) followed by "request_id=<id>" when the logging
// thread is handling a call. Call once, first thing in main.
void InitLoggingWithRequestIds(const char* argv0);

}  // namespace newsdesk

#endif  // COMMON_GRPC_REQUEST_ID_H_
