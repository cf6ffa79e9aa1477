// The HTTP side over a real in-process gRPC server: the REST gateway and the
// RPC interceptor around a fake QueryService, and the HTTP server on a
// loopback port.
#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth/authenticator.h"
#include "common/grpc/status_util.h"
#include "common/http/http_server.h"
#include "common/http/rest_gateway.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/rpc_interceptor.h"
#include "common/status/field_error.h"
#include "common/testing/test_pki.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

namespace newsdesk::http {
namespace {

using ::testing::HasSubstr;

// Knows one article, "articles/a1"; an empty name is a bad request.
class FakeQueryService final : public v1::QueryService::Service {
 public:
  grpc::Status GetArticle(grpc::ServerContext*, const v1::GetArticleRequest* request,
                          v1::GetArticleResponse* response) override {
    if (request->name().empty()) {
      return ToGrpcStatus(InvalidFieldError("name", "name is required"));
    }
    if (request->name() != "articles/a1")
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no");
    response->mutable_article()->set_article_id("a1");
    response->mutable_article()->set_title("Title");
    return grpc::Status::OK;
  }

  // Streams start_after_log_position + 1, + 2, ... up to `watch_messages`
  // messages, then waits for `hold` (or cancellation) and ends with
  // RESOURCE_EXHAUSTED.
  grpc::Status WatchArticles(grpc::ServerContext* context,
                             const v1::WatchArticlesRequest* request,
                             grpc::ServerWriter<v1::WatchArticlesResponse>* writer) override {
    for (int i = 1; i <= watch_messages; ++i) {
      v1::WatchArticlesResponse response;
      response.set_log_position(request->start_after_log_position() + i);
      if (!writer->Write(response)) return grpc::Status::CANCELLED;
    }
    const absl::Time end = absl::Now() + hold;
    while (absl::Now() < end && !context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
    if (context->IsCancelled()) ++watches_cancelled;
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too slow");
  }

  int watch_messages = 2;
  absl::Duration hold = absl::ZeroDuration();
  std::atomic<int> watches_cancelled{0};
};

class RestGatewayTest : public ::testing::Test {
 protected:
  RestGatewayTest() {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    builder.experimental().SetInterceptorCreators(
        metrics::MakeRpcInterceptors({}, &metrics_));
    server_ = builder.BuildAndStart();
    RestGatewayOptions options;
    options.services = {"QueryService"};
    options.max_streams = 1;
    options.stream_heartbeat = absl::Milliseconds(20);
    gateway_ = std::make_unique<RestGateway>(options, server_->InProcessChannel({}));
  }
  ~RestGatewayTest() override { server_->Shutdown(); }

  HttpResponse Post(const std::string& path, const std::string& body,
                    std::map<std::string, std::string> headers = {}) {
    return gateway_->Handle({"POST", path, "", body, std::move(headers)});
  }

