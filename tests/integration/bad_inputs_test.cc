// Hostile and broken input against the real services, over gRPC and the
// REST door: each row is one bad input, the call it is sent to and the
// status it must get; none may crash a service or take it down. The table
// in docs/BAD_INPUTS.md is this table: the test fails when the two differ,
// and NEWSDESK_UPDATE_DOCS=1 rewrites the document's table from the run.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "common/grpc/health_client.h"
#include "common/grpc/status_util.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

// What a call answered: a gRPC code name (or an HTTP status for REST) and
// the start of the message.
struct Answer {
  std::string status;
  std::string message;
};

Answer FromGrpc(const grpc::Status& status) {
  return {GrpcCodeName(status.error_code()), status.error_message()};
}

// POST `body` to http://127.0.0.1:port/path; the HTTP status and body.
Answer HttpPost(int port, const std::string& path, const std::string& body) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return {"connect failed", ""};
  }
  const std::string request =
      absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n",
                   "Content-Length: ", body.size(), "\r\nConnection: close\r\n\r\n", body);
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) response.append(buffer, n);
  close(fd);
  // "HTTP/1.1 400 Bad Request\r\n...\r\n\r\n{json}"
  const size_t space = response.find(' ');
  const size_t body_start = response.find("\r\n\r\n");
  if (space == std::string::npos || body_start == std::string::npos) return {"no answer", ""};
  std::string message = response.substr(body_start + 4);
  const size_t key = message.find("\"message\"");
  if (key != std::string::npos) {
    const size_t open = message.find('"', message.find(':', key) + 1);
    const size_t close_quote = message.find('"', open + 1);
    message = message.substr(open + 1, close_quote - open - 1);
  }
  return {absl::StrCat("HTTP ", response.substr(space + 1, 3)), message};
}

struct Row {
  std::string input;     // what was sent, for the document
  std::string call;      // to which call
  std::string expected;  // the status it must get
  std::function<Answer()> send;
};

grpc::ClientContext* Deadline(grpc::ClientContext* context) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

constexpr char kBegin[] = "<!-- table: written by tests/integration/bad_inputs_test.cc -->\n";
constexpr char kEnd[] = "<!-- end of table -->\n";

