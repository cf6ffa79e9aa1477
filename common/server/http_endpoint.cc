#include "common/server/http_endpoint.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace newsdesk {

bool IsLoopbackAddress(absl::string_view host_port) {
  return absl::StartsWith(host_port, "127.") || absl::StartsWith(host_port, "[::1]:") ||
         absl::StartsWith(host_port, "localhost:");
}

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(
    HttpEndpointOptions options, metrics::MetricsRegistry* metrics,
    std::shared_ptr<grpc::Channel> channel) {
  if (options.security != nullptr && options.security->authenticator() != nullptr &&
      !IsLoopbackAddress(options.listen_address)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--http_listen=", options.listen_address,
        ": with authentication on, the HTTP port (REST door, /metrics) must listen on "
        "loopback (127.0.0.1:PORT or [::1]:PORT) behind a TLS proxy: it cannot serve HTTPS "
        "(docs/DEPLOY.md, Security), and bearer tokens never travel in plaintext"));
  }
  std::unique_ptr<HttpEndpoint> endpoint(new HttpEndpoint());
  http::RestGatewayOptions gateway_options;
  gateway_options.services = options.rest_services;
  if (options.security != nullptr) {
    gateway_options.authenticator = options.security->authenticator();
  }
  endpoint->gateway_ =
      std::make_unique<http::RestGateway>(std::move(gateway_options), std::move(channel));
  const std::string index = absl::StrCat(
      "newsdesk: GET /metrics, POST /v1/{Service}/{Method} with a JSON body; services: ",
      absl::StrJoin(options.rest_services, ", "), "\n");

  http::RestGateway* gateway = endpoint->gateway_.get();
  std::vector<std::pair<std::string, http::HttpHandler>> handlers = {
      {"/metrics",
       [metrics](const http::HttpRequest&) {
         return http::HttpResponse{
             200, "text/plain; version=0.0.4; charset=utf-8", metrics->Render(), {}};
       }},
      {"/v1/",
       [gateway](const http::HttpRequest& request) { return gateway->Handle(request); }},
      {"/",
       [index](const http::HttpRequest& request) {
         return request.path == "/"
                    ? http::HttpResponse{200, "text/plain; charset=utf-8", index, {}}
                    : http::HttpResponse{
                          404, "text/plain; charset=utf-8", "no such path\n" + index, {}};
       }},
  };
  http::HttpServerOptions server_options;
  server_options.listen_address = options.listen_address;
  auto server = http::HttpServer::Start(std::move(server_options), std::move(handlers));
  if (!server.ok()) return server.status();
  endpoint->server_ = std::move(server).value();
  return endpoint;
}

}  // namespace newsdesk
