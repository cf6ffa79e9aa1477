// The editable alias table with real processes: the five sample articles are
// ingested, two entities are merged through the ingest service's
// EntityAliasService, and the query service finds the articles of both by
// either id or spelling without re-ingesting anything; a query service
// restarted on its data applies the merge once; a split moves the spellings
// back; an article ingested after the merge records the table version.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "newsdesk/v1/entity_alias_service.grpc.pb.h"
#include "tests/integration/test_cluster.h"

namespace newsdesk::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kMacron[] = "person-emmanuel-macron";
constexpr char kNykyforov[] = "person-serhiy-nykyforov";  // named in one other seed

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDESK_DATA_DIR) + "/seeds/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class AliasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<TestCluster>(::testing::TempDir() + "/alias_test");
    ASSERT_TRUE(cluster_->StartIngest().ok());
    ASSERT_TRUE(cluster_->StartQuery().ok());
    ASSERT_TRUE(cluster_->WaitQueryServing().ok());
    for (const char* name :
         {"000_bc9c7e850a66cecc.txt", "001_fc00426c0e321901.txt", "002_b3046c6bb07cf1a6.txt",
          "003_a3f724cffde74e1a.txt", "004_5ae21f2a0cf7424a.txt"}) {
      ASSERT_TRUE(Ingest(ReadSeed(name)).ok()) << name;
    }
    ASSERT_TRUE(cluster_->WaitForArticleCount(5).ok());
    aliases_ = v1::EntityAliasService::NewStub(
        grpc::CreateChannel(cluster_->ingest_address(), grpc::InsecureChannelCredentials()));
  }

  absl::StatusOr<v1::Article> Ingest(const std::string& content) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_content(content);
    v1::IngestArticleResponse response;
    grpc::ClientContext context;
    grpc::Status status = cluster_->ingest_stub()->IngestArticle(&context, request, &response);
    if (!status.ok()) return absl::InternalError(status.error_message());
    return response.article();
  }

  // Ids of the articles the query service finds for `entity`.
  std::set<std::string> Find(const std::string& entity) {
    v1::FindArticlesByEntityRequest request;
    request.set_entity(entity);
    request.set_page_size(100);
    v1::FindArticlesByEntityResponse response;
    grpc::ClientContext context;
    grpc::Status status = cluster_->query_stub()->FindArticlesByEntity(&context, request, &response);
    EXPECT_TRUE(status.ok()) << entity << ": " << status.error_message();
    std::set<std::string> ids;
    for (const auto& match : response.matches()) ids.insert(match.article().article_id());
    return ids;
  }

  // The candidate with `id` of ResolveEntity(name).
  v1::EntityCandidate Resolve(const std::string& name, const std::string& id) {
    v1::ResolveEntityRequest request;
    request.set_name(name);
    v1::ResolveEntityResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(cluster_->query_stub()->ResolveEntity(&context, request, &response).ok());
    for (const v1::EntityCandidate& c : response.candidates()) {
      if (c.entity_id() == id) return c;
    }
    return v1::EntityCandidate();
  }

  // Waits until `entity` finds exactly `expected`.
  void WaitUntilFound(const std::string& entity, const std::set<std::string>& expected) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (Find(entity) != expected && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
    EXPECT_EQ(Find(entity), expected) << entity;
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<v1::EntityAliasService::Stub> aliases_;
};

