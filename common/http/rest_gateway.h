// The REST/JSON door: every RPC of the services a server exposes (except
// ones streaming both ways), reachable as HTTP POST with the proto JSON
// mapping.
//
//   POST /v1/{Service}/{Method}   body: the request message as JSON
//        e.g. POST /v1/QueryService/FindArticlesByEntity {"entity":"Zelenskiy"}
//   client-streaming methods (BatchIngestArticles) take a JSON array of
//   request messages.
//   server-streaming methods (WatchArticles) answer 200 with newline-delimited
//   JSON (application/x-ndjson), one line per message as it arrives:
//   {"result": {...}}, and, when the call ends with an error, a last line
//   {"error": {"code": 8, "status": "RESOURCE_EXHAUSTED", "message": ...}}.
//   While no message comes, an empty line goes out every `stream_heartbeat`
//   so that a client that has gone is noticed; readers skip empty lines.
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

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>

#include <memory>
#include <string>
#include <optional>
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
  // Deadline of each call; streamed answers have none and run until the
  // service ends them or the client goes.
  absl::Duration deadline = absl::Seconds(30);
  // Streamed answers at once; each holds an HTTP worker thread, so keep it
  // below the HTTP server's threads. Beyond it a call gets 429
  // RESOURCE_EXHAUSTED (gRPC callers have their own, larger limit).
  int max_streams = 2;
  // The interval of the empty lines of an idle stream.
  absl::Duration stream_heartbeat = absl::Seconds(15);
  // Checks each call's `Authorization: Bearer <token>` header, or the
  // client certificate of a mutual-TLS connection, against the role table
  // before it is forwarded (401 or 403 with the google.rpc.Status JSON);
  // null: no authentication (dev mode). Must outlive the gateway.
  const auth::Authenticator* authenticator = nullptr;
};

class RestGateway {
 public:
  // `channel` reaches the gRPC server (its in-process channel).
  RestGateway(RestGatewayOptions options, std::shared_ptr<grpc::Channel> channel);

  // Handles a request under /v1/. Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const;

  // Whether the caller of `request` may call `method` (a gRPC path, or
  // another name in the role table such as "/metrics"): nullopt when it may
  // (or without an authenticator), else the 401 or 403 answer.
  std::optional<HttpResponse> CheckCaller(absl::string_view method,
                                          const HttpRequest& request) const;

 private:
  // The streamed answer of a server-streaming call.
  HttpResponse Stream(const std::string& rpc, grpc::ByteBuffer request,
                      const google::protobuf::Message* response_prototype,
                      const std::string& request_id) const;

  RestGatewayOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<std::atomic<int>> streams_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace newsdesk::http

#endif  // COMMON_HTTP_REST_GATEWAY_H_
