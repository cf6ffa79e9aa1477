// One gRPC server interceptor for what every call needs besides its
// handler:
//  - metrics: newsdesk_rpc_requests_total{service,method,code} and
//    newsdesk_rpc_latency_seconds{service,method} (a histogram);
//  - request ids: the caller's `x-request-id` metadata, or a generated one,
//    is sent back in the response's initial metadata and written in every
//    log line about the call (CurrentRequestId(), common/grpc/request_id.h);
//  - logging: an access log line per call at INFO when enabled (off by
//    default); failed calls are logged at VLOG(1) by FailedCall;
//  - undecodable requests: gRPC answers a request message it cannot decode
//    (a proto3 string field holding invalid UTF-8, malformed protobuf bytes)
//    with INTERNAL and no message before any handler runs; the interceptor
//    turns that into INVALID_ARGUMENT saying so.
// Install it with ServerBuilder::experimental().SetInterceptorCreators().
#ifndef COMMON_METRICS_RPC_INTERCEPTOR_H_
#define COMMON_METRICS_RPC_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

#include "common/metrics/metrics_registry.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"

namespace newsdesk::metrics {

// The metadata key of request ids, in requests and responses.
inline constexpr char kRequestIdKey[] = "x-request-id";

struct RpcInterceptorOptions {
  // Writes one INFO line per call: method, code, latency, request id.
  bool access_log = false;
};

class RpcInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` must outlive the server.
  RpcInterceptorFactory(RpcInterceptorOptions options, MetricsRegistry* metrics);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // Records one finished call.
  void Record(const std::string& method, grpc::StatusCode code, double seconds);
  bool access_log() const { return options_.access_log; }

 private:
  RpcInterceptorOptions options_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
};

// The interceptor list for SetInterceptorCreators.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeRpcInterceptors(RpcInterceptorOptions options, MetricsRegistry* metrics);

}  // namespace newsdesk::metrics

#endif  // COMMON_METRICS_RPC_INTERCEPTOR_H_