TEST_F(AliasTest, MergeSurvivesARestartAndSplitsBack) {
  const std::set<std::string> macron = Find(kMacron);
  const std::set<std::string> nykyforov = Find(kNykyforov);
  ASSERT_FALSE(macron.empty());
  ASSERT_FALSE(nykyforov.empty());
  std::set<std::string> both = macron;
  both.insert(nykyforov.begin(), nykyforov.end());
  ASSERT_GT(both.size(), std::max(macron.size(), nykyforov.size()));
  const v1::EntityCandidate before = Resolve("Macron", kMacron);
  ASSERT_GT(before.spellings_size(), 0);

  v1::MergeEntitiesRequest merge;
  merge.set_source_entity_id(kMacron);
  merge.set_target_entity_id(kNykyforov);
  v1::MergeEntitiesResponse merged;
  grpc::ClientContext c1;
  grpc::Status status = aliases_->MergeEntities(&c1, merge, &merged);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(merged.change().version(), 1);

  // Either id and either name find the articles of both, without re-ingesting.
  for (const std::string name : {kMacron, kNykyforov, "Macron", "Emmanuel Macron", "Nykyforov"}) {
    WaitUntilFound(name, both);
  }
  EXPECT_EQ(Resolve("Macron", kNykyforov).article_count(), static_cast<int64_t>(both.size()));

  // An article ingested now is linked with the edited table.
  absl::StatusOr<v1::Article> later = Ingest(
      "Macron visits Berlin\n\nMarch 3, 2024\n\nEmmanuel Macron met officials in Berlin on "
      "Tuesday to discuss trade.\n");
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_THAT(later->entity_table_version(), HasSubstr(";aliases=1"));
  bool linked_to_target = false;
  for (const v1::ArticleEntity& e : later->entities()) {
    EXPECT_NE(e.entity_id(), kMacron);
    linked_to_target |= e.entity_id() == kNykyforov;
  }
  EXPECT_TRUE(linked_to_target);
  both.insert(later->article_id());
  WaitUntilFound(kMacron, both);

  // A restarted query service rebuilds from its replica: the merge applies once.
  ASSERT_TRUE(cluster_->query()->Terminate().ok());
  ASSERT_TRUE(cluster_->StartQuery().ok());
  ASSERT_TRUE(cluster_->WaitQueryServing().ok());
  EXPECT_EQ(Find(kMacron), both);
  EXPECT_EQ(Resolve(kNykyforov, kNykyforov).article_count(), static_cast<int64_t>(both.size()));

  // Split the spellings back off to the merged id: the merge is undone.
  v1::SplitEntityRequest split;
  split.set_entity_id(kNykyforov);
  for (const std::string& spelling : before.spellings()) split.add_spellings(spelling);
  split.add_spellings("Emmanuel Macron");
  split.set_new_entity_id(kMacron);
  v1::SplitEntityResponse splitted;
  grpc::ClientContext c2;
  status = aliases_->SplitEntity(&c2, split, &splitted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(splitted.change().version(), 2);
  std::set<std::string> macron_now = macron;
  macron_now.insert(later->article_id());
  WaitUntilFound(kMacron, macron_now);
  WaitUntilFound("Macron", macron_now);
  WaitUntilFound(kNykyforov, nykyforov);

  v1::ListAliasChangesRequest list;
  v1::ListAliasChangesResponse changes;
  grpc::ClientContext c3;
  ASSERT_TRUE(aliases_->ListAliasChanges(&c3, list, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 2);
  EXPECT_EQ(changes.changes(0).kind(), v1::ALIAS_CHANGE_KIND_MERGE_ENTITIES);
  EXPECT_EQ(changes.changes(1).kind(), v1::ALIAS_CHANGE_KIND_SPLIT_ENTITY);

  // The ingest service keeps the table across its own restart.
  ASSERT_TRUE(cluster_->ingest()->Terminate().ok());
  ASSERT_TRUE(cluster_->StartIngest().ok());
  aliases_ = v1::EntityAliasService::NewStub(
      grpc::CreateChannel(cluster_->ingest_address(), grpc::InsecureChannelCredentials()));
  v1::GetAliasTableRequest get;
  get.set_entity_id(kMacron);
  v1::GetAliasTableResponse table;
  grpc::ClientContext c4;
  c4.set_wait_for_ready(true);
  c4.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  status = aliases_->GetAliasTable(&c4, get, &table);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(table.table_version(), 2);
  EXPECT_EQ(table.entity_id(), kMacron);
}

}  // namespace
}  // namespace newsdesk::testing
