// The whole pipeline with real processes: both services start on free
// loopback ports, the five sample articles are ingested through the ingest
// service, and the query service answers by entity, date range and topic.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/model/article_convert.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

using ::testing::UnorderedElementsAreArray;

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDESK_DATA_DIR) + "/seeds/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const std::vector<std::string>& SeedNames() {
  static const auto* names = new std::vector<std::string>{
      "000_bc9c7e850a66cecc.txt", "001_fc00426c0e321901.txt", "002_b3046c6bb07cf1a6.txt",
      "003_a3f724cffde74e1a.txt", "004_5ae21f2a0cf7424a.txt"};
  return *names;
}

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new TestCluster(::testing::TempDir() + "/pipeline_test");
    ASSERT_TRUE(cluster_->StartIngest().ok());
    ASSERT_TRUE(cluster_->StartQuery().ok());
    ASSERT_TRUE(cluster_->WaitQueryServing().ok());
    for (const std::string& name : SeedNames()) {
      v1::IngestArticleRequest request;
      request.mutable_article()->set_content(ReadSeed(name));
      request.mutable_article()->mutable_metadata()->set_external_id(name);
      v1::IngestArticleResponse response;
      grpc::ClientContext context;
      grpc::Status status = cluster_->ingest_stub()->IngestArticle(&context, request, &response);
      ASSERT_TRUE(status.ok()) << name << ": " << status.error_message();
      ids_[name] = response.article().article_id();
    }
    ASSERT_TRUE(cluster_->WaitForArticleCount(5).ok());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // The seed file names of the matches.
  template <typename Response>
  static std::vector<std::string> Seeds(const Response& response) {
    std::vector<std::string> out;
    for (const auto& m : response.matches()) out.push_back(m.article().external_id());
    return out;
  }

  static TestCluster* cluster_;
  static std::map<std::string, std::string> ids_;
};

TestCluster* PipelineTest::cluster_ = nullptr;
std::map<std::string, std::string> PipelineTest::ids_;

TEST_F(PipelineTest, EntityQueryMatchesEverySpelling) {
  for (const std::string spelling : {"Zelensky", "Zelenskyy", "Zelenskiy"}) {
    v1::FindArticlesByEntityRequest request;
    request.set_entity(spelling);
    v1::FindArticlesByEntityResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(cluster_->query_stub()->FindArticlesByEntity(&context, request, &response).ok());
    EXPECT_THAT(Seeds(response),
                UnorderedElementsAreArray({SeedNames()[0], SeedNames()[1], SeedNames()[2],
                                           SeedNames()[4]}))
        << spelling;
    EXPECT_EQ(response.total_size(), 4);
    ASSERT_GT(response.matches_size(), 0);
    EXPECT_EQ(response.matches(0).entity_matches(0).entity_id(), "person-volodymyr-zelensky");
  }
  v1::FindArticlesByEntityRequest kiev;
  kiev.set_entity("Kiev");
  v1::FindArticlesByEntityResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster_->query_stub()->FindArticlesByEntity(&context, kiev, &response).ok());
  EXPECT_THAT(Seeds(response),
              UnorderedElementsAreArray({SeedNames()[0], SeedNames()[2], SeedNames()[4]}));
}

TEST_F(PipelineTest, DateRangeQueryUsesThePublicationDateFromTheText) {
  auto find = [](absl::CivilDay start, absl::CivilDay end) {
    v1::FindArticlesByDateRangeRequest request;
    ToProto(absl::FromCivil(start, absl::UTCTimeZone()), request.mutable_start_time());
    ToProto(absl::FromCivil(end, absl::UTCTimeZone()), request.mutable_end_time());
    v1::FindArticlesByDateRangeResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(cluster_->query_stub()->FindArticlesByDateRange(&context, request, &response).ok());
    return Seeds(response);
  };
  EXPECT_THAT(find(absl::CivilDay(2023, 4, 26), absl::CivilDay(2023, 4, 27)),
              UnorderedElementsAreArray({SeedNames()[4]}));
  EXPECT_THAT(find(absl::CivilDay(2023, 3, 17), absl::CivilDay(2023, 3, 18)),
              UnorderedElementsAreArray({SeedNames()[1]}));
  EXPECT_THAT(find(absl::CivilDay(2023, 1, 1), absl::CivilDay(2024, 1, 1)),
              UnorderedElementsAreArray({SeedNames()[1], SeedNames()[4]}));
  // Articles without a date never match a range.
  EXPECT_TRUE(find(absl::CivilDay(1970, 1, 1), absl::CivilDay(2100, 1, 1)).size() == 2);
}

