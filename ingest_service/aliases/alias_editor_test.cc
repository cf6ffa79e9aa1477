#include "ingest_service/aliases/alias_editor.h"

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/store/rocksdb_article_store.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kTable[] =
    "person-volodymyr-zelensky\tperson\tVolodymyr Zelensky\tZelensky\t\n"
    "person-yevgeny-prigozhin\tperson\tYevgeny Prigozhin\tPrigozhin\t\n"
    "location-kyiv\tlocation\tKyiv\tKiev\t\n";

class AliasEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("alias_editor_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    lexicon_ = *entities::EntityLexicon::LoadFromStrings(kTable, "");
    Reopen();
  }
  void TearDown() override {
    editor_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Opens the store and the editor again, as a restart does.
  void Reopen() {
    editor_.reset();
    store_.reset();
    RocksDbArticleStoreOptions options;
    options.path = dir_.string();
    options.clock = &clock_;
    store_ = *RocksDbArticleStore::Open(options);
    table_ = std::make_unique<entities::AliasTable>(lexicon_.get());
    auto editor = AliasEditor::Create(table_.get(), store_.get(), &clock_);
    ASSERT_THAT(editor, IsOk());
    editor_ = *std::move(editor);
  }

  std::filesystem::path dir_;
  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  std::unique_ptr<RocksDbArticleStore> store_;
  std::unique_ptr<entities::AliasTable> table_;
  std::unique_ptr<AliasEditor> editor_;
};

TEST_F(AliasEditorTest, ChangesGetVersionsTimesAndLogSequences) {
  Article article;
  article.id = "a1";
  ASSERT_THAT(store_->Put(article), IsOk());
  auto merge = editor_->Merge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"});
  ASSERT_THAT(merge, IsOk());
  EXPECT_EQ(merge->version, 1);
  EXPECT_EQ(merge->change_time, absl::FromUnixSeconds(1700000000));
  auto add = editor_->AddAlias({"Volodya", "person-volodymyr-zelensky", "",
                                EntityType::kUnspecified});
  ASSERT_THAT(add, IsOk());
  EXPECT_EQ(add->version, 2);
  EXPECT_EQ(table_->version(), 2);

  auto log = store_->ReadFrom(1, 10);
  ASSERT_THAT(log, IsOk());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_TRUE((*log)[0].article.has_value());
  ASSERT_TRUE((*log)[1].alias_change.has_value());
  EXPECT_EQ(*(*log)[1].alias_change, *merge);
  EXPECT_EQ(*(*log)[2].alias_change, *add);
}

TEST_F(AliasEditorTest, ARejectedEditStoresNothing) {
  EXPECT_THAT(editor_->Merge({"location-kyiv", "location-kyiv"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(editor_->Split({"person-nobody", {"x"}, "", ""}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store_->HeadSequence(), 0);
  EXPECT_EQ(table_->version(), 0);
  auto page = editor_->ListChanges(0, "", "");
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->changes, IsEmpty());
}

TEST_F(AliasEditorTest, TheTableSurvivesARestart) {
  ASSERT_THAT(editor_->Merge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}), IsOk());
  ASSERT_THAT(editor_->RemoveAlias({"Kiev", "location-kyiv"}), IsOk());
  Reopen();
  EXPECT_EQ(table_->version(), 2);
  EXPECT_EQ(table_->Canonical("person-yevgeny-prigozhin"), "person-volodymyr-zelensky");
  EXPECT_EQ(table_->Lookup("Kiev"), "");
  auto next = editor_->Split({"person-volodymyr-zelensky", {"Prigozhin"},
                              "person-yevgeny-prigozhin", ""});
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->version, 3);
  EXPECT_EQ(store_->HeadSequence(), 3);
}

