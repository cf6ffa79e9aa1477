// The HTTP side of a service, on its own port next to gRPC:
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
  // The server's security: its authenticator checks REST calls. With
  // authentication on, the address must be a loopback one: the port is plain
  // HTTP (Debian's civetweb cannot serve HTTPS with OpenSSL 3: it looks up
  // SSL_get_peer_certificate, which OpenSSL 3 no longer exports, and crashes
  // on the first request), so remote callers reach it through a TLS proxy.
  // Null: no checks.
  const auth::ServerSecurity* security = nullptr;
};

// Whether `host_port` ("127.0.0.1:9451", "[::1]:0", "localhost:80") is on the
// loopback interface.
bool IsLoopbackAddress(absl::string_view host_port);

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
