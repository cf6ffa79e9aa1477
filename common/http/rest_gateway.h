// The REST/JSON door: every unary and client-streaming RPC of the services a
// server exposes, reachable as HTTP POST with the proto JSON mapping.
//
//   POST /v1/{Service}/{Method}   body: the request message as JSON
//        e.g. POST /v1/QueryService/FindArticlesByEntity {"entity":"Zelenskiy"}
//   client-streaming methods (BatchIngestArticles) take a JSON array of
//   request messages.
//
// The gateway finds the method in the generated descriptor pool and calls it
// over the server's in-process channel, so an RPC added to a service is
// reachable without any change here, and REST calls pass the same
// interceptors (metrics, request ids) as gRPC calls. Answers: 200 with the
// response message as JSON (proto field names in lowerCamelCase, as the
// proto JSON mapping writes them), or the gRPC status mapped to an HTTP status
// with a body {"code": 3, "status": "INVALID_ARGUMENT", "message": "..."}.
// An X-Request-Id header is passed on as x-request-id metadata, and the id of
// the call is returned in the X-Request-Id response header.
#ifndef COMMON_HTTP_REST_GATEWAY_H_
#define COMMON_HTTP_REST_GATEWAY_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/http/http_server.h"

namespace newsdesk::http {

struct RestGatewayOptions {
  // The protobuf package of the services ("newsdesk.v1").
  std::string package = "newsdesk.v1";
  // Short names of the services reachable ("QueryService"); others get 404.
  std::vector<std::string> services;
  // Deadline of each call.
  absl::Duration deadline = absl::Seconds(30);
  // Checks each call's `Authorization: Bearer <token>` header against the
  // role table before it is forwarded (401 or 403 with the google.rpc.Status
  // JSON); null: no authentication (dev mode). Must outlive the gateway.
  const auth::Authenticator* authenticator = nullptr;
};

class RestGateway {
 public:
  // `channel` reaches the gRPC server (its in-process channel).
  RestGateway(RestGatewayOptions options, std::shared_ptr<grpc::Channel> channel);

  // Handles a request under /v1/. Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  RestGatewayOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace newsdesk::http

#endif  // COMMON_HTTP_REST_GATEWAY_H_
