// The cluster backend with real processes on loopback: three nats-server
// processes forming a JetStream cluster (stream R3), two ingest replicas and
// two query replicas, all with --log_backend=jetstream. While clients ingest
// through both ingest replicas (a failed call is retried on the other
// replica), one NATS server, one ingest replica and one query replica are
// killed with SIGKILL and started again, and one NATS server is frozen
// (SIGSTOP) for a while, as if cut off. Afterwards every acknowledged
// article is on both query replicas exactly once, at the same log position
// on each, and nothing else is there. Skipped without nats-server.
//
// NEWSDESK_CLUSTER_FULL_RESTART=1 adds a last step: all NATS servers stopped
// and restarted together, then a new query replica rebuilt from the stream
// alone must have the same log. It is off by default because nats-server
// 2.9.10 fails it now and then: after a full restart it can elect a stream
// leader whose copy lacks the last acknowledged entries that the other two
// servers hold (docs/DEPLOY.md), which no client can repair.
//
// NEWSDESK_CLUSTER_ROUNDS repeats the fault sequence (1 by default):
//   NEWSDESK_CLUSTER_ROUNDS=20 build/bin/integration_test
//   --gtest_filter='JetStreamCluster*'
#include "tests/integration/jetstream_cluster.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/nats_cluster.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsdesk/v1/entity_alias_service.grpc.pb.h"
#include "newsdesk/v1/ingest_service.grpc.pb.h"
#include "newsdesk/v1/query_service.grpc.pb.h"