TEST_F(PipelineTest, TopicQueryMatchesDescendants) {
  for (const std::string topic : {"medtop:16000000", "conflict, war and peace",
                                  "medtop:11000000"}) {
    v1::FindArticlesByTopicRequest request;
    request.set_topic(topic);
    v1::FindArticlesByTopicResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(cluster_->query_stub()->FindArticlesByTopic(&context, request, &response).ok());
    EXPECT_EQ(response.total_size(), 5) << topic;
  }
}

TEST_F(PipelineTest, CombinedSearchAndPaging) {
  v1::SearchArticlesRequest request;
  request.mutable_filter()->add_all_entities("Xi Jinping");
  request.mutable_filter()->add_all_entities("Macron");
  v1::SearchArticlesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster_->query_stub()->SearchArticles(&context, request, &response).ok());
  EXPECT_THAT(Seeds(response), UnorderedElementsAreArray({SeedNames()[0], SeedNames()[3]}));

  std::set<std::string> paged;
  v1::SearchArticlesRequest page_request;
  page_request.set_page_size(2);
  while (true) {
    v1::SearchArticlesResponse page;
    grpc::ClientContext page_context;
    ASSERT_TRUE(cluster_->query_stub()->SearchArticles(&page_context, page_request, &page).ok());
    EXPECT_LE(page.matches_size(), 2);
    for (const auto& m : page.matches()) EXPECT_TRUE(paged.insert(m.article().article_id()).second);
    if (page.next_page_token().empty()) break;
    page_request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(paged.size(), 5u);
}

TEST_F(PipelineTest, SameContentTwiceIsStoredOnce) {
  v1::IngestArticleRequest request;
  request.mutable_article()->set_content(ReadSeed(SeedNames()[2]));
  v1::IngestArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster_->ingest_stub()->IngestArticle(&context, request, &response).ok());
  EXPECT_TRUE(response.already_existed());
  EXPECT_EQ(response.article().article_id(), ids_[SeedNames()[2]]);
  EXPECT_EQ(response.article().external_id(), SeedNames()[2]);  // the first one's
  auto all = cluster_->AllArticles();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 5u);
}

TEST_F(PipelineTest, BadInputIsRefusedClearlyAndStoresNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"   \n\t ", "empty"},
      {std::string("abc\0def", 7), "binary"},
      {"\x82\xa0\x82\xa2\x82\xa4\x82\xa6", "UTF-8"},  // Shift_JIS
      {std::string(2 << 20, 'a'), "limit"},
  };
  for (const auto& [content, message] : cases) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    grpc::Status status = cluster_->ingest_stub()->IngestArticle(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << message;
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr(message));
  }
  v1::SearchArticlesRequest negative;
  negative.set_page_size(-1);
  v1::SearchArticlesResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(cluster_->query_stub()->SearchArticles(&context, negative, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto all = cluster_->AllArticles();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 5u);
}

TEST_F(PipelineTest, ParseArticleStoresNothing) {
  v1::ParseArticleRequest request;
  request.mutable_article()->set_content("A headline never stored\n\nIts body, in one line.");
  v1::ParseArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(cluster_->ingest_stub()->ParseArticle(&context, request, &response).ok());
  EXPECT_EQ(response.article().title(), "A headline never stored");
  EXPECT_EQ(response.article().log_sequence(), 0);
  grpc::ClientContext get_context;
  v1::GetArticleRequest get;
  get.set_name(response.article().name());
  v1::GetArticleResponse got;
  EXPECT_EQ(cluster_->query_stub()->GetArticle(&get_context, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PipelineTest, GracefulShutdownExitsCleanly) {
  // Runs last (alphabetical order is not guaranteed, so it uses a cluster of
  // its own).
  TestCluster cluster(::testing::TempDir() + "/pipeline_shutdown");
  ASSERT_TRUE(cluster.StartIngest().ok());
  ASSERT_TRUE(cluster.StartQuery().ok());
  ASSERT_TRUE(cluster.WaitQueryServing().ok());
  auto query_exit = cluster.query()->Terminate();
  ASSERT_TRUE(query_exit.ok()) << query_exit.status();
  EXPECT_EQ(*query_exit, 0);
  auto ingest_exit = cluster.ingest()->Terminate();
  ASSERT_TRUE(ingest_exit.ok()) << ingest_exit.status();
  EXPECT_EQ(*ingest_exit, 0);
}

}  // namespace
}  // namespace newsdesk::testing
