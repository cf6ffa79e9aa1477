// A small embedded HTTP/1.1 server (civetweb) for what a service serves
// besides gRPC: Prometheus metrics and the REST/JSON door. Handlers are plain
// functions from HttpRequest to HttpResponse, registered by path prefix.
#ifndef COMMON_HTTP_HTTP_SERVER_H_
#define COMMON_HTTP_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

struct mg_context;
struct mg_connection;

namespace newsdesk::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query string
  std::string query;   // the query string, without '?'
  std::string body;
  // Request headers, names lower-cased.
  std::map<std::string, std::string> headers;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra response headers.
  std::map<std::string, std::string> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  // host:port to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:0";
  // Worker threads answering requests.
  int threads = 4;
  // Largest request body accepted, in bytes (413 beyond).
  size_t max_body_bytes = 4 << 20;
};

class HttpServer {
 public:
  // Starts listening. `handlers` maps a path prefix ("/metrics", "/v1/") to
  // its handler; the longest matching prefix wins, and a path no prefix
  // matches gets 404. Handlers run on the server's worker threads and must be
  // thread-safe.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      HttpServerOptions options,
      std::vector<std::pair<std::string, HttpHandler>> handlers);
  ~HttpServer();  // Stops: waits for requests in flight.

  int port() const { return port_; }

 private:
  HttpServer() = default;
  static int Dispatch(mg_connection* connection, void* self);
  HttpResponse Handle(const HttpRequest& request) const;

  HttpServerOptions options_;
  std::vector<std::pair<std::string, HttpHandler>> handlers_;
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace newsdesk::http

#endif  // COMMON_HTTP_HTTP_SERVER_H_
