// The EntityAliasService adapter over a real gRPC server on an in-process
// channel, with the real alias editor and store; the ArticleLogService shows
// the changes reaching the log.
#include "ingest_service/grpc/entity_alias_service_impl.h"

#include <grpcpp/grpcpp.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "ingest_service/grpc/article_log_service_impl.h"
#include "ingest_service/store/rocksdb_article_store.h"

namespace newsdesk::ingest {
namespace {

using ::testing::ElementsAre;

constexpr char kTable[] =
    "person-volodymyr-zelensky\tperson\tVolodymyr Zelensky\tZelensky\t\n"
    "person-yevgeny-prigozhin\tperson\tYevgeny Prigozhin\tPrigozhin\t\n";

// The field of the BadRequest violation `status` carries; "" when none.
std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest bad_request;
  if (!details.ParseFromString(status.error_details()) || details.details_size() != 1 ||
      !details.details(0).UnpackTo(&bad_request) || bad_request.field_violations_size() != 1) {
    return "";
  }
  return bad_request.field_violations(0).field();
}

class EntityAliasServiceImplTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("alias_grpc_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    store_ = *RocksDbArticleStore::Open(options);
    lexicon_ = *entities::EntityLexicon::LoadFromStrings(kTable, "");
    table_ = std::make_unique<entities::AliasTable>(lexicon_.get());
    editor_ = *AliasEditor::Create(table_.get(), store_.get(), nullptr);
    alias_service_ = std::make_unique<EntityAliasServiceImpl>(editor_.get());
    ArticleLogServiceOptions log_options;
    log_options.heartbeat_interval = absl::Milliseconds(50);
    log_service_ = std::make_unique<ArticleLogServiceImpl>(log_options, store_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(alias_service_.get());
    builder.RegisterService(log_service_.get());
    server_ = builder.BuildAndStart();
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    aliases_ = v1::EntityAliasService::NewStub(channel);
    log_ = v1::ArticleLogService::NewStub(channel);
  }
  void TearDown() override {
    log_service_->Stop();
    server_->Shutdown();
    editor_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<RocksDbArticleStore> store_;
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  std::unique_ptr<entities::AliasTable> table_;
  std::unique_ptr<AliasEditor> editor_;
  std::unique_ptr<EntityAliasServiceImpl> alias_service_;
  std::unique_ptr<ArticleLogServiceImpl> log_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::EntityAliasService::Stub> aliases_;
  std::unique_ptr<v1::ArticleLogService::Stub> log_;
};

TEST_F(EntityAliasServiceImplTest, EditsAreAnsweredStoredAndLogged) {
  v1::MergeEntitiesRequest merge;
  merge.set_source_entity_id("person-yevgeny-prigozhin");
  merge.set_target_entity_id("person-volodymyr-zelensky");
  v1::MergeEntitiesResponse merged;
  grpc::ClientContext c1;
  ASSERT_TRUE(aliases_->MergeEntities(&c1, merge, &merged).ok());
  EXPECT_EQ(merged.change().version(), 1);
  EXPECT_EQ(merged.change().kind(), v1::ALIAS_CHANGE_KIND_MERGE_ENTITIES);
  EXPECT_EQ(merged.change().display_name(), "Volodymyr Zelensky");
  EXPECT_TRUE(merged.change().has_change_time());

  v1::AddAliasRequest add;
  add.set_spelling("Wagner");
  add.set_new_entity_display_name("Wagner Group");
  add.set_new_entity_type(v1::ENTITY_TYPE_ORGANIZATION);
  v1::AddAliasResponse added;
  grpc::ClientContext c2;
  ASSERT_TRUE(aliases_->AddAlias(&c2, add, &added).ok());
  EXPECT_EQ(added.change().entity_id(), "org-wagner-group");
  EXPECT_TRUE(added.change().created());

  v1::GetAliasTableRequest get;
  get.set_entity_id("person-yevgeny-prigozhin");
  v1::GetAliasTableResponse table;
  grpc::ClientContext c3;
  ASSERT_TRUE(aliases_->GetAliasTable(&c3, get, &table).ok());
  EXPECT_EQ(table.table_version(), 2);
  EXPECT_EQ(table.entity_id(), "person-volodymyr-zelensky");
  EXPECT_THAT(table.merged_entity_ids(), ElementsAre("person-yevgeny-prigozhin"));
  EXPECT_THAT(table.aliases(), ElementsAre("Volodymyr Zelensky", "Zelensky"));

  v1::ListAliasChangesRequest list;
  v1::ListAliasChangesResponse changes;
  grpc::ClientContext c4;
  ASSERT_TRUE(aliases_->ListAliasChanges(&c4, list, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 2);
  EXPECT_EQ(changes.table_version(), 2);

  v1::SubscribeArticlesRequest subscribe;
  grpc::ClientContext c5;
  auto reader = log_->SubscribeArticles(&c5, subscribe);
  v1::SubscribeArticlesResponse batch;
  ASSERT_TRUE(reader->Read(&batch));
  ASSERT_EQ(batch.entries_size(), 2);
  EXPECT_EQ(batch.entries(0).sequence(), 1);
  EXPECT_FALSE(batch.entries(0).has_article());
  EXPECT_EQ(batch.entries(0).alias_change().source_entity_id(), "person-yevgeny-prigozhin");
  EXPECT_EQ(batch.entries(1).alias_change().entity_id(), "org-wagner-group");
  c5.TryCancel();
}

TEST_F(EntityAliasServiceImplTest, BadEditsMapToCodesWithFieldViolations) {
  v1::AddAliasRequest add;
  add.set_spelling(std::string(300, 'x'));
  add.set_entity_id("person-volodymyr-zelensky");
  v1::AddAliasResponse added;
  grpc::ClientContext c1;
  grpc::Status status = aliases_->AddAlias(&c1, add, &added);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "spelling");

  v1::MergeEntitiesRequest merge;
  merge.set_source_entity_id("person-volodymyr-zelensky");
  merge.set_target_entity_id("person-volodymyr-zelensky");
  v1::MergeEntitiesResponse merged;
  grpc::ClientContext c2;
  status = aliases_->MergeEntities(&c2, merge, &merged);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "target_entity_id");

  v1::SplitEntityRequest split;
  split.set_entity_id("person-nobody-known");
  split.add_spellings("Nobody");
  v1::SplitEntityResponse splitted;
  grpc::ClientContext c3;
  status = aliases_->SplitEntity(&c3, split, &splitted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("person-nobody-known"), std::string::npos);

  v1::RemoveAliasRequest remove;
  remove.set_spelling("Prigozhin");
  remove.set_entity_id("person-volodymyr-zelensky");
  v1::RemoveAliasResponse removed;
  grpc::ClientContext c4;
  EXPECT_EQ(aliases_->RemoveAlias(&c4, remove, &removed).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListAliasChangesRequest list;
  list.set_page_size(-1);
  v1::ListAliasChangesResponse changes;
  grpc::ClientContext c5;
  EXPECT_EQ(aliases_->ListAliasChanges(&c5, list, &changes).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(store_->HeadSequence(), 0);
}

}  // namespace
}  // namespace newsdesk::ingest
