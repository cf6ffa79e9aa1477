// A small embedded HTTP/1.1 server (cpp-httplib) for what a service serves
// besides gRPC: Prometheus metrics and the REST/JSON door, over HTTPS (and
// mutual TLS) when given a certificate. Handlers are plain functions from
// HttpRequest to HttpResponse, registered by path prefix.
#ifndef COMMON_HTTP_HTTP_SERVER_H_
#define COMMON_HTTP_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace newsdesk::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query string
  std::string query;   // the query string, without '?'
  std::string body;
  // Request headers, names lower-cased.
  std::map<std::string, std::string> headers;
  // With mutual TLS: the verified client certificate's common name and its
  // DNS, URI and e-mail subject alternative names. Empty otherwise.
  std::vector<std::string> certificate_names;
};

// Writes one part of a streamed body; false once the client has gone.
using BodyWriter = std::function<bool(absl::string_view)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Extra response headers.
  std::map<std::string, std::string> headers;
  // When set, the body is streamed instead of `body`: the headers go out
  // first (chunked transfer encoding for HTTP/1.1 clients; for HTTP/1.0 the
  // connection closes after the body), then `stream` writes the body in
  // parts on the worker thread, returning when it is done or the writer
  // says the client has gone.
  std::function<void(const BodyWriter&)> stream;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// PEM text (not file names) of the server's TLS identity.
struct HttpTlsOptions {
  std::string cert_chain;  // the certificate, then its chain
  std::string private_key;
  // The CA that signs client certificates: mutual TLS, a client without a
  // certificate it signed cannot connect. Empty: no client certificates.
  std::string client_ca;
};

struct HttpServerOptions {
  // host:port to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:0";
  // Worker threads answering requests.
  int threads = 4;
  // Largest request body accepted, in bytes (413 beyond).
  size_t max_body_bytes = 4 << 20;
  // Set: HTTPS only (TLS 1.2 or later); unset: plain HTTP.
  std::optional<HttpTlsOptions> tls;
};

class HttpServer {
 public:
  // Starts listening. `handlers` maps a path prefix ("/metrics", "/v1/") to
  // its handler; the longest matching prefix wins, and a path no prefix
  // matches gets 404. Handlers run on the server's worker threads and must be
  // thread-safe. UNAVAILABLE when the address cannot be bound,
  // INVALID_ARGUMENT when the TLS identity cannot be used.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      HttpServerOptions options,
      std::vector<std::pair<std::string, HttpHandler>> handlers);
  ~HttpServer();  // Stops: waits for requests in flight.
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

 private:
  HttpServer() = default;
  void Dispatch(const httplib::Request& in, httplib::Response& out) const;
  HttpResponse Handle(const HttpRequest& request) const;

  HttpServerOptions options_;
  std::vector<std::pair<std::string, HttpHandler>> handlers_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
};

}  // namespace newsdesk::http

#endif  // COMMON_HTTP_HTTP_SERVER_H_
