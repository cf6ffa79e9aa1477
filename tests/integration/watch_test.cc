// Standing queries with real processes: a WatchArticles stream on the query
// service sees articles ingested through the ingest service, and a watcher
// that stops reading slows neither ingest nor the other watchers.
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

// Plain text naming Zelensky, or not, made unique by `n`; `paragraphs`
// more paragraphs of about 400 bytes each.
std::string Story(int n, bool zelensky, int paragraphs = 1) {
  std::string text = absl::StrCat("Talks resume in round ", n, "\n\n",
                                  zelensky ? "Volodymyr Zelensky" : "The foreign minister",
                                  " said on Tuesday that round ", n,
                                  " of the grain talks would go on in Istanbul next week.\n\n");
  for (int i = 0; i < paragraphs; ++i) {
    absl::StrAppend(&text, "Officials in paragraph ", i,
                    " expect a statement after the meeting, and traders said shipments "
                    "through the corridor had slowed as insurers raised their rates for "
                    "vessels bound for the ports. Farmers said storage was running short "
                    "and prices at the border had fallen for a third week. Analysts said a "
                    "deal would need guarantees from both sides and from the mediators.\n\n");
  }
  return text;
}

class WatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Each query-service watcher may have 100 articles waiting, no more.
    setenv("NEWSDESK_WATCH_QUEUE", "100", 1);
    cluster_ = new TestCluster(::testing::TempDir() + "/watch_test");
    ASSERT_TRUE(cluster_->StartIngest().ok());
    ASSERT_TRUE(cluster_->StartQuery().ok());
    ASSERT_TRUE(cluster_->WaitQueryServing().ok());
    unsetenv("NEWSDESK_WATCH_QUEUE");
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // Ingests story `n`; returns its log sequence (0 on failure).
  static int64_t Ingest(int n, bool zelensky, int paragraphs = 1) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(Story(n, zelensky, paragraphs));
    request.mutable_article()->mutable_metadata()->set_source("Wire");
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    const grpc::Status status =
        cluster_->ingest_stub()->IngestArticle(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return status.ok() ? response.article().log_sequence() : 0;
  }

  static TestCluster* cluster_;
};

TestCluster* WatchTest::cluster_ = nullptr;

TEST_F(WatchTest, AWatcherOnAnEntitySeesANewArticleNamingIt) {
  v1::WatchArticlesRequest request;
  request.mutable_filter()->add_any_entities("Zelenskiy");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto reader = cluster_->query_stub()->WatchArticles(&context, request);
  // Give the stream time to register before the articles arrive; a watch
  // only sees articles indexed after it started.
  absl::SleepFor(absl::Milliseconds(500));
  const absl::Time start = absl::Now();
  ASSERT_GT(Ingest(1, /*zelensky=*/false), 0);
  const int64_t sequence = Ingest(2, /*zelensky=*/true);
  ASSERT_GT(sequence, 0);
  v1::WatchArticlesResponse response;
  ASSERT_TRUE(reader->Read(&response));
  const absl::Duration latency = absl::Now() - start;
  EXPECT_EQ(response.log_position(), sequence);  // not the other article
  ASSERT_GE(response.match().entity_matches_size(), 1);
  EXPECT_EQ(response.match().entity_matches(0).entity_id(), "person-volodymyr-zelensky");
  EXPECT_EQ(response.match().entity_matches(0).query(), "Zelenskiy");
  // Bounded generously for a loaded 2-core machine; typically milliseconds.
  EXPECT_LT(latency, absl::Seconds(10));
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  reader->Finish();
}

