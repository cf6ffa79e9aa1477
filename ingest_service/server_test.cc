// IngestServer start-up with each entity extractor: the rule-based default,
// a trained model, and a model file that is missing or not a model.
#include "ingest_service/server.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/perceptron_tagger.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::StatusIs;

class IngestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("ingest_server_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.listen_address = "127.0.0.1:0";
    options_.data_dir = (dir_ / "store").string();
    options_.data_files_dir = NEWSDESK_DATA_DIR;
    options_.enable_reflection = false;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // What the server at `port` makes of a short article.
  v1::Article Parse(int port) {
    auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    v1::ParseArticleRequest request;
    request.mutable_article()->set_content(
        "Talks in Kyiv\n\nOfficials said Elena Berg met them in Kyiv on Monday.\n");
    v1::ParseArticleResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ParseArticle(&context, request, &response).ok());
    return response.article();
  }

  std::filesystem::path dir_;
  IngestServerOptions options_;
};

TEST_F(IngestServerTest, RuleExtractorByDefault) {
  auto server = IngestServer::Create(options_);
  ASSERT_TRUE(server.ok()) << server.status();
  const v1::Article article = Parse((*server)->port());
  EXPECT_TRUE(absl::StartsWith(article.entity_table_version(), "entities="))
      << article.entity_table_version();
  EXPECT_FALSE(absl::StrContains(article.entity_table_version(), ";model="));
  ASSERT_GT(article.entities_size(), 0);
  EXPECT_EQ(article.entities(0).entity_id(), "location-kyiv");
}

TEST_F(IngestServerTest, LoadsATrainedModel) {
  // A model trained on a few hand-written sentences.
  auto lexicon = entities::EntityLexicon::Load(
      {absl::StrCat(NEWSDESK_DATA_DIR, "/entities/entities.tsv")});
  ASSERT_TRUE(lexicon.ok());
  std::vector<TaggedDocument> training;
  for (const char* name : {"Anna", "Piotr", "Maria", "Jonas"}) {
    TaggedSentence sentence;
    sentence.words = {"Officials", "said", name, "Novak", "met", "them", "in",
                      "Kyiv", "on", "Monday", "."};
    sentence.tags = {0, 0, 1, 2, 0, 0, 0, 5, 0, 0, 0};
    training.push_back({sentence});
  }
  const std::string model = (dir_ / "ner.model").string();
  ASSERT_TRUE(PerceptronTagger::Train(training, lexicon->get(), nullptr, {})->Save(model).ok());
  options_.entity_model_path = model;
  auto server = IngestServer::Create(options_);
  ASSERT_TRUE(server.ok()) << server.status();
  const v1::Article article = Parse((*server)->port());
  EXPECT_TRUE(absl::EndsWith(article.entity_table_version(), ";model=ner.model"))
      << article.entity_table_version();
  bool kyiv = false;
  for (const v1::ArticleEntity& entity : article.entities()) {
    kyiv = kyiv || (entity.entity_id() == "location-kyiv" && entity.linked());
  }
  EXPECT_TRUE(kyiv);
}

TEST_F(IngestServerTest, RefusesToStartWithABadModel) {
  options_.entity_model_path = (dir_ / "missing.model").string();
  EXPECT_THAT(IngestServer::Create(options_), StatusIs(absl::StatusCode::kNotFound));
  const std::string junk = (dir_ / "junk.model").string();
  std::ofstream(junk) << "junk";
  options_.entity_model_path = junk;
  EXPECT_THAT(IngestServer::Create(options_), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace newsdesk::ingest
