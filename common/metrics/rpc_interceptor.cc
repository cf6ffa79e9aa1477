#include "common/metrics/rpc_interceptor.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/grpc/request_id.h"
#include "common/grpc/status_util.h"
#include "glog/logging.h"

namespace newsdesk::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Latency buckets, in seconds: 100 µs to 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return *buckets;
}

// Request ids are passed through from callers: keep them printable and short.
bool UsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, RpcInterceptorFactory* factory)
      : method_(info->method() ? info->method() : "unknown"),
        factory_(factory),
        start_(absl::Now()) {}

  ~RpcInterceptor() override {
    const absl::Duration latency = absl::Now() - start_;
    factory_->Record(method_, code_, absl::ToDoubleSeconds(latency));
    if (factory_->access_log()) {
      // The line prefix carries the id (common/grpc/request_id.h); this may
      // run on a thread that has no call, or another one.
      std::string thread_id = CurrentRequestId();
      SetCurrentRequestId(request_id_);
      LOG(INFO) << method_ << " " << GrpcCodeName(code_) << " "
                << absl::FormatDuration(latency);
      SetCurrentRequestId(std::move(thread_id));
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find(kRequestIdKey);
      if (it != metadata->end()) {
        const absl::string_view id(it->second.data(), it->second.size());
        if (UsableRequestId(id)) request_id_ = std::string(id);
      }
      if (request_id_.empty()) request_id_ = NewRequestId();
      // Runs on the thread that then runs the (synchronous) handler, so
      // every line logged while handling the call carries the id.
      SetCurrentRequestId(request_id_);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (request_id_.empty()) request_id_ = NewRequestId();
      methods->GetSendInitialMetadata()->emplace(kRequestIdKey, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      undecodable_request_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      // A client stream's end also comes without a message, so only gRPC's
      // own bare INTERNAL is taken for a decoding failure: newsdesk's
      // INTERNAL answers always say something.
      if (undecodable_request_ && status.error_code() == grpc::StatusCode::INTERNAL &&
          status.error_message().empty()) {
        status = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request message of ", method_,
                         " cannot be decoded: a string field holds invalid UTF-8, or the "
                         "bytes are not a protobuf message of its type"));
        methods->ModifySendStatus(status);
      }
      code_ = status.error_code();
      SetCurrentRequestId("");  // the handler is done
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  RpcInterceptorFactory* const factory_;
  const absl::Time start_;
  std::string request_id_;
  // A request message was expected and none came: gRPC could not decode it
  // (or a client stream ended).
  bool undecodable_request_ = false;
  // A call that ends without sending a status was cancelled.
  grpc::StatusCode code_ = grpc::StatusCode::CANCELLED;
};

}  // namespace

RpcInterceptorFactory::RpcInterceptorFactory(RpcInterceptorOptions options,
                                             MetricsRegistry* metrics)
    : options_(options),
      requests_(&prometheus::BuildCounter()
                     .Name("newsdesk_rpc_requests_total")
                     .Help("RPCs handled, by service, method and status code.")
                     .Register(metrics->registry())),
      latency_(
          &prometheus::BuildHistogram()
               .Name("newsdesk_rpc_latency_seconds")
               .Help("Time from the start of an RPC to its end, by service and method.")
               .Register(metrics->registry())) {}

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, this);
}

void RpcInterceptorFactory::Record(const std::string& method, grpc::StatusCode code,
                                   double seconds) {
  // method is "/package.Service/Method".
  std::vector<std::string> parts = absl::StrSplit(method, '/');
  const std::string service = parts.size() == 3 ? parts[1] : "unknown";
  const std::string name = parts.size() == 3 ? parts[2] : method;
  requests_->Add({{"service", service}, {"method", name}, {"code", GrpcCodeName(code)}})
      .Increment();
  latency_->Add({{"service", service}, {"method", name}}, LatencyBuckets())
      .Observe(seconds);
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeRpcInterceptors(RpcInterceptorOptions options, MetricsRegistry* metrics) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      list;
  list.push_back(std::make_unique<RpcInterceptorFactory>(options, metrics));
  return list;
}

}  // namespace newsdesk::metrics
