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

TEST_F(PipelineTest, ResolvesNamesAndExplainsMatchesWithSpans) {
  v1::ResolveEntityRequest resolve;
  resolve.set_name("Zelenskiy");
  v1::ResolveEntityResponse candidates;
  grpc::ClientContext c1;
  ASSERT_TRUE(cluster_->query_stub()->ResolveEntity(&c1, resolve, &candidates).ok());
  ASSERT_GE(candidates.candidates_size(), 1);
  EXPECT_EQ(candidates.candidates(0).entity_id(), "person-volodymyr-zelensky");
  EXPECT_EQ(candidates.candidates(0).article_count(), 4);
  EXPECT_TRUE(candidates.candidates(0).linked());

  // Each explained mention points at the spelling in the article's text.
  v1::SearchArticlesRequest search;
  search.mutable_filter()->add_any_entities("Kiev");
  search.set_view(v1::ARTICLE_VIEW_FULL);
  v1::SearchArticlesResponse found;
  grpc::ClientContext c2;
  ASSERT_TRUE(cluster_->query_stub()->SearchArticles(&c2, search, &found).ok());
  ASSERT_EQ(found.matches_size(), 3);
  for (const v1::ArticleMatch& match : found.matches()) {
    ASSERT_EQ(match.entity_matches_size(), 1);
    ASSERT_GT(match.entity_matches(0).mentions_size(), 0);
    for (const v1::EntityMention& mention : match.entity_matches(0).mentions()) {
      const v1::Article& article = match.article();
      std::string text;
      if (mention.section() == v1::TEXT_SECTION_TITLE) text = article.title();
      if (mention.section() == v1::TEXT_SECTION_BODY) text = article.paragraphs(mention.index());
      if (mention.section() == v1::TEXT_SECTION_KEY_POINT) {
        text = article.key_points(mention.index());
      }
      if (mention.section() == v1::TEXT_SECTION_CAPTION) {
        text = article.removed_blocks(mention.index()).text();
      }
      EXPECT_EQ(text.substr(mention.begin_offset(),
                            mention.end_offset() - mention.begin_offset()),
                mention.spelling());
    }
  }

  // Who is named most with Xi Jinping in April 2023.
  v1::ListEntitiesRequest with;
  with.set_cooccurs_with("Xi");
  with.set_type(v1::ENTITY_TYPE_PERSON);
  with.mutable_start_time()->set_seconds(1680307200);  // 2023-04-01
  with.mutable_end_time()->set_seconds(1682899200);    // 2023-05-01
  v1::ListEntitiesResponse listed;
  grpc::ClientContext c3;
  ASSERT_TRUE(cluster_->query_stub()->ListEntities(&c3, with, &listed).ok());
  std::map<std::string, int64_t> counts;
  for (const v1::EntitySummary& e : listed.entities()) {
    counts[e.entity_id()] = e.cooccurrence_count();
    EXPECT_NE(e.entity_id(), "person-xi-jinping");
  }
  EXPECT_GT(counts["person-volodymyr-zelensky"], 0);
  EXPECT_GT(counts["person-vladimir-putin"], 0);
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

TEST_F(PipelineTest, ArticlesCarryTaxonomyVersionKeyPhrasesAndCountsByTopic) {
  std::string phrase;
  for (const std::string& name : SeedNames()) {
    v1::GetArticleRequest request;
    request.set_name(ids_[name]);
    v1::GetArticleResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(cluster_->query_stub()->GetArticle(&context, request, &response).ok());
    EXPECT_EQ(response.article().taxonomy_version(), "2025-10-09") << name;
    EXPECT_GT(response.article().key_phrases_size(), 0) << name;
    if (phrase.empty() && response.article().key_phrases_size() > 0) {
      phrase = response.article().key_phrases(0);
    }
  }
  // Key phrases are queryable.
  v1::SearchArticlesRequest search;
  search.mutable_filter()->add_key_phrases(phrase);
  v1::SearchArticlesResponse found;
  grpc::ClientContext c1;
  ASSERT_TRUE(cluster_->query_stub()->SearchArticles(&c1, search, &found).ok());
  EXPECT_GE(found.total_size(), 1) << phrase;

  // Monthly counts of the conflict topic: the two dated seeds, March and
  // April 2023, with every article counted in the total.
  v1::CountArticlesRequest count;
  count.set_group_by(v1::COUNT_GROUP_BY_TOPIC);
  count.set_interval(v1::COUNT_INTERVAL_MONTH);
  count.add_groups("conflict, war and peace");
  v1::CountArticlesResponse counted;
  grpc::ClientContext c2;
  ASSERT_TRUE(cluster_->query_stub()->CountArticles(&c2, count, &counted).ok());
  ASSERT_EQ(counted.groups_size(), 1);
  EXPECT_EQ(counted.groups(0).key(), "medtop:16000000");
  EXPECT_EQ(counted.groups(0).article_count(), 5);
  ASSERT_EQ(counted.groups(0).buckets_size(), 2);
  EXPECT_EQ(counted.groups(0).buckets(0).article_count(), 1);
  EXPECT_EQ(counted.groups(0).buckets(1).article_count(), 1);
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

TEST_F(PipelineTest, SeedsAreEnglishAsDetectedAndStored) {
  auto all = cluster_->AllArticles();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  for (const v1::Article& article : *all) {
    EXPECT_EQ(article.language(), "en") << article.external_id();
    EXPECT_EQ(article.language_source(), v1::LANGUAGE_SOURCE_DETECTED);
    EXPECT_EQ(article.detected_language(), "en");
    EXPECT_GT(article.detected_language_confidence(), 0.5);
  }
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
