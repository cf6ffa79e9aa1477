// Both services with mutual TLS and bearer tokens, as real processes with
// certificates made at test time: ingest and queries work through TLS, the
// query replica follows the log with a client certificate of its own, every
// RPC refuses callers without credentials or without its role, and callers
// without TLS, without a client certificate or with one from another CA get
// nothing. Also: a service without security configuration refuses to start,
// reflection can be turned off, and storage errors leak no paths.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/authenticator.h"
#include "common/testing/test_pki.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "newsdesk/v1/admin_service.grpc.pb.h"
#include "newsdesk/v1/article_log_service.grpc.pb.h"
#include "newsdesk/v1/entity_alias_service.grpc.pb.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One unary call of `method` with an empty request, over `channel`.
grpc::Status CallEmpty(const std::shared_ptr<grpc::Channel>& channel, const std::string& method) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

// "/newsdesk.v1.S/M" of every RPC of `service`.
std::vector<std::string> Methods(const google::protobuf::ServiceDescriptor* service) {
  std::vector<std::string> out;
  for (int i = 0; i < service->method_count(); ++i) {
    out.push_back(absl::StrCat("/", service->full_name(), "/", service->method(i)->name()));
  }
  return out;
}

const std::string kArticle =
    "Kyiv talks resume\n\nKYIV, April 26, 2023 (Reuters) - Volodymyr Zelenskiy met "
    "Xi Jinping by telephone on Wednesday, the first call between the two leaders since "
    "the war began.\n\nThe Ukrainian president said the call was long and meaningful.\n";

class SecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/security_test-pki-" +
                           std::to_string(getpid()));
    auto pki = TestPki::Create(*dir_);
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
    for (const char* cn : {"query-replica", "cli", "nobody"}) {
      ASSERT_TRUE(pki_->AddClient(cn).ok());
    }
    // Tokens are stored as their SHA-256; the replica is known by its
    // certificate.
    std::ofstream(pki_->path("tokens"))
        << "# roles credential name\n"
        << "write sha256:" << auth::Sha256Hex("writer-token") << " crawler\n"
        << "read sha256:" << auth::Sha256Hex("reader-token") << " frontend\n"
        << "admin sha256:" << auth::Sha256Hex("admin-token") << " ops\n"
        << "replica cert:query-replica query-replica-1\n";
    std::ofstream(pki_->path("reader.token")) << "reader-token\n";
  }
  static void TearDownTestSuite() {
    if (!HasFailure()) std::filesystem::remove_all(*dir_);
    delete pki_;
    delete dir_;
  }

  // Both services with mutual TLS and the tokens file.
  ClusterSecurity MutualTls(const std::string& client_token) const {
    const std::vector<std::string> server = {
        "--tls_cert=" + pki_->path("server.crt"), "--tls_key=" + pki_->path("server.key"),
        "--tls_client_ca=" + pki_->path("ca.crt"),
        "--auth_tokens_file=" + pki_->path("tokens")};
    ClusterSecurity security;
    security.ingest_flags = server;
    security.query_flags = server;
    security.query_flags.push_back("--ingest_tls_ca=" + pki_->path("ca.crt"));
    security.query_flags.push_back("--ingest_tls_cert=" + pki_->path("query-replica.crt"));
    security.query_flags.push_back("--ingest_tls_key=" + pki_->path("query-replica.key"));
    security.client_credentials = pki_->Credentials("cli", client_token);
    return security;
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& address,
                                         std::shared_ptr<grpc::ChannelCredentials> credentials) {
    return grpc::CreateChannel(address, std::move(credentials));
  }

  static std::string* dir_;
  static TestPki* pki_;
};

std::string* SecurityTest::dir_ = nullptr;
TestPki* SecurityTest::pki_ = nullptr;

