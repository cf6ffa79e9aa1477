#include "common/server/http_endpoint.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace newsdesk {

absl::StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(
    HttpEndpointOptions options, metrics::MetricsRegistry* metrics,
    std::shared_ptr<grpc::Channel> channel) {
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
       [metrics, gateway](const http::HttpRequest& request) {
         if (auto refused = gateway->CheckCaller("/metrics", request)) return *refused;
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
  if (options.security != nullptr && options.security->tls_identity().has_value()) {
    const auth::TlsIdentity& identity = *options.security->tls_identity();
    server_options.tls =
        http::HttpTlsOptions{identity.cert_chain, identity.private_key, identity.client_ca};
  }
  auto server = http::HttpServer::Start(std::move(server_options), std::move(handlers));
  if (!server.ok()) return server.status();
  endpoint->server_ = std::move(server).value();
  return endpoint;
}

}  // namespace newsdesk