TEST_F(AliasEditorTest, ListsChangesInPagesAndByEntity) {
  ASSERT_THAT(editor_->AddAlias({"Volodya", "person-volodymyr-zelensky", "",
                                 EntityType::kUnspecified}),
              IsOk());
  ASSERT_THAT(editor_->RemoveAlias({"Kiev", "location-kyiv"}), IsOk());
  ASSERT_THAT(editor_->Merge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}), IsOk());

  auto first = editor_->ListChanges(2, "", "");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->table_version, 3);
  ASSERT_EQ(first->changes.size(), 2u);
  EXPECT_EQ(first->changes[0].version, 1);
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = editor_->ListChanges(2, first->next_page_token, "");
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->changes.size(), 1u);
  EXPECT_EQ(second->changes[0].version, 3);
  EXPECT_TRUE(second->next_page_token.empty());

  auto about = editor_->ListChanges(0, "", "person-volodymyr-zelensky");
  ASSERT_THAT(about, IsOk());
  std::vector<int64_t> versions;
  for (const AliasChange& c : about->changes) versions.push_back(c.version);
  EXPECT_THAT(versions, ElementsAre(1, 3));

  EXPECT_THAT(editor_->ListChanges(-1, "", ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(editor_->ListChanges(0, "garbage", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Another writer shares the store: before each of the first `races`
// appends it stores a change of its own with the version the editor asked
// for, and the editor's append is refused as a shared JetStream log refuses
// it.
class RacingStore : public AliasChangeStore {
 public:
  RacingStore(AliasChangeStore* inner, int races) : inner_(inner), races_(races) {}

  absl::StatusOr<int64_t> AppendAliasChange(const AliasChange& change) override {
    if (races_ == 0) return inner_->AppendAliasChange(change);
    --races_;
    AliasChange theirs;
    theirs.version = change.version;
    theirs.kind = AliasChangeKind::kAddAlias;
    theirs.entity_id = "location-kyiv";
    theirs.spellings = {absl::StrCat("Kyiv spelling ", change.version)};
    RETURN_IF_ERROR(inner_->AppendAliasChange(theirs).status());
    return absl::AbortedError("another writer stored this version first");
  }
  absl::StatusOr<std::vector<AliasChange>> ReadAliasChanges(
      int64_t after_version) const override {
    return inner_->ReadAliasChanges(after_version);
  }

 private:
  AliasChangeStore* const inner_;
  int races_;
};

TEST_F(AliasEditorTest, AnEditThatLosesARacePreparesAgainOnTheNewerTable) {
  RacingStore racing(store_.get(), 1);
  entities::AliasTable table(lexicon_.get());
  auto editor = AliasEditor::Create(&table, &racing, &clock_);
  ASSERT_THAT(editor, IsOk());
  auto add = (*editor)->AddAlias({"Volodya", "person-volodymyr-zelensky", "",
                                  EntityType::kUnspecified});
  ASSERT_THAT(add, IsOk());
  EXPECT_EQ(add->version, 2);  // after the other writer's version 1
  EXPECT_EQ(table.version(), 2);
  EXPECT_EQ(table.Lookup("Kyiv spelling 1"), "location-kyiv");
  EXPECT_EQ(table.Lookup("Volodya"), "person-volodymyr-zelensky");

  // Losing every attempt is ABORTED, and nothing of this editor's is stored.
  RacingStore always(store_.get(), 100);
  entities::AliasTable other_table(lexicon_.get());
  auto loser = AliasEditor::Create(&other_table, &always, &clock_);
  ASSERT_THAT(loser, IsOk());
  EXPECT_THAT((*loser)->RemoveAlias({"Kiev", "location-kyiv"}),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(other_table.Lookup("Kiev"), "location-kyiv");
  auto stored = store_->ReadAliasChanges(0);
  ASSERT_THAT(stored, IsOk());
  ASSERT_EQ(stored->size(), 5u);  // 2 above, and the other writer's 3 to 5
  for (const AliasChange& change : *stored) {
    EXPECT_NE(change.kind, AliasChangeKind::kRemoveAlias);
  }
}

TEST_F(AliasEditorTest, RefreshTakesInChangesStoredByAnotherWriter) {
  entities::AliasTable other_table(lexicon_.get());
  auto other = AliasEditor::Create(&other_table, store_.get(), &clock_);
  ASSERT_THAT(other, IsOk());
  ASSERT_THAT((*other)->RemoveAlias({"Kiev", "location-kyiv"}), IsOk());
  EXPECT_EQ(table_->Lookup("Kiev"), "location-kyiv");  // not yet
  ASSERT_THAT(editor_->Refresh(), IsOk());
  EXPECT_EQ(table_->version(), 1);
  EXPECT_EQ(table_->Lookup("Kiev"), "");
  auto page = editor_->ListChanges(0, "", "");
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->changes.size(), 1u);
}

}  // namespace
}  // namespace newsdesk::ingest
