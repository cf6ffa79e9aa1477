#include "common/http/http_server.h"

#include <civetweb.h>

#include <algorithm>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace newsdesk::http {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 499:
      return "Client Closed Request";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

void Send(mg_connection* connection, const HttpResponse& response) {
  std::string head =
      absl::StrCat("HTTP/1.1 ", response.status, " ", Reason(response.status),
                   "\r\nContent-Type: ", response.content_type,
                   "\r\nContent-Length: ", response.body.size(), "\r\n");
  for (const auto& [name, value] : response.headers)
    absl::StrAppend(&head, name, ": ", value, "\r\n");
  absl::StrAppend(&head, "\r\n");
  mg_write(connection, head.data(), head.size());
  mg_write(connection, response.body.data(), response.body.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpServerOptions options,
    std::vector<std::pair<std::string, HttpHandler>> handlers) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { mg_init_library(0); });

  std::unique_ptr<HttpServer> server(new HttpServer());
  server->options_ = std::move(options);
  server->handlers_ = std::move(handlers);
  // Longest prefix first, so the first match is the most specific.
  std::sort(server->handlers_.begin(), server->handlers_.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });

  const std::string threads = absl::StrCat(server->options_.threads);
  const char* mg_options[] = {"listening_ports",
                              server->options_.listen_address.c_str(),
                              "num_threads",
                              threads.c_str(),
                              "enable_keep_alive",
                              "yes",
                              nullptr};
  mg_callbacks callbacks{};
  server->context_ = mg_start(&callbacks, server.get(), mg_options);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot serve HTTP on ",
                                               server->options_.listen_address,
                                               " (address in use or not host:port)"));
  }
  mg_set_request_handler(server->context_, "/", &HttpServer::Dispatch, server.get());
  mg_server_port ports[4];
  const int count = mg_get_server_ports(server->context_, 4, ports);
  if (count < 1 || ports[0].port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot read the HTTP port bound for ",
                                               server->options_.listen_address));
  }
  server->port_ = ports[0].port;
  return server;
}

HttpServer::~HttpServer() {
  if (context_ != nullptr) mg_stop(context_);
}

int HttpServer::Dispatch(mg_connection* connection, void* self) {
  const HttpServer* server = static_cast<const HttpServer*>(self);
  const mg_request_info* info = mg_get_request_info(connection);
  HttpRequest request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri ? info->local_uri : "/";
  request.query = info->query_string ? info->query_string : "";
  for (int i = 0; i < info->num_headers; ++i) {
    request.headers[absl::AsciiStrToLower(info->http_headers[i].name)] =
        info->http_headers[i].value;
  }
  if (info->content_length > 0 &&
      static_cast<size_t>(info->content_length) > server->options_.max_body_bytes) {
    Send(connection,
         {413,
          "text/plain; charset=utf-8",
          absl::StrCat("request body over ", server->options_.max_body_bytes, " bytes\n"),
          {}});
    return 413;
  }
  char buffer[16384];
  for (int n; (n = mg_read(connection, buffer, sizeof(buffer))) > 0;) {
    request.body.append(buffer, n);
    if (request.body.size() > server->options_.max_body_bytes) {
      Send(connection, {413,
                        "text/plain; charset=utf-8",
                        absl::StrCat("request body over ",
                                     server->options_.max_body_bytes, " bytes\n"),
                        {}});
      return 413;
    }
  }
  const HttpResponse response = server->Handle(request);
  Send(connection, response);
  return response.status;
}

HttpResponse HttpServer::Handle(const HttpRequest& request) const {
  for (const auto& [prefix, handler] : handlers_) {
    if (absl::StartsWith(request.path, prefix)) return handler(request);
  }
  return {404,
          "text/plain; charset=utf-8",
          absl::StrCat("no such path: ", request.path, "\n"),
          {}};
}

}  // namespace newsdesk::http
