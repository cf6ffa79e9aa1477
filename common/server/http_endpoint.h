// The HTTP side of a service, on its own port next to gRPC (HTTPS when the
// service has TLS):
//   GET  /metrics                  Prometheus metrics (text format)
//   POST /v1/{Service}/{Method}    the REST/JSON door (common/http/rest_gateway.h)
// Owned by a service's Server, started after its gRPC server.
#ifndef COMMON_SERVER_HTTP_ENDPOINT_H_
#define COMMON_SERVER_HTTP_ENDPOINT_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/grpc_security.h"
#include "common/http/http_server.h"
#include "common/http/rest_gateway.h"
#include "common/metrics/metrics_registry.h"

namespace newsdesk {

struct HttpEndpointOptions {
  // host:port of the HTTP server; port 0 picks a free port. Empty: none.
  std::string listen_address;
  // Short names of the newsdesk.v1 services the REST door reaches.
  std::vector<std::string> rest_services;
  // The server's security. With TLS the port serves HTTPS only, with the
  // same certificate (and client CA: mutual TLS) as the gRPC port; its
  // authenticator checks REST calls and /metrics (role read). Null: plain
  // HTTP, no checks.
  const auth::ServerSecurity* security = nullptr;
};

class HttpEndpoint {
 public:
  // Serves `metrics` and the REST door over `channel` (the gRPC server's
  // in-process channel). Both must outlive the endpoint.
  static absl::StatusOr<std::unique_ptr<HttpEndpoint>> Start(
      HttpEndpointOptions options, metrics::MetricsRegistry* metrics,
      std::shared_ptr<grpc::Channel> channel);

  int port() const { return server_->port(); }

 private:
  HttpEndpoint() = default;

  std::unique_ptr<http::RestGateway> gateway_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace newsdesk

#endif  // COMMON_SERVER_HTTP_ENDPOINT_H_