  FakeQueryService service_;
  metrics::MetricsRegistry metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RestGateway> gateway_;
};

TEST_F(RestGatewayTest, CallsTheRpcWithTheJsonMapping) {
  HttpResponse response =
      Post("/v1/QueryService/GetArticle", R"({"name": "articles/a1"})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "{\"article\":{\"articleId\":\"a1\",\"title\":\"Title\"}}\n");
  EXPECT_THAT(response.headers["X-Request-Id"], ::testing::MatchesRegex("[0-9a-f]{16}"));
}

TEST_F(RestGatewayTest, ErrorsCarryTheHttpStatusAndTheDetails) {
  HttpResponse response =
      Post("/v1/QueryService/GetArticle", "{}", {{"x-request-id", "r-1"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_THAT(response.body, HasSubstr("\"status\":\"INVALID_ARGUMENT\""));
  EXPECT_THAT(response.body, HasSubstr("\"field\":\"name\""));
  EXPECT_EQ(response.headers["X-Request-Id"], "r-1");
  EXPECT_EQ(Post("/v1/QueryService/GetArticle", R"({"name": "x"})").status, 404);
}

TEST_F(RestGatewayTest, RejectsUnknownPathsMethodsAndBodies) {
  EXPECT_EQ(Post("/v1/QueryService/NoSuchRpc", "{}").status, 404);
  EXPECT_EQ(Post("/v1/IngestService/IngestArticle", "{}").status,
            404);  // not served here
  EXPECT_EQ(Post("/v1/QueryService", "{}").status, 404);
  EXPECT_EQ(gateway_->Handle({"GET", "/v1/QueryService/GetArticle", "", "", {}}).status,
            405);
  HttpResponse bad = Post("/v1/QueryService/GetArticle", R"({"nmae": "x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("not a JSON newsdesk.v1.GetArticleRequest"));
}

// Runs a streamed response's body, collecting what it writes; the writer
// reports the client gone once `accept` parts were taken.
std::vector<std::string> RunStream(const HttpResponse& response, int accept = 1000) {
  std::vector<std::string> parts;
  if (response.stream == nullptr) return parts;
  response.stream([&](absl::string_view part) {
    if (static_cast<int>(parts.size()) >= accept) return false;
    parts.emplace_back(part);
    return true;
  });
  return parts;
}

TEST_F(RestGatewayTest, AServerStreamIsNewlineDelimitedJsonEndingWithItsError) {
  HttpResponse response = Post("/v1/QueryService/WatchArticles",
                               R"({"startAfterLogPosition": "40"})", {{"x-request-id", "w-1"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/x-ndjson");
  EXPECT_EQ(response.headers["X-Request-Id"], "w-1");
  EXPECT_THAT(RunStream(response),
              ::testing::ElementsAre(
                  "{\"result\":{\"logPosition\":\"41\"}}\n",
                  "{\"result\":{\"logPosition\":\"42\"}}\n",
                  ::testing::AllOf(HasSubstr("{\"error\":{"),
                                   HasSubstr("\"status\":\"RESOURCE_EXHAUSTED\""),
                                   HasSubstr("\"message\":\"too slow\""))));
  // A bad request body is refused before anything streams.
  EXPECT_EQ(Post("/v1/QueryService/WatchArticles", R"({"filter": 3})").status, 400);
}

TEST_F(RestGatewayTest, AnIdleStreamSendsEmptyLinesAndEndsWhenTheClientGoes) {
  service_.watch_messages = 1;
  service_.hold = absl::Seconds(30);
  HttpResponse response = Post("/v1/QueryService/WatchArticles", "{}");
  EXPECT_THAT(response.headers["X-Request-Id"], ::testing::MatchesRegex("[0-9a-f]{16}"));
  // The second place is taken while the first stream's response exists.
  HttpResponse second = Post("/v1/QueryService/WatchArticles", "{}");
  EXPECT_EQ(second.status, 429);
  EXPECT_THAT(second.body, HasSubstr("already streams 1"));
  const absl::Time start = absl::Now();
  // The message and two heartbeats are taken; the next write fails. (On a
  // slow machine, as under ThreadSanitizer, the 20 ms heartbeats can come
  // before the message.)
  EXPECT_THAT(RunStream(response, 3),
              ::testing::UnorderedElementsAre("{\"result\":{\"logPosition\":\"1\"}}\n",
                                              "\n", "\n"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));  // not the service's 30 s
  for (int i = 0; i < 200 && service_.watches_cancelled == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(service_.watches_cancelled, 1);
  response = HttpResponse();  // gives the place back
  service_.hold = absl::ZeroDuration();
  EXPECT_EQ(Post("/v1/QueryService/WatchArticles", "{}").status, 200);
}

TEST_F(RestGatewayTest, ChecksTheBearerTokenAgainstTheRoleTable) {
  auto authenticator = auth::Authenticator::Create(
      {"", absl::StrCat("read sha256:", auth::Sha256Hex("reader"), " frontend\n",
                        "write sha256:", auth::Sha256Hex("writer"), " crawler\n")});
  ASSERT_TRUE(authenticator.ok());
  RestGatewayOptions options;
  options.services = {"QueryService"};
  options.authenticator = authenticator->get();
  RestGateway gateway(options, server_->InProcessChannel({}));
  auto post = [&gateway](std::map<std::string, std::string> headers) {
    return gateway.Handle({"POST", "/v1/QueryService/GetArticle", "",
                           R"({"name": "articles/a1"})", std::move(headers)});
  };
  EXPECT_EQ(post({{"authorization", "Bearer reader"}}).status, 200);
  HttpResponse missing = post({});
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.headers["WWW-Authenticate"], "Bearer");
  EXPECT_THAT(missing.body, HasSubstr("\"status\":\"UNAUTHENTICATED\""));
  EXPECT_EQ(post({{"authorization", "Bearer guessed"}}).status, 401);
  HttpResponse wrong_role = post({{"authorization", "Bearer writer"}});
  EXPECT_EQ(wrong_role.status, 403);
  EXPECT_THAT(wrong_role.body, HasSubstr("it needs role read"));
}

TEST_F(RestGatewayTest, InterceptorCountsCallsByCode) {
  Post("/v1/QueryService/GetArticle", R"({"name": "articles/a1"})");
  Post("/v1/QueryService/GetArticle", "{}");
  Post("/v1/QueryService/GetArticle", "{}");
  // A call is recorded when the server is done with it, which may be just
  // after the client has its answer.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = metrics_.Render();
    if (text.find("newsdesk_rpc_latency_seconds_count{method=\"GetArticle\","
                  "service=\"newsdesk.v1.QueryService\"} 3") != std::string::npos) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(text,
              HasSubstr("newsdesk_rpc_requests_total{code=\"OK\",method=\"GetArticle\","
                        "service=\"newsdesk.v1.QueryService\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("newsdesk_rpc_requests_total{code=\"INVALID_ARGUMENT\",method="
                        "\"GetArticle\",service=\"newsdesk.v1.QueryService\"} 2"));
  EXPECT_THAT(text, HasSubstr("newsdesk_rpc_latency_seconds_count{method=\"GetArticle\","
                              "service=\"newsdesk.v1.QueryService\"} 3"));
}

TEST_F(RestGatewayTest, AnUndecodableRequestIsInvalidArgumentNotInternal) {
  grpc::GenericStub stub(server_->InProcessChannel({}));
  auto call = [&stub](std::string wire) {
    grpc::ClientContext context;
    grpc::Slice slice(wire);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/newsdesk.v1.QueryService/GetArticle", grpc::StubOptions(),
                   &request, &response, [&done](grpc::Status s) { done.set_value(s); });
    return done.get_future().get();
  };
  // Field 1 (name), a string of one byte 0xC3: not UTF-8.
  grpc::Status status = call(std::string("\x0a\x01\xc3", 3));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("the request message of /newsdesk.v1.QueryService/GetArticle cannot "
                        "be decoded: a string field holds invalid UTF-8"));
  // Truncated protobuf bytes: the same.
  EXPECT_EQ(call(std::string("\x0a\x05" "ab", 4)).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // A decodable request still reaches the handler.
  EXPECT_EQ(call(std::string("\x0a\x0b" "articles/a1", 13)).error_code(), grpc::StatusCode::OK);
}

// Sends one HTTP/1.0 request to 127.0.0.1:port and returns the whole answer.
std::string Fetch(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) answer.append(buffer, n);
  }
  close(fd);
  return answer;
}

TEST(HttpServerTest, RoutesByLongestPrefixAndReadsBodies) {
  HttpServerOptions options;
  options.max_body_bytes = 16;
  auto server = HttpServer::Start(
      options, {{"/",
                 [](const HttpRequest&) {
                   return HttpResponse{200, "text/plain", "root", {}};
                 }},
                {"/echo/", [](const HttpRequest& r) {
                   return HttpResponse{
                       201,
                       "text/plain",
                       r.method + " " + r.path + " " + r.body,
                       {{"X-Seen", r.headers.count("x-test") ? "yes" : "no"}}};
                 }}});
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  const std::string echo =
      Fetch(port, "POST /echo/a HTTP/1.0\r\nX-Test: 1\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_THAT(echo, HasSubstr("HTTP/1.1 201"));
  EXPECT_THAT(echo, HasSubstr("X-Seen: yes"));
  EXPECT_THAT(echo, HasSubstr("\r\n\r\nPOST /echo/a hello"));
  EXPECT_THAT(Fetch(port, "GET /other HTTP/1.0\r\n\r\n"), HasSubstr("\r\n\r\nroot"));
  EXPECT_THAT(Fetch(port,
                    "POST /echo/ HTTP/1.0\r\nContent-Length: 17\r\n\r\n"
                    "12345678901234567"),
              HasSubstr("HTTP/1.1 413"));
}

TEST(HttpServerTest, StreamsABodyInPartsChunkedOrUntilClose) {
  auto server = HttpServer::Start({}, {{"/", [](const HttpRequest&) {
                                          HttpResponse response{200, "text/plain", "", {}};
                                          response.stream = [](const BodyWriter& write) {
                                            write("one\n");
                                            write("");
                                            write("two\n");
                                          };
                                          return response;
                                        }}});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string chunked =
      Fetch((*server)->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(chunked, HasSubstr("Transfer-Encoding: chunked\r\n"));
  EXPECT_THAT(chunked, HasSubstr("\r\n\r\n4\r\none\n\r\n4\r\ntwo\n\r\n0\r\n\r\n"));
  const std::string plain = Fetch((*server)->port(), "GET / HTTP/1.0\r\n\r\n");
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("chunked")));
  EXPECT_THAT(plain, ::testing::EndsWith("\r\n\r\none\ntwo\n"));
}

TEST(HttpServerTest, ABusyAddressIsAClearError) {
  auto first = HttpServer::Start({}, {});
  ASSERT_TRUE(first.ok());
  HttpServerOptions options;
  options.listen_address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = HttpServer::Start(options, {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("cannot serve HTTP on 127.0.0.1:"));
}

// A server on HTTPS with the test CA's certificate for 127.0.0.1 (and, with
// `mutual`, client certificates of the CA required) that answers with the
// client certificate's names.
class HttpsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Per process: ctest runs the tests of this file at once.
    auto pki = testing::TestPki::Create(::testing::TempDir() + "/https_pki-" +
                                        std::to_string(getpid()));
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = std::make_unique<testing::TestPki>(*std::move(pki));
    ASSERT_TRUE(pki_->AddClient("reader").ok());
  }

  std::unique_ptr<HttpServer> Start(bool mutual) {
    HttpServerOptions options;
    options.tls = HttpTlsOptions{pki_->Read("server.crt"), pki_->Read("server.key"),
                                 mutual ? pki_->Read("ca.crt") : ""};
    auto server = HttpServer::Start(options, {{"/", [](const HttpRequest& request) {
                                                 return HttpResponse{
                                                     200, "text/plain",
                                                     absl::StrCat("names:", absl::StrJoin(
                                                         request.certificate_names, ",")),
                                                     {}};
                                               }}});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  // GET / over HTTPS trusting the test CA, with client certificate `cn`
  // (none when empty): the body, or the error.
  std::string Get(int port, const std::string& cn) {
    const std::string cert = cn.empty() ? "" : pki_->path(cn + ".crt");
    const std::string key = cn.empty() ? "" : pki_->path(cn + ".key");
    httplib::SSLClient client("127.0.0.1", port, cert, key);
    client.set_ca_cert_path(pki_->path("ca.crt").c_str());
    client.enable_server_certificate_verification(true);
    auto result = client.Get("/");
    if (!result) return absl::StrCat("error:", httplib::to_string(result.error()));
    return result->body;
  }

  std::unique_ptr<testing::TestPki> pki_;
};

TEST_F(HttpsServerTest, ServesHttpsAndNotPlainHttp) {
  auto server = Start(/*mutual=*/false);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Get(server->port(), ""), "names:");
  // Plain HTTP on the HTTPS port gets no HTTP answer.
  EXPECT_THAT(Fetch(server->port(), "GET / HTTP/1.0\r\n\r\n"),
              ::testing::Not(HasSubstr("HTTP/1.1 200")));
}

TEST_F(HttpsServerTest, MutualTlsRequiresACertificateOfTheCaAndPassesItsNames) {
  auto server = Start(/*mutual=*/true);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Get(server->port(), "reader"), "names:reader");
  EXPECT_THAT(Get(server->port(), ""), HasSubstr("error:"));
  EXPECT_THAT(Get(server->port(), "intruder"), HasSubstr("error:"));
  // The server goes on serving after refusing those.
  EXPECT_EQ(Get(server->port(), "reader"), "names:reader");
}

TEST_F(HttpsServerTest, AnUnusableIdentityIsAClearError) {
  HttpServerOptions options;
  options.tls = HttpTlsOptions{"not a certificate", pki_->Read("server.key"), ""};
  auto server = HttpServer::Start(options, {});
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  // A key that is not the certificate's.
  options.tls = HttpTlsOptions{pki_->Read("server.crt"), pki_->Read("reader.key"), ""};
  EXPECT_EQ(HttpServer::Start(options, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.tls = HttpTlsOptions{pki_->Read("server.crt"), pki_->Read("server.key"), "no CA"};
  EXPECT_EQ(HttpServer::Start(options, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace newsdesk::http
