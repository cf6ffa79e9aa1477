// IngestServer start-up with each entity extractor (the rule-based default,
// a trained model, a model file that is missing or not a model) and with an
// unreachable JetStream log: failures are statuses, never a crash while the
// half-built server is torn down.
#include "ingest_service/server.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/testing/nats_cluster.h"
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
    options_.security.dev_mode_no_auth = true;
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

// The text a mention points into.
std::string SectionText(const v1::Article& article, const v1::EntityMention& mention) {
  switch (mention.section()) {
    case v1::TEXT_SECTION_TITLE:
      return article.title();
    case v1::TEXT_SECTION_BODY:
      return article.paragraphs(mention.index());
    case v1::TEXT_SECTION_KEY_POINT:
      return article.key_points(mention.index());
    case v1::TEXT_SECTION_CAPTION:
      return article.removed_blocks(mention.index()).text();
    case v1::TEXT_SECTION_STANDFIRST:
      return article.standfirst();
    default:
      return "";
  }
}

TEST_F(IngestServerTest, EverySeedMentionPointsAtItsSpelling) {
  auto server = IngestServer::Create(options_);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()), grpc::InsecureChannelCredentials()));
  int articles = 0;
  for (const auto& file :
       std::filesystem::directory_iterator(std::string(NEWSDESK_DATA_DIR) + "/seeds")) {
    std::ifstream in(file.path());
    std::stringstream content;
    content << in.rdbuf();
    v1::ParseArticleRequest request;
    request.mutable_article()->set_content(content.str());
    v1::ParseArticleResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->ParseArticle(&context, request, &response).ok());
    const v1::Article& article = response.article();
    ++articles;
    double salience = 0;
    for (const v1::ArticleEntity& entity : article.entities()) {
      EXPECT_EQ(entity.mentions_size(), entity.mention_count()) << entity.entity_id();
      salience += entity.salience();
      bool only_captions = true;
      for (const v1::EntityMention& mention : entity.mentions()) {
        const std::string text = SectionText(article, mention);
        ASSERT_LE(mention.end_offset(), static_cast<int>(text.size())) << entity.entity_id();
        EXPECT_EQ(text.substr(mention.begin_offset(),
                              mention.end_offset() - mention.begin_offset()),
                  mention.spelling())
            << entity.entity_id() << " in " << file.path();
        only_captions = only_captions && mention.section() == v1::TEXT_SECTION_CAPTION;
      }
      if (only_captions) {
        EXPECT_EQ(entity.salience(), 0) << entity.entity_id();
      }
    }
    if (article.entities_size() > 0) {
      EXPECT_NEAR(salience, 1.0, 1e-9) << file.path();
    }
  }
  EXPECT_EQ(articles, 5);
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

TEST_F(IngestServerTest, AuthenticationIsOnByDefault) {
  options_.security = auth::ServerSecurityOptions();
  EXPECT_THAT(IngestServer::Create(options_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("--dev_mode_no_auth")));
}

TEST_F(IngestServerTest, UnreachableJetStreamLogFailsCreateCleanly) {
  options_.log_backend = LogBackend::kJetStream;
  options_.jetstream.jetstream.servers = {
      absl::StrCat("nats://127.0.0.1:", testing::FreeLoopbackPort())};
  EXPECT_THAT(IngestServer::Create(options_), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace newsdesk::ingest