namespace newsdesk::testing {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

TEST(JetStreamClusterTest, KillNineAndFrozenServerLoseNothingAndDuplicateNothing) {
  if (NatsServerBinary().empty()) GTEST_SKIP() << "nats-server is not installed";
  const std::string work_dir =
      absl::StrCat(::testing::TempDir(), "/jetstream_cluster-", getpid());
  std::filesystem::remove_all(work_dir);
  NatsCluster nats(work_dir + "/nats", 3);
  ASSERT_TRUE(nats.Start().ok());
  ClusterReplicas replicas(work_dir, nats.urls(), std::vector<ServiceNode>(2),
                           std::vector<ServiceNode>(3));
  ASSERT_TRUE(replicas.StartIngest(0).ok());
  ASSERT_TRUE(replicas.StartIngest(1).ok());
  ASSERT_TRUE(replicas.StartQuery(0).ok());
  ASSERT_TRUE(replicas.StartQuery(1).ok());

  ClusterLoad load(&replicas);
  load.Start(4);
  load.WaitForMore(30);
  const int rounds = EnvInt("NEWSDESK_CLUSTER_ROUNDS", 1);
  for (int round = 0; round < rounds && !::testing::Test::HasFailure(); ++round) {
    const int server = round % 3;
    std::cout << "round " << round << ": kill -9 NATS server " << server << std::endl;
    nats.Kill(server);
    load.WaitForMore(30);  // two of three servers keep the stream writable
    ASSERT_TRUE(nats.StartServer(server).ok());

    std::cout << "round " << round << ": kill -9 ingest and query replica" << std::endl;
    replicas.KillIngest(round % 2);
    replicas.KillQuery(round % 2);
    load.WaitForMore(30);
    ASSERT_TRUE(replicas.StartIngest(round % 2).ok());
    ASSERT_TRUE(replicas.StartQuery(round % 2).ok());
    load.WaitForMore(20);

    const int frozen = (server + 1) % 3;
    std::cout << "round " << round << ": NATS server " << frozen << " frozen"
              << std::endl;
    nats.Pause(frozen);
    load.WaitForMore(20);
    absl::SleepFor(absl::Seconds(2));
    nats.Resume(frozen);
    load.WaitForMore(20);
  }
  load.Stop();
  const std::map<std::string, int64_t> acked = load.acked();
  std::cout << acked.size() << " articles acknowledged, " << load.attempted()
            << " attempted, " << load.failed_calls() << " failed calls retried"
            << std::endl;

  std::map<int64_t, std::string> first;
  for (int q = 0; q < 2; ++q) {
    const absl::Status caught_up =
        WaitForArticleCount(replicas.query_address(q), acked.size());
    ASSERT_TRUE(caught_up.ok()) << "query " << q << ": " << caught_up << "\n"
                                << replicas.query_log_tail(q);
    auto all = AllArticlesBySequence(replicas.query_address(q));
    ASSERT_TRUE(all.ok()) << all.status();
    std::set<std::string> ids;
    for (const auto& [sequence, id] : *all) {
      EXPECT_TRUE(ids.insert(id).second) << "query " << q << ": " << id << " twice";
    }
    // Nothing but acknowledged articles: every call was retried until
    // acknowledged, so an article stored without an acknowledgement would
    // show up here as a second copy or an unknown id.
    EXPECT_EQ(all->size(), acked.size()) << "query " << q;
    std::map<std::string, int64_t> where;  // id -> sequence on this replica
    for (const auto& [sequence, id] : *all) where[id] = sequence;
    int misplaced = 0;
    for (const auto& [id, sequence] : acked) {
      auto it = where.find(id);
      if (it != where.end() && it->second == sequence) continue;
      if (++misplaced <= 5) {
        ADD_FAILURE() << "query " << q << ": " << id << " acknowledged at sequence "
                      << sequence << " but found at "
                      << (it == where.end() ? std::string("none")
                                            : std::to_string(it->second));
      }
    }
    EXPECT_EQ(misplaced, 0) << "query " << q;
    EXPECT_EQ(all->begin()->first, 1);
    EXPECT_EQ(all->rbegin()->first, static_cast<int64_t>(all->size()));
    if (q == 0) {
      first = *all;
    } else {
      EXPECT_TRUE(*all == first) << "the replicas differ";
    }
  }

  // Read-your-writes: a query with the ingest's log position sees it on the
  // other replica at once.
  auto ingest = v1::IngestService::NewStub(grpc::CreateChannel(
      replicas.ingest_address(1), grpc::InsecureChannelCredentials()));
  v1::IngestArticleRequest request;
  request.mutable_article()->set_content(ClusterArticleText(1000000));
  v1::IngestArticleResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(ingest->IngestArticle(&context, request, &response).ok());
  auto query = v1::QueryService::NewStub(
      grpc::CreateChannel(replicas.query_address(0), grpc::InsecureChannelCredentials()));
  v1::SearchArticlesRequest search;
  search.set_page_size(1);
  search.set_min_log_position(response.article().log_sequence());
  v1::SearchArticlesResponse found;
  grpc::ClientContext search_context;
  ASSERT_TRUE(query->SearchArticles(&search_context, search, &found).ok());
  EXPECT_EQ(found.total_size(), response.article().log_sequence());

  if (EnvInt("NEWSDESK_CLUSTER_FULL_RESTART", 0) == 0) return;
  // The whole NATS cluster stopped and started again: a new query replica
  // built from the stream alone has the whole log.
  for (int i = 0; i < 3; ++i) nats.Stop(i);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(nats.StartServer(i).ok());
  ASSERT_TRUE(replicas.StartQuery(2).ok());
  const absl::Status rebuilt_count =
      WaitForArticleCount(replicas.query_address(2), acked.size() + 1);
  ASSERT_TRUE(rebuilt_count.ok()) << rebuilt_count << "\n" << replicas.query_log_tail(2);
  auto rebuilt = AllArticlesBySequence(replicas.query_address(2));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  first.emplace(response.article().log_sequence(), response.article().article_id());
  EXPECT_TRUE(*rebuilt == first) << "the rebuilt replica differs";
}

// The alias table edited through both ingest replicas of one JetStream log:
// the versions form one line, the query replica applies each edit to the
// articles it holds, and an article ingested on the replica that did not
// make an edit is linked with it once that replica has read it (within
// --alias refresh interval, 2 s).
TEST(JetStreamAliasTest, BothIngestReplicasEditOneTable) {
  if (NatsServerBinary().empty()) GTEST_SKIP() << "nats-server is not installed";
  const std::string work_dir = absl::StrCat(::testing::TempDir(), "/jetstream_alias-", getpid());
  std::filesystem::remove_all(work_dir);
  NatsCluster nats(work_dir + "/nats", 3);
  ASSERT_TRUE(nats.Start().ok());
  ClusterReplicas replicas(work_dir, nats.urls(), std::vector<ServiceNode>(2),
                           std::vector<ServiceNode>(1));
  ASSERT_TRUE(replicas.StartIngest(0).ok());
  ASSERT_TRUE(replicas.StartIngest(1).ok());
  ASSERT_TRUE(replicas.StartQuery(0).ok());
  auto channel = [](const std::string& address) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  };
  auto ingest0 = v1::IngestService::NewStub(channel(replicas.ingest_address(0)));
  auto aliases0 = v1::EntityAliasService::NewStub(channel(replicas.ingest_address(0)));
  auto aliases1 = v1::EntityAliasService::NewStub(channel(replicas.ingest_address(1)));
  auto query = v1::QueryService::NewStub(channel(replicas.query_address(0)));
  auto ingest = [&](const std::string& content) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    const grpc::Status status = ingest0->IngestArticle(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.article();
  };
  auto add_alias = [](v1::EntityAliasService::Stub* stub, const std::string& spelling,
                      const std::string& id) {
    v1::AddAliasRequest request;
    request.set_spelling(spelling);
    request.set_entity_id(id);
    v1::AddAliasResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->AddAlias(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.change().version();
  };
  auto found = [&](const std::string& entity) {
    v1::FindArticlesByEntityRequest request;
    request.set_entity(entity);
    v1::FindArticlesByEntityResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(query->FindArticlesByEntity(&context, request, &response).ok());
    std::set<std::string> ids;
    for (const auto& match : response.matches()) ids.insert(match.article().article_id());
    return ids;
  };

  const v1::Article first = ingest(
      "Talks in Ankara\n\nMarch 3, 2024\n\nRecep Tayyip Erdogan met envoys in Ankara on "
      "Tuesday to discuss grain exports.\n");
  std::string erdogan;
  for (const v1::ArticleEntity& e : first.entities()) {
    if (absl::StrContains(e.entity_id(), "erdogan")) erdogan = e.entity_id();
  }
  ASSERT_FALSE(erdogan.empty()) << first.DebugString();

  // Edits on replica 1, then on replica 0 (which has not read the first
  // one), then on 1 again: versions 1, 2, 3.
  EXPECT_EQ(add_alias(aliases1.get(), "The Reis", erdogan), 1);
  EXPECT_EQ(add_alias(aliases0.get(), "Sultan of Ankara", erdogan), 2);
  EXPECT_EQ(add_alias(aliases1.get(), "RTE", erdogan), 3);

  // The query replica resolves the new spellings to the indexed article.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (found("The Reis").count(first.article_id()) == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(found("The Reis"), std::set<std::string>{first.article_id()});
  EXPECT_EQ(found("RTE"), std::set<std::string>{first.article_id()});

  // Replica 0 links with version 3 (made on replica 1) once it has read it.
  std::string linked_version;
  for (int n = 0; n < 100 && !absl::StrContains(linked_version, ";aliases=3"); ++n) {
    linked_version =
        ingest(absl::StrCat("Visit ", n, "\n\nMarch 4, 2024\n\nRecep Tayyip Erdogan visited "
                            "Izmir on Wednesday, visit number ", n, ".\n"))
            .entity_table_version();
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(linked_version, ::testing::HasSubstr(";aliases=3"));
  std::filesystem::remove_all(work_dir);
}

}  // namespace
}  // namespace newsdesk::testing
