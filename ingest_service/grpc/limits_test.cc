// Overload is refused early and clearly: the ingest and log adapters over a
// real gRPC server on a loopback port (so HTTP/2 flow control applies) with
// limits of one or two.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/grpc/server_limits.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "ingest_service/grpc/article_log_service_impl.h"
#include "ingest_service/grpc/ingest_service_impl.h"
#include "ingest_service/store/rocksdb_article_store.h"
#include "ingest_service/testing/fake_extractors.h"

namespace newsdesk::ingest {
namespace {

// True when `status` carries a google.rpc.RetryInfo with a positive delay.
bool HasRetryAdvice(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry)) return retry.retry_delay().seconds() > 0 || retry.retry_delay().nanos() > 0;
  }
  return false;
}

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("limits_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    store_ = *RocksDbArticleStore::Open(options);
    ingestor_ = std::make_unique<Ingestor>(IngestorOptions{}, &parser_, &extractor_,
                                           &classifier_, store_.get());
    ingest_service_ = std::make_unique<IngestServiceImpl>(ingestor_.get(), /*reclassifier=*/nullptr,
                                                         /*max_calls=*/1);
    ArticleLogServiceOptions log_options;
    log_options.heartbeat_interval = absl::Milliseconds(50);
    log_options.max_subscribers = 1;
    log_options.stall_timeout = absl::Milliseconds(300);
    log_options.max_message_bytes = 10000;
    log_service_ = std::make_unique<ArticleLogServiceImpl>(log_options, store_.get());
    ServerLimits limits;
    limits.max_receive_message_bytes = 64 << 10;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    ApplyServerLimits(limits, &builder);
    builder.RegisterService(ingest_service_.get());
    builder.RegisterService(log_service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    address_ = absl::StrCat("127.0.0.1:", port);
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    ingest_ = v1::IngestService::NewStub(channel);
    log_ = v1::ArticleLogService::NewStub(channel);
  }
  void TearDown() override {
    log_service_->Stop();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  grpc::Status Ingest(const std::string& content) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ingest_->IngestArticle(&context, request, &response);
  }

  std::filesystem::path dir_;
  ArticleParser parser_;
  FakeEntityExtractor extractor_;
  FakeTopicClassifier classifier_;
  std::unique_ptr<RocksDbArticleStore> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<ArticleLogServiceImpl> log_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::ArticleLogService::Stub> log_;
};

TEST_F(LimitsTest, ACallBeyondTheLimitIsRefusedWithRetryAdvice) {
  // An open batch stream holds the one place.
  grpc::ClientContext batch_context;
  v1::BatchIngestArticlesResponse batch_response;
  auto batch = ingest_->BatchIngestArticles(&batch_context, &batch_response);
  v1::BatchIngestArticlesRequest item;
  item.mutable_article()->set_content("Held\n\nA batch that stays open.");
  ASSERT_TRUE(batch->Write(item));

  // Probe only once the batch call holds the place, or the probe could take
  // it first and the batch be the call refused.
  for (int i = 0; i < 500 && ingest_service_->calls_in_flight() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(ingest_service_->calls_in_flight(), 1);
  const grpc::Status refused = Ingest("Refused\n\nOne call too many.");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "the server is at its limit of 1 ingest calls at once; retry later");
  EXPECT_TRUE(HasRetryAdvice(refused));

  batch->WritesDone();
  ASSERT_TRUE(batch->Finish().ok());
  EXPECT_TRUE(Ingest("Accepted\n\nThe place is free again.").ok());
}

TEST_F(LimitsTest, AMessageOverTheSizeLimitIsRefused) {
  grpc::Status status = Ingest(std::string(100 << 10, 'a'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("larger than max"), std::string::npos)
      << status.error_message();
  EXPECT_TRUE(Ingest("Small\n\nThis one fits.").ok());
}

TEST_F(LimitsTest, ASecondSubscriberBeyondTheLimitIsRefused) {
  grpc::ClientContext first_context;
  auto first = log_->SubscribeArticles(&first_context, v1::SubscribeArticlesRequest());
  v1::SubscribeArticlesResponse message;
  ASSERT_TRUE(first->Read(&message));  // the first stream is open

  grpc::ClientContext second_context;
  auto second = log_->SubscribeArticles(&second_context, v1::SubscribeArticlesRequest());
  EXPECT_FALSE(second->Read(&message));
  grpc::Status refused = second->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "the server is at its limit of 1 log subscribers at once; retry later");
  EXPECT_TRUE(HasRetryAdvice(refused));
  first_context.TryCancel();
  first->Finish();
}

TEST_F(LimitsTest, ASubscriberThatStopsReadingDoesNotStallIngest) {
  // A subscriber with a small receive window that stops reading.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto channel = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
  auto log = v1::ArticleLogService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::SubscribeArticlesRequest request;
  request.set_max_batch_size(1);
  auto stalled = log->SubscribeArticles(&context, request);
  v1::SubscribeArticlesResponse message;
  ASSERT_TRUE(stalled->Read(&message));

  // Ingest goes on at full speed while nobody reads the stream.
  const std::string filler(2000, 'x');
  const absl::Time start = absl::Now();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(Ingest(absl::StrCat("Article ", i, "\n\nBody ", i, " ", filler)).ok()) << i;
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(60));
  EXPECT_EQ(store_->HeadSequence(), 200);

  // The stalled stream ends: cut off by the server (CANCELLED) when gRPC
  // held its writes for longer than stall_timeout, else at its deadline.
  while (stalled->Read(&message)) {
  }
  const grpc::StatusCode ended = stalled->Finish().error_code();
  EXPECT_TRUE(ended == grpc::StatusCode::CANCELLED ||
              ended == grpc::StatusCode::DEADLINE_EXCEEDED)
      << ended;

  // The place it held is free for a new subscriber, whose messages keep to
  // the byte budget (whole entries, at least one).
  // (The server lets go of the place once its handler has seen the end.)
  v1::SubscribeArticlesRequest from_start;
  from_start.set_start_sequence(1);
  std::unique_ptr<grpc::ClientContext> again_context;
  std::unique_ptr<grpc::ClientReader<v1::SubscribeArticlesResponse>> again;
  for (int attempt = 0; attempt < 100; ++attempt) {
    again_context = std::make_unique<grpc::ClientContext>();
    again = log_->SubscribeArticles(again_context.get(), from_start);
    if (again->Read(&message)) break;
    again->Finish();
    again.reset();
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_NE(again, nullptr);
  EXPECT_GE(message.entries_size(), 1);
  EXPECT_LT(message.entries_size(), 200);
  EXPECT_LE(message.ByteSizeLong(), 10000u + 5000u);
  int64_t last = 0;
  while (last < 200 && again->Read(&message)) {
    for (const auto& entry : message.entries()) last = entry.sequence();
  }
  EXPECT_EQ(last, 200);
  // A subscriber that reads but gets nothing new for longer than the stall
  // timeout is not cut off.
  absl::SleepFor(absl::Seconds(1));
  ASSERT_TRUE(Ingest("Later\n\nAfter a quiet second.").ok());
  bool got_it = false;
  while (!got_it && again->Read(&message)) {
    for (const auto& entry : message.entries()) got_it |= entry.sequence() == 201;
  }
  EXPECT_TRUE(got_it);
  again_context->TryCancel();
  again->Finish();
}

}  // namespace
}  // namespace newsdesk::ingest
