#include "common/http/http_server.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace newsdesk::http {
namespace {

// Sets up `context` for `tls`: TLS 1.2 or later, the identity from PEM text
// and, with a client CA, verified client certificates required.
bool SetUpTls(const HttpTlsOptions& tls, SSL_CTX& context) {
  SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
  SSL_CTX_set_options(&context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  BIO* chain = BIO_new_mem_buf(tls.cert_chain.data(), static_cast<int>(tls.cert_chain.size()));
  X509* leaf = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
  bool ok = leaf != nullptr && SSL_CTX_use_certificate(&context, leaf) == 1;
  X509_free(leaf);
  while (ok) {
    X509* link = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
    if (link == nullptr) break;
    ok = SSL_CTX_add0_chain_cert(&context, link) == 1;  // takes `link`
    if (!ok) X509_free(link);
  }
  BIO_free(chain);
  ERR_clear_error();  // the end of the chain reads as an error
  BIO* key_text =
      BIO_new_mem_buf(tls.private_key.data(), static_cast<int>(tls.private_key.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_text, nullptr, nullptr, nullptr);
  BIO_free(key_text);
  ok = ok && key != nullptr && SSL_CTX_use_PrivateKey(&context, key) == 1 &&
       SSL_CTX_check_private_key(&context) == 1;
  EVP_PKEY_free(key);
  if (!ok || tls.client_ca.empty()) return ok;

  BIO* ca_text = BIO_new_mem_buf(tls.client_ca.data(), static_cast<int>(tls.client_ca.size()));
  X509_STORE* store = SSL_CTX_get_cert_store(&context);
  int added = 0;
  while (X509* ca = PEM_read_bio_X509(ca_text, nullptr, nullptr, nullptr)) {
    added += X509_STORE_add_cert(store, ca) == 1;
    X509_free(ca);
  }
  BIO_free(ca_text);
  ERR_clear_error();
  SSL_CTX_set_verify(&context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return added > 0;
}

// The verified peer certificate's common name and DNS, URI and e-mail
// subject alternative names.
std::vector<std::string> CertificateNames(const SSL* ssl) {
  std::vector<std::string> names;
  if (ssl == nullptr) return names;
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) {
    X509_free(cert);
    return names;
  }
  char common_name[256];
  const int length = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                               common_name, sizeof(common_name));
  if (length > 0) names.emplace_back(common_name, length);
  auto* alternatives = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; alternatives != nullptr && i < sk_GENERAL_NAME_num(alternatives); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(alternatives, i);
    const ASN1_IA5STRING* text = name->type == GEN_DNS     ? name->d.dNSName
                                 : name->type == GEN_URI   ? name->d.uniformResourceIdentifier
                                 : name->type == GEN_EMAIL ? name->d.rfc822Name
                                                           : nullptr;
    if (text != nullptr) {
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         ASN1_STRING_length(text));
    }
  }
  GENERAL_NAMES_free(alternatives);
  X509_free(cert);
  return names;
}

// "127.0.0.1:80", "[::1]:0", "localhost:8080" → host and port.
bool SplitHostPort(absl::string_view address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  absl::string_view name = address.substr(0, colon);
  if (absl::ConsumePrefix(&name, "[") && !absl::ConsumeSuffix(&name, "]")) return false;
  *host = std::string(name);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 && *port <= 65535;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpServerOptions options,
    std::vector<std::pair<std::string, HttpHandler>> handlers) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->options_ = std::move(options);
  server->handlers_ = std::move(handlers);
  // Longest prefix first, so the first match is the most specific.
  std::sort(server->handlers_.begin(), server->handlers_.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  const HttpServerOptions& o = server->options_;
  std::string host;
  int port = 0;
  if (!SplitHostPort(o.listen_address, &host, &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot serve HTTP on ", o.listen_address, ": not host:port"));
  }

  if (o.tls.has_value()) {
    const HttpTlsOptions tls = *o.tls;
    server->server_ = std::make_unique<httplib::SSLServer>(
        [tls](SSL_CTX& context) { return SetUpTls(tls, context); });
    if (!server->server_->is_valid()) {
      return absl::InvalidArgumentError(
          "the TLS certificate, key or client CA cannot be used for HTTPS");
    }
  } else {
    server->server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *server->server_;
  const size_t threads = static_cast<size_t>(std::max(1, o.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(o.max_body_bytes);
  http.set_keep_alive_max_count(100);
  // SO_REUSEADDR only: the library's default, SO_REUSEPORT, would let a
  // second server bind a port in use and take half its connections.
  http.set_socket_options([](int socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  const HttpServer* self = server.get();
  const auto dispatch = [self](const httplib::Request& in, httplib::Response& out) {
    self->Dispatch(in, out);
  };
  const std::string every_path = ".*";
  http.Get(every_path, dispatch)
      .Post(every_path, dispatch)
      .Put(every_path, dispatch)
      .Patch(every_path, dispatch)
      .Delete(every_path, dispatch)
      .Options(every_path, dispatch);
  http.set_error_handler([max = o.max_body_bytes](const httplib::Request&,
                                                  httplib::Response& out) {
    if (out.status == 413 && out.body.empty()) {
      out.set_content(absl::StrCat("request body over ", max, " bytes\n"),
                      "text/plain; charset=utf-8");
    }
  });

  const bool bound = port == 0 ? (port = http.bind_to_any_port(host)) > 0
                               : http.bind_to_port(host, port);
  if (!bound) {
    return absl::UnavailableError(absl::StrCat("cannot serve HTTP on ", o.listen_address,
                                               " (address in use or not host:port)"));
  }
  server->port_ = port;
  auto listening = std::make_shared<std::atomic<bool>>(true);
  server->listener_ = std::thread([&http, listening] {
    http.listen_after_bind();
    *listening = false;
  });
  // stop() only reaches a server that runs: wait for it, so that a server
  // stopped at once still ends.
  while (!http.is_running() && *listening) absl::SleepFor(absl::Milliseconds(1));
  if (!*listening) {
    return absl::UnavailableError(absl::StrCat("cannot serve HTTP on ", o.listen_address));
  }
  return server;
}

HttpServer::~HttpServer() {
  if (server_ != nullptr) server_->stop();
  if (listener_.joinable()) listener_.join();
}

void HttpServer::Dispatch(const httplib::Request& in, httplib::Response& out) const {
  HttpRequest request;
  request.method = in.method;
  request.path = in.path;
  if (const size_t mark = in.target.find('?'); mark != std::string::npos) {
    request.query = in.target.substr(mark + 1);
  }
  request.body = in.body;
  for (const auto& [name, value] : in.headers) {
    request.headers[absl::AsciiStrToLower(name)] = value;
  }
  request.certificate_names = CertificateNames(in.ssl);

  HttpResponse response = Handle(request);
  out.status = response.status;
  for (const auto& [name, value] : response.headers) out.set_header(name, value);
  if (response.stream == nullptr) {
    out.set_content(std::move(response.body), response.content_type);
    return;
  }
  // The provider runs once, after the headers are out; it writes the whole
  // body through `sink` and ends it.
  auto provider = [stream = std::move(response.stream)](size_t, httplib::DataSink& sink) {
    stream([&sink](absl::string_view part) {
      return part.empty() || sink.write(part.data(), part.size());
    });
    sink.done();
    return true;
  };
  if (in.version == "HTTP/1.0") {
    out.set_header("Connection", "close");
    out.set_content_provider(response.content_type, std::move(provider));
  } else {
    out.set_chunked_content_provider(response.content_type, std::move(provider));
  }
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