TEST_F(WatchTest, TheCommandLineWatchesAndSearchesWithNoneOfAndReadYourWrites) {
  const std::string cli = absl::StrCat(BinDir(), "/newsdesk --query=", cluster_->query_address());
  std::string watched;
  int watch_code = -1;
  std::thread watch([&] {
    watched = Shell(absl::StrCat(cli, " watch --entity=Zelenskiy --count=1"), &watch_code);
  });
  absl::SleepFor(absl::Milliseconds(1000));  // the watch registers first
  ASSERT_GT(Ingest(5001, /*zelensky=*/false), 0);
  const int64_t sequence = Ingest(5002, /*zelensky=*/true);
  ASSERT_GT(sequence, 0);
  watch.join();
  EXPECT_EQ(watch_code, 0) << watched;
  EXPECT_TRUE(absl::StartsWith(watched, absl::StrCat(sequence, "  "))) << watched;
  EXPECT_TRUE(absl::StrContains(watched, "Talks resume in round 5002  [person-volodymyr-zelensky as"))
      << watched;

  // Read-your-writes, and none-of: the story without Zelensky only.
  int code = -1;
  const std::string found = Shell(
      absl::StrCat(cli, " search --text=\"round 5001\" --none_entity=Zelenskiy",
                   " --min_log_position=", sequence),
      &code);
  EXPECT_EQ(code, 0) << found;
  EXPECT_TRUE(absl::StrContains(found, "1 of 1 articles")) << found;
  const std::string none = Shell(
      absl::StrCat(cli, " search --text=\"round 5002\" --none_entity=Zelenskiy"), &code);
  EXPECT_TRUE(absl::StrContains(none, "0 of 0 articles")) << none;
  Shell(absl::StrCat(cli, " search --min_log_position=-1"), &code);
  EXPECT_NE(code, 0);
}

TEST_F(WatchTest, AWatcherThatStopsReadingSlowsNeitherIngestNorOtherWatchers) {
  v1::WatchArticlesRequest every;  // every article, in full (about 10 kB each)
  every.set_view(v1::ARTICLE_VIEW_FULL);
  // The stalled watcher on a channel of its own whose flow-control window
  // stays small, so that the server soon cannot send it more.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 8192);
  auto stalled_stub = v1::QueryService::NewStub(grpc::CreateCustomChannel(
      cluster_->query_address(), grpc::InsecureChannelCredentials(), args));
  grpc::ClientContext stalled_context;
  auto stalled = stalled_stub->WatchArticles(&stalled_context, every);
  auto reading_context = std::make_unique<grpc::ClientContext>();
  auto reading = cluster_->query_stub()->WatchArticles(reading_context.get(), every);
  absl::SleepFor(absl::Milliseconds(500));

  constexpr int kArticles = 300;
  int64_t last = 0;
  absl::Duration ingest_time;
  std::thread ingest([&last, &ingest_time] {
    const absl::Time start = absl::Now();
    for (int i = 0; i < kArticles; ++i) last = Ingest(1000 + i, i % 2 == 0, 24);
    ingest_time = absl::Now() - start;
  });
  // The reading watcher gets every article in log order. Should it fall
  // behind too far (this machine is busy) it resumes as a client would,
  // after the last position it received: still no gap, no duplicate.
  int received = 0;
  int resumes = 0;
  int64_t position = 0;
  v1::WatchArticlesResponse response;
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (received < kArticles && absl::Now() < deadline) {
    if (reading->Read(&response)) {
      if (position > 0) {
        EXPECT_EQ(response.log_position(), position + 1);
      }
      position = response.log_position();
      ++received;
      continue;
    }
    const grpc::Status ended = reading->Finish();
    ASSERT_EQ(ended.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << ended.error_message();
    ASSERT_GT(position, 0);
    ++resumes;
    v1::WatchArticlesRequest resume = every;
    resume.set_start_after_log_position(position);
    reading_context = std::make_unique<grpc::ClientContext>();
    reading = cluster_->query_stub()->WatchArticles(reading_context.get(), resume);
  }
  ingest.join();
  EXPECT_EQ(received, kArticles) << resumes << " resumes";
  EXPECT_EQ(position, last);
  // Ingest went on while the stalled watcher's queue overflowed; bounded
  // generously for a loaded 2-core machine.
  EXPECT_LT(ingest_time, absl::Seconds(120));

  // The stalled watcher was cut off: what it was sent, then
  // RESOURCE_EXHAUSTED naming the position to resume from.
  int stalled_received = 0;
  while (stalled->Read(&response)) ++stalled_received;
  const grpc::Status status = stalled->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "start_after_log_position="))
      << status.error_message();
  EXPECT_LT(stalled_received, kArticles);
  reading_context->TryCancel();
  while (reading->Read(&response)) {
  }
  reading->Finish();
}

}  // namespace
}  // namespace newsdesk::testing
