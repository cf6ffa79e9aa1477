// The IngestService and ArticleLogService adapters over a real gRPC server on
// an in-process channel, with the real parser and store and fake extractors.
#include "ingest_service/grpc/ingest_service_impl.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest_service/grpc/article_log_service_impl.h"
#include "ingest_service/store/rocksdb_article_store.h"
#include "ingest_service/testing/fake_extractors.h"

namespace newsdesk::ingest {
namespace {

class IngestServiceImplTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("ingest_grpc_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    store_ = *RocksDbArticleStore::Open(options);
    ingestor_ = std::make_unique<Ingestor>(IngestorOptions{}, &parser_, &extractor_,
                                           &classifier_, store_.get());
    reclassifier_ = std::make_unique<Reclassifier>(&new_classifier_, store_.get(), store_.get());
    ingest_service_ = std::make_unique<IngestServiceImpl>(ingestor_.get(), reclassifier_.get());
    ArticleLogServiceOptions log_options;
    log_options.heartbeat_interval = absl::Milliseconds(50);
    log_service_ = std::make_unique<ArticleLogServiceImpl>(log_options, store_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(ingest_service_.get());
    builder.RegisterService(log_service_.get());
    server_ = builder.BuildAndStart();
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    ingest_ = v1::IngestService::NewStub(channel);
    log_ = v1::ArticleLogService::NewStub(channel);
  }
  void TearDown() override {
    log_service_->Stop();
    server_->Shutdown();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  grpc::Status Ingest(const std::string& content, v1::IngestArticleResponse* response) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    grpc::ClientContext context;
    return ingest_->IngestArticle(&context, request, response);
  }

  std::filesystem::path dir_;
  ArticleParser parser_;
  FakeEntityExtractor extractor_;
  FakeTopicClassifier classifier_;
  // What the service would classify with after a restart on a new release.
  FakeTopicClassifier new_classifier_{"fake-2",
                                      ArticleTopic{"medtop:15000000", "sport", 0.6, false}};
  std::unique_ptr<RocksDbArticleStore> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<Reclassifier> reclassifier_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<ArticleLogServiceImpl> log_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::ArticleLogService::Stub> log_;
};

TEST_F(IngestServiceImplTest, IngestReturnsTheStoredArticleAndSaysWhenItExisted) {
  v1::IngestArticleResponse first, second;
  ASSERT_TRUE(Ingest("Peace talks in Kyiv\n\nDelegates met in Kyiv.", &first).ok());
  EXPECT_FALSE(first.already_existed());
  EXPECT_EQ(first.article().name(), "articles/" + first.article().article_id());
  EXPECT_EQ(first.article().log_sequence(), 1);
  EXPECT_TRUE(first.article().has_ingest_time());
  EXPECT_EQ(first.article().entities(0).entity_id(), "location-kyiv");
  ASSERT_TRUE(Ingest("Peace talks in Kyiv\n\nDelegates met in Kyiv.", &second).ok());
  EXPECT_TRUE(second.already_existed());
  EXPECT_EQ(second.article().log_sequence(), 1);
}

TEST_F(IngestServiceImplTest, InvalidContentIsInvalidArgument) {
  v1::IngestArticleResponse response;
  grpc::Status status = Ingest("", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "content is empty");
  EXPECT_EQ(Ingest("\xff\xfe", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(IngestServiceImplTest, BatchGivesOneResultPerItemAndABadItemFailsAlone) {
  grpc::ClientContext context;
  v1::BatchIngestArticlesResponse response;
  auto writer = ingest_->BatchIngestArticles(&context, &response);
  for (const std::string content : {"One\n\nFirst body.", "", "Two\n\nSecond body.",
                                    "One\n\nFirst body."}) {
    v1::BatchIngestArticlesRequest item;
    item.mutable_article()->set_content(content);
    ASSERT_TRUE(writer->Write(item));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  ASSERT_EQ(response.results_size(), 4);
  EXPECT_EQ(response.results(0).code(), 0);
  EXPECT_EQ(response.results(1).code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(response.results(1).message(), "content is empty");
  EXPECT_EQ(response.results(2).log_sequence(), 2);
  EXPECT_TRUE(response.results(3).already_existed());
  EXPECT_EQ(response.results(3).article_id(), response.results(0).article_id());
  EXPECT_EQ(response.stored_count(), 2);
  EXPECT_EQ(response.existing_count(), 1);
  EXPECT_EQ(response.failed_count(), 1);
}

TEST_F(IngestServiceImplTest, ParseStoresNothing) {
  v1::ParseArticleRequest request;
  request.mutable_article()->set_content("Headline\n\nBody in Kyiv.");
  v1::ParseArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(ingest_->ParseArticle(&context, request, &response).ok());
  EXPECT_EQ(response.article().title(), "Headline");
  EXPECT_EQ(response.article().log_sequence(), 0);
  EXPECT_EQ(store_->HeadSequence(), 0);
}

TEST_F(IngestServiceImplTest, ParseReturnsTheDetectedAndTheCallersLanguage) {
  v1::ParseArticleRequest request;
  request.mutable_article()->set_content(
      "Reprise des négociations\n\nLe ministre a déclaré mardi que les négociations avec "
      "les syndicats reprendraient après les vacances, et qu'il était convaincu qu'un "
      "accord serait trouvé avant la fin du mois.");
  request.mutable_article()->mutable_metadata()->set_language("en");
  v1::ParseArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(ingest_->ParseArticle(&context, request, &response).ok());
  EXPECT_EQ(response.article().language(), "en");
  EXPECT_EQ(response.article().language_source(), v1::LANGUAGE_SOURCE_CALLER);
  EXPECT_EQ(response.article().detected_language(), "fr");
  EXPECT_GT(response.article().detected_language_confidence(), 0.5);
}

TEST_F(IngestServiceImplTest, SubscribeStreamsStoredThenNewArticlesInOrder) {
  v1::IngestArticleResponse response;
  ASSERT_TRUE(Ingest("First\n\nBody one.", &response).ok());
  ASSERT_TRUE(Ingest("Second\n\nBody two.", &response).ok());

  grpc::ClientContext context;
  v1::SubscribeArticlesRequest request;
  request.set_start_sequence(2);
  auto reader = log_->SubscribeArticles(&context, request);
  std::vector<int64_t> sequences;
  v1::SubscribeArticlesResponse message;
  std::thread writer([this] {
    absl::SleepFor(absl::Milliseconds(30));
    v1::IngestArticleResponse r;
    ASSERT_TRUE(Ingest("Third\n\nBody three.", &r).ok());
  });
  while (sequences.size() < 2 && reader->Read(&message)) {
    EXPECT_GE(message.head_sequence(), 2);
    for (const auto& entry : message.entries()) {
      sequences.push_back(entry.sequence());
      EXPECT_EQ(entry.article().log_sequence(), entry.sequence());
    }
  }
  writer.join();
  EXPECT_EQ(sequences, (std::vector<int64_t>{2, 3}));
  context.TryCancel();
  reader->Finish();

  v1::GetLogStateResponse state;
  grpc::ClientContext state_context;
  ASSERT_TRUE(log_->GetLogState(&state_context, v1::GetLogStateRequest(), &state).ok());
  EXPECT_EQ(state.head_sequence(), 3);
}

TEST_F(IngestServiceImplTest, ReclassifyGivesStoredArticlesNewTopicsThroughTheLog) {
  v1::IngestArticleResponse first, second;
  ASSERT_TRUE(Ingest("First\n\nBody one.", &first).ok());
  ASSERT_TRUE(Ingest("Second\n\nBody two.", &second).ok());
  EXPECT_EQ(first.article().taxonomy_version(), "fake-1");

  v1::ReclassifyArticlesRequest request;
  v1::ReclassifyArticlesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(ingest_->ReclassifyArticles(&context, request, &response).ok());
  EXPECT_EQ(response.taxonomy_version(), "fake-2");
  EXPECT_EQ(response.visited_count(), 2);
  EXPECT_EQ(response.updated_count(), 2);
  EXPECT_EQ(response.next_sequence(), 0);

  // The log carries one topic update per article after the articles.
  grpc::ClientContext subscribe_context;
  v1::SubscribeArticlesRequest subscribe;
  subscribe.set_start_sequence(1);
  auto reader = log_->SubscribeArticles(&subscribe_context, subscribe);
  std::vector<v1::LogEntry> entries;
  v1::SubscribeArticlesResponse message;
  while (entries.size() < 4 && reader->Read(&message)) {
    for (const v1::LogEntry& entry : message.entries()) entries.push_back(entry);
  }
  subscribe_context.TryCancel();
  reader->Finish();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_TRUE(entries[1].has_article());
  EXPECT_FALSE(entries[2].has_article());
  EXPECT_EQ(entries[2].sequence(), 3);
  EXPECT_EQ(entries[2].topic_update().article_id(), first.article().article_id());
  EXPECT_EQ(entries[2].topic_update().taxonomy_version(), "fake-2");
  ASSERT_EQ(entries[3].topic_update().topics_size(), 1);
  EXPECT_EQ(entries[3].topic_update().topics(0).code(), "medtop:15000000");

  // Ingesting the same content again answers with the new topics.
  v1::IngestArticleResponse again;
  ASSERT_TRUE(Ingest("First\n\nBody one.", &again).ok());
  EXPECT_TRUE(again.already_existed());
  EXPECT_EQ(again.article().taxonomy_version(), "fake-2");

  // A second call finds nothing left to do.
  grpc::ClientContext again_context;
  ASSERT_TRUE(ingest_->ReclassifyArticles(&again_context, request, &response).ok());
  EXPECT_EQ(response.updated_count(), 0);

  request.set_max_entries(-1);
  grpc::ClientContext bad_context;
  EXPECT_EQ(ingest_->ReclassifyArticles(&bad_context, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace newsdesk::ingest