TEST(BadInputsTest, EveryBadInputGetsAClearStatusAndNothingCrashes) {
  TestCluster cluster(::testing::TempDir() + "/bad_inputs");
  const std::string http_port_file = cluster.work_dir() + "/ingest.http_port";
  ASSERT_TRUE(cluster
                  .StartIngest({"--http_listen=127.0.0.1:0", "--http_port_file=" + http_port_file})
                  .ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  int http_port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(http_port_file)), &http_port));

  auto ingest = [&cluster](std::string content, std::function<void(v1::RawArticle*)> more =
                                                    nullptr) {
    return [&cluster, content, more] {
      v1::IngestArticleRequest request;
      request.mutable_article()->set_content(content);
      if (more) more(request.mutable_article());
      v1::IngestArticleResponse response;
      grpc::ClientContext context;
      return FromGrpc(cluster.ingest_stub()->IngestArticle(Deadline(&context), request, &response));
    };
  };
  auto search = [&cluster](std::function<void(v1::SearchArticlesRequest*)> fill) {
    return [&cluster, fill] {
      v1::SearchArticlesRequest request;
      fill(&request);
      v1::SearchArticlesResponse response;
      grpc::ClientContext context;
      return FromGrpc(cluster.query_stub()->SearchArticles(Deadline(&context), request, &response));
    };
  };
  // A real token of another query, to replay on this one.
  std::string other_token;
  {
    v1::IngestArticleRequest request;
    for (int i = 0; i < 3; ++i) {
      request.mutable_article()->set_content(
          absl::StrCat("Story ", i, "\n\nTalks in Kyiv went on for day ", i, "."));
      v1::IngestArticleResponse response;
      grpc::ClientContext context;
      ASSERT_TRUE(cluster.ingest_stub()->IngestArticle(Deadline(&context), request, &response).ok());
    }
    ASSERT_TRUE(cluster.WaitForArticleCount(3).ok());
    v1::SearchArticlesRequest first;
    first.set_page_size(1);
    first.mutable_filter()->set_text("talks");
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.query_stub()->SearchArticles(Deadline(&context), first, &response).ok());
    other_token = response.next_page_token();
    ASSERT_FALSE(other_token.empty());
  }

  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  nested += "deep";
  std::string repeated;
  while (repeated.size() < 1000000) repeated += "<p>na</p>";
  std::string words;
  while (words.size() < 1000000) words += "Kyiv talks Zelensky Macron ";

  const std::vector<Row> rows = {
      {"empty content", "IngestArticle", "INVALID_ARGUMENT", ingest("")},
      {"whitespace only", "IngestArticle", "INVALID_ARGUMENT", ingest(" \n\t ")},
      {"content of 1 MiB + 1 byte", "IngestArticle", "INVALID_ARGUMENT",
       ingest(std::string((1 << 20) + 1, 'a'))},
      {"request message of 5 MiB", "IngestArticle", "RESOURCE_EXHAUSTED",
       ingest(std::string(5 << 20, 'a'))},
      {"invalid UTF-8 (bytes FF FE)", "IngestArticle", "INVALID_ARGUMENT",
       ingest("Title\n\nBody \xff\xfe text.")},
      {"NUL bytes in the content", "IngestArticle", "INVALID_ARGUMENT",
       ingest(std::string("Title\n\nBody\0\0\0 text.", 20))},
      {"UTF-16 text (with a byte order mark)", "IngestArticle", "INVALID_ARGUMENT",
       ingest(std::string("\xff\xfeH\0i\0", 6))},
      {"HTML nested 100,000 elements deep", "IngestArticle", "OK",
       ingest(nested, [](v1::RawArticle* a) { a->set_content_type(v1::CONTENT_TYPE_HTML); })},
      {"HTML of one element repeated to 1 MB", "IngestArticle", "OK",
       ingest(repeated, [](v1::RawArticle* a) { a->set_content_type(v1::CONTENT_TYPE_HTML); })},
      {"text of four words repeated to 1 MB", "IngestArticle", "OK", ingest(words)},
      // gRPC refuses a proto3 string that is not UTF-8 while decoding the
      // request, before any handler runs; the server's interceptor answers
      // INVALID_ARGUMENT for it (docs/BAD_INPUTS.md).
      {"invalid UTF-8 in a string field (metadata.source)", "IngestArticle", "INVALID_ARGUMENT",
       ingest("Title\n\nBody.", [](v1::RawArticle* a) { a->mutable_metadata()->set_source("\xc3"); })},
      {"unreadable publish_time_hint", "IngestArticle", "INVALID_ARGUMENT",
       ingest("Title\n\nBody.",
              [](v1::RawArticle* a) { a->mutable_metadata()->set_publish_time_hint("31/31/31"); })},
      {"page_size -1", "SearchArticles", "INVALID_ARGUMENT",
       search([](v1::SearchArticlesRequest* r) { r->set_page_size(-1); })},
      {"page_size 2147483647 (read as 1,000)", "SearchArticles", "OK",
       search([](v1::SearchArticlesRequest* r) { r->set_page_size(2147483647); })},
      {"page token of random bytes", "SearchArticles", "INVALID_ARGUMENT",
       search([](v1::SearchArticlesRequest* r) { r->set_page_token("bm90IGEgdG9rZW4gYXQgYWxs"); })},
      {"page token of 100,000 characters", "SearchArticles", "INVALID_ARGUMENT",
       search([](v1::SearchArticlesRequest* r) { r->set_page_token(std::string(100000, 'A')); })},
      {"page token of another query", "SearchArticles", "INVALID_ARGUMENT",
       search([other_token](v1::SearchArticlesRequest* r) {
         r->mutable_filter()->set_text("kyiv");
         r->set_page_token(other_token);
       })},
      {"time range that ends before it starts", "SearchArticles", "INVALID_ARGUMENT",
       search([](v1::SearchArticlesRequest* r) {
         r->mutable_filter()->mutable_start_time()->set_seconds(1700000000);
         r->mutable_filter()->mutable_end_time()->set_seconds(1600000000);
       })},
      {"timestamp in year 10000", "SearchArticles", "INVALID_ARGUMENT",
       search([](v1::SearchArticlesRequest* r) {
         r->mutable_filter()->mutable_start_time()->set_seconds(253402300800);
       })},
      {"search text of 1 MB", "SearchArticles", "OK",
       search([&words](v1::SearchArticlesRequest* r) { r->mutable_filter()->set_text(words); })},
      {"JSON with a number for a string", "REST IngestArticle", "HTTP 400",
       [http_port] {
         return HttpPost(http_port, "/v1/IngestService/IngestArticle",
                         R"({"article": {"content": 5}})");
       }},
      {"JSON with an object for a string", "REST IngestArticle", "HTTP 400",
       [http_port] {
         return HttpPost(http_port, "/v1/IngestService/IngestArticle",
                         R"({"article": {"content": "VGl0bGU=", "metadata": {"source": {}}}})");
       }},
      {"JSON with an unknown field", "REST IngestArticle", "HTTP 400",
       [http_port] {
         return HttpPost(http_port, "/v1/IngestService/IngestArticle", R"({"artikel": {}})");
       }},
      {"not JSON", "REST IngestArticle", "HTTP 400",
       [http_port] { return HttpPost(http_port, "/v1/IngestService/IngestArticle", "{not json"); }},
      {"JSON nested 100,000 arrays deep", "REST IngestArticle", "HTTP 400",
       [http_port] {
         return HttpPost(http_port, "/v1/IngestService/IngestArticle",
                         std::string(100000, '[') + std::string(100000, ']'));
       }},
  };

  std::string table =
      "| bad input | call | status | message (start) |\n|---|---|---|---|\n";
  for (const Row& row : rows) {
    const Answer answer = row.send();
    EXPECT_EQ(answer.status, row.expected) << row.input << ": " << answer.message;
    std::string message = answer.message.substr(0, 90);
    // Keep the table one line per row and free of bytes that break it.
    for (char& c : message) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '|') c = ' ';
    }
    absl::StrAppend(&table, "| ", row.input, " | `", row.call, "` | `", answer.status, "` | ",
                    message.empty() ? "" : absl::StrCat("\"", message, "\""), " |\n");
  }
  // Both services are still up and answer.
  EXPECT_TRUE(WaitUntilServing(grpc::CreateChannel(cluster.ingest_address(),
                                                   grpc::InsecureChannelCredentials()),
                               absl::Seconds(5))
                  .ok());
  EXPECT_TRUE(cluster.WaitQueryServing(absl::Seconds(5)).ok());

  const std::string doc_path = std::string(NEWSDESK_DATA_DIR) + "/../docs/BAD_INPUTS.md";
  std::string doc = ReadFile(doc_path);
  const size_t begin = doc.find(kBegin);
  const size_t end = doc.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << doc_path << " has no table marker";
  ASSERT_NE(end, std::string::npos);
  const std::string current = doc.substr(begin + strlen(kBegin), end - begin - strlen(kBegin));
  if (std::getenv("NEWSDESK_UPDATE_DOCS") != nullptr) {
    doc.replace(begin + strlen(kBegin), end - begin - strlen(kBegin), table);
    std::ofstream(doc_path) << doc;
  } else {
    EXPECT_EQ(current, table) << doc_path
                              << " differs from this run; NEWSDESK_UPDATE_DOCS=1 rewrites it";
  }
}

}  // namespace
}  // namespace newsdesk::testing