TEST_F(SecurityTest, MutualTlsAndTokensGuardEveryRpc) {
  TestCluster cluster(::testing::TempDir() + "/security_test-mtls");
  // The cluster's own stubs ingest as the crawler.
  cluster.set_security(MutualTls("writer-token"));
  ASSERT_TRUE(cluster.StartIngest({"--http_listen=127.0.0.1:0",
                                   "--http_port_file=" + cluster.work_dir() + "/ingest.http"})
                  .ok());
  ASSERT_TRUE(cluster.StartQuery({"--http_listen=0.0.0.0:0",
                                  "--http_port_file=" + cluster.work_dir() + "/query.http"})
                  .ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  EXPECT_THAT(ReadFile(cluster.ingest()->log_path()),
              HasSubstr("mutual TLS, authentication on (4 principals)"));

  // Ingest through TLS with the write token; the replica follows the log
  // with its certificate.
  v1::IngestArticleRequest ingest;
  ingest.mutable_article()->set_content(kArticle);
  v1::IngestArticleResponse ingested;
  grpc::ClientContext ingest_context;
  grpc::Status status = cluster.ingest_stub()->IngestArticle(&ingest_context, ingest, &ingested);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Queries need role read: the crawler cannot query.
  v1::SearchArticlesRequest search;
  v1::SearchArticlesResponse found;
  grpc::ClientContext crawler_context;
  status = cluster.query_stub()->SearchArticles(&crawler_context, search, &found);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("crawler (roles: write) may not call "
                        "/newsdesk.v1.QueryService/SearchArticles: it needs role read"));
  auto reader = v1::QueryService::NewStub(
      Channel(cluster.query_address(), pki_->Credentials("cli", "reader-token")));
  bool indexed = false;
  for (int i = 0; i < 100 && !indexed; ++i) {
    grpc::ClientContext context;
    status = reader->SearchArticles(&context, search, &found);
    ASSERT_TRUE(status.ok()) << status.error_message();
    indexed = found.matches_size() == 1;
    if (!indexed) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(indexed) << "the replica did not follow the log over mutual TLS";

  // Every RPC of every service: refused without a token (the client
  // certificate "nobody" names no principal) and with a token lacking its
  // role. Health stays open.
  // Naming a message of each service's file links its descriptors in.
  for (const google::protobuf::Descriptor* linked :
       {v1::IngestArticleRequest::descriptor(), v1::SubscribeArticlesRequest::descriptor(),
        v1::AddAliasRequest::descriptor(), v1::CreateBackupRequest::descriptor(),
        v1::GetArticleRequest::descriptor()}) {
    ASSERT_NE(linked, nullptr);
  }
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  struct Served {
    std::string address;
    std::vector<std::string> services;
  } served[] = {
      {cluster.ingest_address(),
       {"newsdesk.v1.IngestService", "newsdesk.v1.ArticleLogService",
        "newsdesk.v1.EntityAliasService", "newsdesk.v1.AdminService"}},
      {cluster.query_address(), {"newsdesk.v1.QueryService"}},
  };
  int checked = 0;
  for (const Served& server : served) {
    auto anonymous = Channel(server.address, pki_->Credentials("nobody", ""));
    for (const std::string& name : server.services) {
      const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
      ASSERT_NE(service, nullptr) << name;
      for (const std::string& method : Methods(service)) {
        SCOPED_TRACE(method);
        const std::optional<auth::Role> role = auth::RequiredRole(method);
        ASSERT_TRUE(role.has_value());
        EXPECT_EQ(CallEmpty(anonymous, method).error_code(),
                  grpc::StatusCode::UNAUTHENTICATED);
        const std::string wrong_token =
            *role == auth::Role::kRead ? "writer-token" : "reader-token";
        const grpc::Status refused =
            CallEmpty(Channel(server.address, pki_->Credentials("cli", wrong_token)), method);
        EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_THAT(refused.error_message(),
                    HasSubstr(absl::StrCat("needs role ", auth::RoleName(*role))));
        ++checked;
      }
    }
    EXPECT_EQ(CallEmpty(anonymous, "/grpc.health.v1.Health/Check").error_code(),
              grpc::StatusCode::OK);
  }
  EXPECT_GE(checked, 20);

  // Refused at the connection: no TLS, no client certificate, a certificate
  // of another CA.
  for (const auto& [what, credentials] :
       std::vector<std::pair<std::string, std::shared_ptr<grpc::ChannelCredentials>>>{
           {"plaintext", grpc::InsecureChannelCredentials()},
           {"no client certificate", pki_->Credentials("", "reader-token")},
           {"another CA's certificate", pki_->Credentials("intruder", "reader-token")}}) {
    SCOPED_TRACE(what);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::SearchArticlesResponse none;
    status = v1::QueryService::NewStub(Channel(cluster.query_address(), credentials))
                 ->SearchArticles(&context, search, &none);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  }

  // The CLI: TLS, a client certificate and a token file.
  int code = 0;
  const std::string cli =
      absl::StrCat(BinDir(), "/newsdesk --query=", cluster.query_address(),
                   " --tls_ca=", pki_->path("ca.crt"), " --tls_cert=", pki_->path("cli.crt"),
                   " --tls_key=", pki_->path("cli.key"));
  std::string out = Shell(absl::StrCat(cli, " --token_file=", pki_->path("reader.token"),
                                       " entity Zelenskiy"),
                          &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_THAT(out, HasSubstr("Kyiv talks resume"));
  out = Shell(absl::StrCat("NEWSDESK_TOKEN=writer-token ", cli, " entity Zelenskiy"), &code);
  EXPECT_NE(code, 0);
  EXPECT_THAT(out, HasSubstr("it needs role read"));

  // The health probe (container and Kubernetes checks) speaks TLS too.
  const std::string probe = absl::StrCat(BinDir(), "/newsdesk-health-probe --address=",
                                         cluster.query_address(), " --service=liveness");
  out = Shell(absl::StrCat(probe, " --tls_ca=", pki_->path("ca.crt"), " --tls_cert=",
                           pki_->path("nobody.crt"), " --tls_key=", pki_->path("nobody.key")),
              &code);
  EXPECT_EQ(code, 0) << out;
  Shell(probe, &code);
  EXPECT_NE(code, 0);

  // The HTTP port serves HTTPS with the same certificate and client CA, and
  // the REST door and /metrics check the same table with the Authorization
  // header or the client certificate.
  const std::string http_port =
      std::string(absl::StripAsciiWhitespace(ReadFile(cluster.work_dir() + "/query.http")));
  const std::string https = absl::StrCat("https://127.0.0.1:", http_port);
  const std::string curl = absl::StrCat("curl -s -o /dev/null -w '%{http_code}' --cacert ",
                                        pki_->path("ca.crt"));
  const std::string as_cli =
      absl::StrCat(curl, " --cert ", pki_->path("cli.crt"), " --key ", pki_->path("cli.key"));
  const std::string topics = " -X POST " + https + "/v1/QueryService/ListTopics -d '{}'";
  EXPECT_EQ(Shell(as_cli + topics + " -H 'Authorization: Bearer reader-token'", &code), "200");
  EXPECT_EQ(Shell(as_cli + topics, &code), "401");
  EXPECT_EQ(Shell(as_cli + topics + " -H 'Authorization: Bearer writer-token'", &code), "403");
  EXPECT_EQ(Shell(as_cli + topics + " -H 'Authorization: Bearer forged'", &code), "401");
  // The certificate alone names its principal: the replica may not query.
  out = Shell(absl::StrCat("curl -s --cacert ", pki_->path("ca.crt"), " --cert ",
                           pki_->path("query-replica.crt"), " --key ",
                           pki_->path("query-replica.key"), topics),
              &code);
  EXPECT_THAT(out, HasSubstr("query-replica-1 (roles: replica) may not call"));
  EXPECT_EQ(Shell(as_cli + " " + https + "/metrics -H 'Authorization: Bearer reader-token'",
                  &code),
            "200");
  EXPECT_EQ(Shell(as_cli + " " + https + "/metrics", &code), "401");
  // No TLS, or no client certificate: no HTTP answer at all.
  EXPECT_EQ(Shell(absl::StrCat("curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:",
                               http_port, "/v1/QueryService/ListTopics -d '{}'"),
                  &code),
            "000");
  EXPECT_EQ(Shell(curl + topics + " -H 'Authorization: Bearer reader-token'", &code), "000");
}

TEST_F(SecurityTest, TheLogLinkNeedsRoleReplicaAndTakesAToken) {
  TestCluster cluster(::testing::TempDir() + "/security_test-link");
  ClusterSecurity security = MutualTls("writer-token");
  // The link presents the certificate "cli" (no principal) and a token.
  for (std::string& flag : security.query_flags) {
    if (absl::StartsWith(flag, "--ingest_tls_cert=")) {
      flag = "--ingest_tls_cert=" + pki_->path("cli.crt");
    }
    if (absl::StartsWith(flag, "--ingest_tls_key=")) {
      flag = "--ingest_tls_key=" + pki_->path("cli.key");
    }
  }
  security.query_flags.push_back("--token_file=" + pki_->path("reader.token"));
  cluster.set_security(security);
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  // A reader may not follow the log: the replica never becomes ready and
  // says why.
  EXPECT_FALSE(cluster.WaitQueryServing(absl::Seconds(2)).ok());
  std::string logged;
  for (int i = 0; i < 50 && logged.find("needs role replica") == std::string::npos; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    logged = ReadFile(cluster.query()->log_path());
  }
  EXPECT_THAT(logged, HasSubstr("frontend (roles: read) may not call "
                                "/newsdesk.v1.ArticleLogService/SubscribeArticles"));

  // With a replica's token it follows.
  std::ofstream(pki_->path("replica.token")) << "replica-token";
  std::ofstream(pki_->path("tokens-2"))
      << ReadFile(pki_->path("tokens")) << "replica sha256:" << auth::Sha256Hex("replica-token")
      << " query-replica-2\n";
  for (std::string& flag : security.ingest_flags) {
    if (absl::StartsWith(flag, "--auth_tokens_file=")) {
      flag = "--auth_tokens_file=" + pki_->path("tokens-2");
    }
  }
  security.query_flags.back() = "--token_file=" + pki_->path("replica.token");
  cluster.set_security(security);
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  EXPECT_TRUE(cluster.WaitQueryServing().ok());
}

TEST_F(SecurityTest, AChangedTokensFileTakesEffectWithoutARestart) {
  TestCluster cluster(::testing::TempDir() + "/security_test-reload");
  const std::string tokens = pki_->path("tokens-reload");
  std::ofstream(tokens) << ReadFile(pki_->path("tokens"));
  ClusterSecurity security = MutualTls("writer-token");
  for (std::vector<std::string>* flags : {&security.ingest_flags, &security.query_flags}) {
    for (std::string& flag : *flags) {
      if (absl::StartsWith(flag, "--auth_tokens_file=")) flag = "--auth_tokens_file=" + tokens;
    }
    flags->push_back("--auth_reload_seconds=1");
  }
  cluster.set_security(security);
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  auto search = [&](const std::string& token) {
    grpc::ClientContext context;
    v1::SearchArticlesResponse found;
    return v1::QueryService::NewStub(
               Channel(cluster.query_address(), pki_->Credentials("cli", token)))
        ->SearchArticles(&context, v1::SearchArticlesRequest(), &found)
        .error_code();
  };
  ASSERT_EQ(search("reader-token"), grpc::StatusCode::OK);

  // The reader's token is revoked and another given, in place.
  std::string text = ReadFile(tokens);
  text.replace(text.find("read sha256:"), std::string("read sha256:").size() + 64,
               "read sha256:" + auth::Sha256Hex("rotated-token"));
  std::ofstream(tokens + ".new") << text;
  std::filesystem::rename(tokens + ".new", tokens);
  grpc::StatusCode old_token = grpc::StatusCode::OK;
  for (int i = 0; i < 100 && old_token == grpc::StatusCode::OK; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    old_token = search("reader-token");
  }
  EXPECT_EQ(old_token, grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(search("rotated-token"), grpc::StatusCode::OK);
  EXPECT_THAT(ReadFile(cluster.query()->log_path()), HasSubstr("auth tokens file reloaded"));

  // A broken file is logged and leaves the principals as they were.
  std::ofstream(tokens) << "read sha256:abc frontend\n";
  std::string logged;
  for (int i = 0; i < 100 && logged.find("was not reloaded") == std::string::npos; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    logged = ReadFile(cluster.query()->log_path());
  }
  EXPECT_THAT(logged, HasSubstr("was not reloaded"));
  EXPECT_EQ(search("rotated-token"), grpc::StatusCode::OK);
}

TEST_F(SecurityTest, AServiceWithoutSecurityConfigurationRefusesToStart) {
  TestCluster cluster(::testing::TempDir() + "/security_test-refuse");
  ClusterSecurity none;
  none.ingest_flags = {};
  cluster.set_security(none);
  EXPECT_FALSE(cluster.StartIngest().ok());
  std::string log;
  for (const auto& entry : std::filesystem::directory_iterator(cluster.work_dir())) {
    if (entry.path().extension() == ".log") log += ReadFile(entry.path());
  }
  EXPECT_THAT(log, HasSubstr("give --tls_cert and --tls_key"));
  EXPECT_THAT(log, HasSubstr("--auth_tokens_file"));
  EXPECT_THAT(log, HasSubstr("--dev_mode_no_auth"));

  // Tokens without TLS are refused too: a bearer token never travels in
  // plaintext.
  none.ingest_flags = {"--auth_tokens_file=" + pki_->path("tokens")};
  cluster.set_security(none);
  EXPECT_FALSE(cluster.StartIngest().ok());

  // The development mode starts, and says loudly that nothing is checked.
  cluster.set_security(ClusterSecurity());
  ASSERT_TRUE(cluster.StartIngest().ok());
  EXPECT_THAT(ReadFile(cluster.ingest()->log_path()), HasSubstr("AUTHENTICATION IS OFF"));
}

TEST_F(SecurityTest, ReflectionCanBeTurnedOff) {
  // A ServerReflectionRequest asking for the service list (field 7, empty).
  grpc::Slice slice(std::string("\x3a\x00", 2));
  const std::string method = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  for (bool enabled : {true, false}) {
    SCOPED_TRACE(enabled ? "reflection on" : "reflection off");
    TestCluster cluster(::testing::TempDir() + "/security_test-reflection");
    ASSERT_TRUE(cluster.StartIngest({absl::StrCat("--reflection=", enabled)}).ok());
    grpc::GenericStub stub(grpc::CreateChannel(cluster.ingest_address(),
                                               grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    grpc::CompletionQueue queue;
    auto call = stub.PrepareCall(&context, method, &queue);
    void* tag;
    bool ok;
    call->StartCall(reinterpret_cast<void*>(1));
    queue.Next(&tag, &ok);
    grpc::ByteBuffer request(&slice, 1);
    call->Write(request, reinterpret_cast<void*>(2));
    queue.Next(&tag, &ok);
    call->WritesDone(reinterpret_cast<void*>(3));
    queue.Next(&tag, &ok);
    grpc::ByteBuffer response;
    call->Read(&response, reinterpret_cast<void*>(4));
    queue.Next(&tag, &ok);
    const bool answered = ok;
    std::string listed;
    if (answered) {
      std::vector<grpc::Slice> slices;
      (void)response.Dump(&slices);
      for (const grpc::Slice& s : slices) listed += std::string(reinterpret_cast<const char*>(s.begin()), s.size());
      call->Read(&response, reinterpret_cast<void*>(5));
      queue.Next(&tag, &ok);
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(6));
    queue.Next(&tag, &ok);
    if (enabled) {
      EXPECT_TRUE(answered);
      EXPECT_THAT(listed, HasSubstr("newsdesk.v1.IngestService"));
      EXPECT_TRUE(status.ok()) << status.error_message();
    } else {
      EXPECT_FALSE(answered);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    }
  }
}

TEST_F(SecurityTest, StorageErrorsReachCallersWithoutPaths) {
  TestCluster cluster(::testing::TempDir() + "/security_test-leaks");
  // The backup directory lies under a regular file: every backup fails in
  // the storage layer, whose errors name paths.
  const std::string blocker = cluster.work_dir() + "/not-a-directory";
  std::ofstream(blocker) << "x";
  ASSERT_TRUE(cluster.StartIngest({"--backup_dir=" + blocker + "/backups"}).ok());
  auto admin = v1::AdminService::NewStub(
      grpc::CreateChannel(cluster.ingest_address(), grpc::InsecureChannelCredentials()));
  v1::CreateBackupRequest request;
  request.set_name("nightly");
  v1::CreateBackupResponse response;
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "leak-check-1");
  const grpc::Status status = admin->CreateBackup(&context, request, &response);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error_message(), Not(HasSubstr(cluster.work_dir())));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("/")));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("IO error")));
  // The full error, with its path, is in the server log under the request id.
  std::string logged;
  for (int i = 0; i < 50 && logged.find("leak-check-1") == std::string::npos; ++i) {
    logged = ReadFile(cluster.ingest()->log_path());
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(logged, HasSubstr("leak-check-1"));
  EXPECT_THAT(logged, HasSubstr(blocker));
}

}  // namespace
}  // namespace newsdesk::testing
