// JetStreamArticleLogClient against a real single nats-server with
// JetStream on a free loopback port; articles are published the way the
// ingest service's JetStream store does. Skipped without nats-server.
#include "query_service/follower/jetstream_article_log_client.h"

#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/testing/nats_cluster.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::NatsCluster;
using ::newsdesk::testing::StatusIs;

class JetStreamArticleLogClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::NatsServerBinary().empty())
      GTEST_SKIP() << "nats-server is not installed";
    nats_ = std::make_unique<NatsCluster>(
        absl::StrCat(::testing::TempDir(), "/jetstream_client_", getpid(), "_",
                     ::testing::UnitTest::GetInstance()->current_test_info()->name()),
        1);
    ASSERT_THAT(nats_->Start(), IsOk());
    jetstream::JetStreamOptions options = StreamOptions();
    auto publisher = jetstream::JetStreamConnection::Connect(options);
    ASSERT_THAT(publisher, IsOk());
    publisher_ = *std::move(publisher);
    ASSERT_THAT(publisher_->EnsureStream(), IsOk());
  }

  jetstream::JetStreamOptions StreamOptions() {
    jetstream::JetStreamOptions options;
    options.servers = {nats_->url(0)};
    options.replicas = 1;
    return options;
  }

  JetStreamArticleLogClientOptions ClientOptions(const std::string& consumer) {
    JetStreamArticleLogClientOptions options;
    options.jetstream = StreamOptions();
    options.consumer = consumer;
    options.max_batch_size = 2;
    options.fetch_wait = absl::Milliseconds(100);
    return options;
  }

  void Publish(int first, int last) {
    for (int i = first; i <= last; ++i) {
      Article article;
      article.id = absl::StrCat("id", i);
      article.title = absl::StrCat("Article ", i);
      const std::string payload =
          jetstream::EncodeLogPayload(LogEntry{0, article, std::nullopt});
      jsPubAck* ack = nullptr;
      jsErrCode code;
      ASSERT_EQ(
          js_Publish(&ack, publisher_->context(),
                     absl::StrCat("newsdesk.articles.", article.id).c_str(),
                     payload.data(), static_cast<int>(payload.size()), nullptr, &code),
          NATS_OK);
      jsPubAck_Destroy(ack);
    }
  }

  // Follows from `start` until an empty batch (heartbeat) reports that
  // everything up to the head was received; returns the sequences seen.
  std::vector<int64_t> FollowToHead(JetStreamArticleLogClient* client, int64_t start,
                                    int64_t* head_seen) {
    std::vector<int64_t> seen;
    absl::Status status = client->Follow(
        start, [&](std::vector<LogEntry> entries, int64_t head) -> absl::Status {
          for (const LogEntry& e : entries) {
            EXPECT_TRUE(e.article.has_value());
            if (!e.article) continue;
            EXPECT_EQ(e.article->id, absl::StrCat("id", e.sequence));
            EXPECT_EQ(e.article->log_sequence, e.sequence);
            seen.push_back(e.sequence);
          }
          *head_seen = head;
          if (entries.empty()) return absl::CancelledError("at the head");
          return absl::OkStatus();
        });
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
    return seen;
  }

  std::unique_ptr<NatsCluster> nats_;
  std::unique_ptr<jetstream::JetStreamConnection> publisher_;
};

