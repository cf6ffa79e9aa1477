// Ingests one article into newsdesk and runs an entity, a date-range and a
// topic query with the generated C++ client.
//
//   newsdesk-cpp-example [ARTICLE_FILE [ENTITY START END TOPIC]]
//
// The services' addresses come from NEWSDESK_INGEST_ADDRESS and
// NEWSDESK_QUERY_ADDRESS (default 127.0.0.1:50051 and 127.0.0.1:50052). Exits
// 1 when the ingested article is missing from a query's results.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

namespace v1 = newsdesk::v1;

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Midnight UTC of a YYYY-MM-DD date.
google::protobuf::Timestamp Day(const std::string& iso_date) {
  std::tm tm{};
  std::istringstream(iso_date) >> std::get_time(&tm, "%Y-%m-%d");
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(timegm(&tm));
  return timestamp;
}

// A context with a 30-second deadline, one per call.
std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

// Prints one query's matches; true when `article_id` is among them.
template <typename Response>
bool Report(const std::string& heading, const Response& response,
            const std::string& article_id) {
  std::cout << heading << ": " << response.total_size() << " article(s)\n";
  bool found = false;
  for (const v1::ArticleMatch& match : response.matches()) {
    std::cout << "  " << match.article().article_id() << "  " << match.article().title()
              << "\n";
    found = found || match.article().article_id() == article_id;
  }
  return found;
}

int Fail(const std::string& what, const grpc::Status& status) {
  // The gRPC code and the service's message.
  std::cerr << what << " failed: code " << status.error_code() << ": "
            << status.error_message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string file = argc > 1 ? argv[1] : "data/seeds/004_5ae21f2a0cf7424a.txt";
  const std::string entity = argc > 5 ? argv[2] : "Zelenskiy";
  const std::string start = argc > 5 ? argv[3] : "2023-04-26";
  const std::string end = argc > 5 ? argv[4] : "2023-04-27";
  const std::string topic = argc > 5 ? argv[5] : "medtop:16000000";

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << file << ": cannot read\n";
    return 2;
  }
  std::stringstream content;
  content << in.rdbuf();

  auto ingest = v1::IngestService::NewStub(
      grpc::CreateChannel(EnvOr("NEWSDESK_INGEST_ADDRESS", "127.0.0.1:50051"),
                          grpc::InsecureChannelCredentials()));
  auto query = v1::QueryService::NewStub(
      grpc::CreateChannel(EnvOr("NEWSDESK_QUERY_ADDRESS", "127.0.0.1:50052"),
                          grpc::InsecureChannelCredentials()));

  v1::IngestArticleRequest ingest_request;
  ingest_request.mutable_article()->set_content(content.str());
  ingest_request.mutable_article()->mutable_metadata()->set_source("example");
  v1::IngestArticleResponse stored;
  if (grpc::Status s = ingest->IngestArticle(Context().get(), ingest_request, &stored);
      !s.ok()) {
    return Fail("ingest", s);
  }
  const std::string id = stored.article().article_id();
  std::cout << "ingested " << id << " (already existed: " << std::boolalpha
            << stored.already_existed() << "): " << stored.article().title() << "\n";

  // The query service follows the ingest log: wait until it has the article.
  while (true) {
    v1::GetArticleRequest request;
    request.set_name("articles/" + id);
    v1::GetArticleResponse response;
    grpc::Status s = query->GetArticle(Context().get(), request, &response);
    if (s.ok()) break;
    if (s.error_code() != grpc::StatusCode::NOT_FOUND) return Fail("get article", s);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  v1::FindArticlesByEntityRequest by_entity;
  by_entity.set_entity(entity);
  v1::FindArticlesByEntityResponse entity_response;
  if (grpc::Status s =
          query->FindArticlesByEntity(Context().get(), by_entity, &entity_response);
      !s.ok()) {
    return Fail("entity query", s);
  }
  bool ok = Report("entity " + entity, entity_response, id);

  v1::FindArticlesByDateRangeRequest by_date;
  *by_date.mutable_start_time() = Day(start);
  *by_date.mutable_end_time() = Day(end);
  v1::FindArticlesByDateRangeResponse date_response;
  if (grpc::Status s =
          query->FindArticlesByDateRange(Context().get(), by_date, &date_response);
      !s.ok()) {
    return Fail("date-range query", s);
  }
  ok = Report("published in [" + start + ", " + end + ")", date_response, id) && ok;

  v1::FindArticlesByTopicRequest by_topic;
  by_topic.set_topic(topic);
  v1::FindArticlesByTopicResponse topic_response;
  if (grpc::Status s =
          query->FindArticlesByTopic(Context().get(), by_topic, &topic_response);
      !s.ok()) {
    return Fail("topic query", s);
  }
  ok = Report("topic " + topic, topic_response, id) && ok;

  if (!ok) {
    std::cerr << "the ingested article is missing from a query's results\n";
    return 1;
  }
  std::cout << "all three queries found the ingested article\n";
  return 0;
}