TEST_F(JetStreamArticleLogClientTest, DeliversTheLogInOrderThenHeartbeats) {
  Publish(1, 5);
  auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
  ASSERT_THAT(client, IsOk());
  int64_t head = -1;
  EXPECT_THAT(FollowToHead(client->get(), 1, &head),
              ::testing::ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(head, 5);
}

TEST_F(JetStreamArticleLogClientTest, DeliversTopicUpdatesAsTheirOwnEntries) {
  Publish(1, 2);
  const TopicUpdate update{"id1", {ArticleTopic{"medtop:15000000", "sport", 0.5, false}},
                           "release-b"};
  auto subject = jetstream::TopicUpdateSubject(StreamOptions(), "id1");
  ASSERT_THAT(subject, IsOk());
  EXPECT_EQ(*subject, "newsdesk.articles.topics-id1");
  const std::string payload = jetstream::EncodeLogPayload(LogEntry{0, std::nullopt, update});
  jsPubAck* ack = nullptr;
  jsErrCode code;
  ASSERT_EQ(js_Publish(&ack, publisher_->context(), subject->c_str(), payload.data(),
                       static_cast<int>(payload.size()), nullptr, &code),
            NATS_OK);
  jsPubAck_Destroy(ack);

  auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-u"));
  ASSERT_THAT(client, IsOk());
  std::vector<LogEntry> seen;
  absl::Status status = (*client)->Follow(
      1, [&](std::vector<LogEntry> entries, int64_t head) -> absl::Status {
        for (LogEntry& e : entries) seen.push_back(std::move(e));
        if (entries.empty() && !seen.empty()) return absl::CancelledError("at the head");
        return absl::OkStatus();
      });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_TRUE(seen[1].article.has_value());
  EXPECT_EQ(seen[2].sequence, 3);
  EXPECT_FALSE(seen[2].article.has_value());
  ASSERT_TRUE(seen[2].topic_update.has_value());
  EXPECT_EQ(*seen[2].topic_update, update);
}

TEST_F(JetStreamArticleLogClientTest,
       ResumesWhereTheReplicaStoppedWithItsDurableConsumer) {
  Publish(1, 3);
  {
    auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
    ASSERT_THAT(client, IsOk());
    int64_t head = 0;
    EXPECT_THAT(FollowToHead(client->get(), 1, &head), ::testing::ElementsAre(1, 2, 3));
  }
  jsConsumerInfo* before = nullptr;
  jsErrCode code;
  ASSERT_EQ(js_GetConsumerInfo(&before, publisher_->context(), "NEWSDESK_ARTICLES",
                               "replica-a", nullptr, &code),
            NATS_OK);
  EXPECT_EQ(before->AckFloor.Stream, 3u);
  const int64_t created = before->Created;
  jsConsumerInfo_Destroy(before);

  Publish(4, 6);
  // A restarted replica with entries 1..3 resumes on the same consumer.
  auto restarted = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
  ASSERT_THAT(restarted, IsOk());
  int64_t head = 0;
  EXPECT_THAT(FollowToHead(restarted->get(), 4, &head), ::testing::ElementsAre(4, 5, 6));
  jsConsumerInfo* after = nullptr;
  ASSERT_EQ(js_GetConsumerInfo(&after, publisher_->context(), "NEWSDESK_ARTICLES",
                               "replica-a", nullptr, &code),
            NATS_OK);
  EXPECT_EQ(after->Created, created);
  jsConsumerInfo_Destroy(after);

  // A replica that lost its tail asks for less than the consumer acked: it
  // gets it again.
  EXPECT_THAT(FollowToHead(restarted->get(), 2, &head),
              ::testing::ElementsAre(2, 3, 4, 5, 6));
}

TEST_F(JetStreamArticleLogClientTest, AStreamShorterThanTheReplicaIsDataLoss) {
  Publish(1, 3);
  auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
  ASSERT_THAT(client, IsOk());
  bool called = false;
  EXPECT_THAT((*client)->Follow(10,
                                [&](std::vector<LogEntry>, int64_t) {
                                  called = true;
                                  return absl::OkStatus();
                                }),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_FALSE(called);
}

// A consumer that stops delivering while the stream has more (here it is
// deleted under the subscription) ends the Follow; the next one re-creates
// it and goes on.
TEST_F(JetStreamArticleLogClientTest, AConsumerThatStopsDeliveringIsRecreated) {
  Publish(1, 2);
  JetStreamArticleLogClientOptions options = ClientOptions("replica-a");
  options.stall_timeout = absl::Milliseconds(300);
  auto client = JetStreamArticleLogClient::Create(options);
  ASSERT_THAT(client, IsOk());
  int64_t applied = 0;
  absl::Status ended = (*client)->Follow(
      1, [&](std::vector<LogEntry> entries, int64_t) -> absl::Status {
        if (!entries.empty()) applied = entries.back().sequence;
        if (applied == 2 && entries.size() > 0) {
          jsErrCode code;
          EXPECT_EQ(js_DeleteConsumer(publisher_->context(), "NEWSDESK_ARTICLES", "replica-a",
                                      nullptr, &code),
                    NATS_OK);
          Publish(3, 4);
        }
        return absl::OkStatus();
      });
  EXPECT_FALSE(ended.ok());
  EXPECT_NE(ended.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(applied, 2);
  int64_t head = -1;
  EXPECT_THAT(FollowToHead(client->get(), 3, &head), ::testing::ElementsAre(3, 4));
}

TEST_F(JetStreamArticleLogClientTest, CancelEndsAFollowInProgress) {
  auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
  ASSERT_THAT(client, IsOk());
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(300));
    (*client)->Cancel();
  });
  const absl::Time start = absl::Now();
  absl::Status status = (*client)->Follow(
      1, [](std::vector<LogEntry>, int64_t) { return absl::OkStatus(); });
  canceller.join();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_FALSE(
      (*client)
          ->Follow(1, [](std::vector<LogEntry>, int64_t) { return absl::OkStatus(); })
          .ok());
}

TEST_F(JetStreamArticleLogClientTest, AMissingStreamIsUnavailableUntilItExists) {
  jsErrCode code;
  ASSERT_EQ(js_DeleteStream(publisher_->context(), "NEWSDESK_ARTICLES", nullptr, &code), NATS_OK);
  auto client = JetStreamArticleLogClient::Create(ClientOptions("replica-a"));
  ASSERT_THAT(client, IsOk());
  EXPECT_THAT((*client)->Follow(1, [](std::vector<LogEntry>, int64_t) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::HasSubstr("does not exist")));
}

TEST(JetStreamArticleLogClientCreateTest, RejectsBadConsumerNames) {
  JetStreamArticleLogClientOptions options;
  options.jetstream.servers = {"nats://127.0.0.1:4222"};
  options.consumer = "bad.name";
  EXPECT_THAT(JetStreamArticleLogClient::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.consumer = "";
  EXPECT_THAT(JetStreamArticleLogClient::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DefaultConsumerNameTest, StablePerDirectoryAndDistinctAcrossDirectories) {
  EXPECT_EQ(DefaultConsumerName("/tmp/a"), DefaultConsumerName("/tmp/a"));
  EXPECT_NE(DefaultConsumerName("/tmp/a"), DefaultConsumerName("/tmp/b"));
  EXPECT_THAT(DefaultConsumerName("/tmp/a"), ::testing::StartsWith("newsdesk-query-"));
  EXPECT_THAT(DefaultConsumerName("/tmp/a"), ::testing::MatchesRegex("[A-Za-z0-9_-]+"));
}

}  // namespace
}  // namespace newsdesk::query
