#include "common/entities/alias_table.h"

#include <memory>
#include <string>

#include "common/status/field_error.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::entities {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kTable[] =
    "person-volodymyr-zelensky\tperson\tVolodymyr Zelensky\tZelensky|Zelenskyy\t\n"
    "person-yevgeny-prigozhin\tperson\tYevgeny Prigozhin\tPrigozhin\t\n"
    "location-kyiv\tlocation\tKyiv\tKiev\t\n"
    "org-nato\torg\tNATO\tNorth Atlantic Treaty Organization\t\n";

class AliasTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lexicon = EntityLexicon::LoadFromStrings(kTable, "");
    ASSERT_TRUE(lexicon.ok()) << lexicon.status();
    lexicon_ = *std::move(lexicon);
    table_ = std::make_unique<AliasTable>(lexicon_.get());
  }

  // Prepares and applies a change as the ingest service does.
  AliasChange Commit(absl::StatusOr<AliasChange> change) {
    EXPECT_TRUE(change.ok()) << change.status();
    change->version = table_->version() + 1;
    EXPECT_THAT(table_->Apply(*change), IsOk());
    return *change;
  }

  std::unique_ptr<EntityLexicon> lexicon_;
  std::unique_ptr<AliasTable> table_;
};

ArticleEntity Entity(std::string id, std::vector<std::string> spellings, bool linked = true) {
  ArticleEntity e;
  e.id = std::move(id);
  e.display_name = spellings.front();
  e.type = EntityType::kPerson;
  e.linked = linked;
  e.confidence = linked ? 1.0 : 0.6;
  e.salience = 0.5;
  int offset = 0;
  for (const std::string& s : spellings) {
    EntityMention m;
    m.section = TextSection::kBody;
    m.index = 0;
    m.begin = offset;
    m.end = offset + static_cast<int>(s.size());
    m.spelling = s;
    offset += 100;
    e.mentions.push_back(m);
    if (std::find(e.spellings.begin(), e.spellings.end(), s) == e.spellings.end()) {
      e.spellings.push_back(s);
    }
  }
  e.mention_count = static_cast<int>(spellings.size());
  return e;
}

TEST_F(AliasTableTest, AnEmptyTableChangesNothing) {
  Article article;
  article.entities = {Entity("person-volodymyr-zelensky", {"Zelensky"})};
  EXPECT_FALSE(table_->Relink(&article));
  EXPECT_EQ(table_->version(), 0);
  EXPECT_EQ(table_->Lookup("Zelenskiy"), "person-volodymyr-zelensky");
}

TEST_F(AliasTableTest, AddedAliasLinksALocalEntity) {
  AddAliasRequest request;
  request.spelling = "Volodya";
  request.entity_id = "person-volodymyr-zelensky";
  const AliasChange change = Commit(table_->PrepareAddAlias(request));
  EXPECT_EQ(change.kind, AliasChangeKind::kAddAlias);
  EXPECT_EQ(change.display_name, "Volodymyr Zelensky");
  EXPECT_EQ(change.type, EntityType::kPerson);

  Article article;
  article.entities = {Entity("person-volodymyr-zelensky", {"Zelensky", "Zelensky"}),
                      Entity("person-volodya", {"Volodya"}, /*linked=*/false)};
  int64_t version = 0;
  EXPECT_TRUE(table_->Relink(&article, &version));
  EXPECT_EQ(version, 1);
  ASSERT_EQ(article.entities.size(), 1u);
  const ArticleEntity& e = article.entities[0];
  EXPECT_EQ(e.id, "person-volodymyr-zelensky");
  EXPECT_EQ(e.mention_count, 3);
  EXPECT_THAT(e.spellings, ElementsAre("Zelensky", "Volodya"));
  EXPECT_DOUBLE_EQ(e.salience, 1.0);
  EXPECT_EQ(e.mentions.size(), 3u);
  EXPECT_TRUE(e.linked);
  EXPECT_EQ(table_->Lookup("volodya"), "person-volodymyr-zelensky");
}

TEST_F(AliasTableTest, AddAliasCanCreateAnEntity) {
  AddAliasRequest request;
  request.spelling = "Wagner";
  request.new_display_name = "Wagner Group";
  request.new_type = EntityType::kOrganization;
  const AliasChange change = Commit(table_->PrepareAddAlias(request));
  EXPECT_EQ(change.entity_id, "org-wagner-group");
  EXPECT_TRUE(change.created);
  EXPECT_TRUE(table_->Known("org-wagner-group"));
  auto entry = table_->Describe("org-wagner-group");
  ASSERT_THAT(entry, IsOk());
  EXPECT_THAT(entry->aliases, ElementsAre("Wagner"));
  // A second time: it exists.
  EXPECT_THAT(table_->PrepareAddAlias(request), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(AliasTableTest, RemovedAliasBecomesALocalEntity) {
  Commit(table_->PrepareRemoveAlias({"Kiev", "location-kyiv"}));
  Article article;
  ArticleEntity kyiv = Entity("location-kyiv", {"Kyiv", "Kiev"});
  kyiv.type = EntityType::kLocation;
  article.entities = {kyiv};
  EXPECT_TRUE(table_->Relink(&article));
  ASSERT_EQ(article.entities.size(), 2u);
  EXPECT_EQ(article.entities[0].id, "location-kyiv");
  EXPECT_THAT(article.entities[0].spellings, ElementsAre("Kyiv"));
  EXPECT_EQ(article.entities[1].id, "location-kiev");
  EXPECT_FALSE(article.entities[1].linked);
  EXPECT_DOUBLE_EQ(article.entities[0].salience + article.entities[1].salience, 0.5);
  EXPECT_EQ(table_->Lookup("Kiev"), "");
  auto entry = table_->Describe("location-kyiv");
  ASSERT_THAT(entry, IsOk());
  EXPECT_THAT(entry->aliases, ElementsAre("Kyiv"));
  // Not an alias any more.
  EXPECT_THAT(table_->PrepareRemoveAlias({"Kiev", "location-kyiv"}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(AliasTableTest, MergeRedirectsTheSourceAndJoinsMentions) {
  Commit(table_->PrepareMerge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}));
  EXPECT_EQ(table_->Canonical("person-yevgeny-prigozhin"), "person-volodymyr-zelensky");
  EXPECT_EQ(table_->Lookup("Prigozhin"), "person-volodymyr-zelensky");

  Article article;
  article.entities = {Entity("person-yevgeny-prigozhin", {"Yevgeny Prigozhin"}),
                      Entity("person-volodymyr-zelensky", {"Zelensky"})};
  article.entities[0].roles = {{"chief", "org-nato"}};
  Quote quote;
  quote.speaker_entity_id = "person-yevgeny-prigozhin";
  article.quotes = {quote};
  EXPECT_TRUE(table_->Relink(&article));
  ASSERT_EQ(article.entities.size(), 1u);
  EXPECT_EQ(article.entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(article.entities[0].display_name, "Volodymyr Zelensky");
  EXPECT_EQ(article.entities[0].mention_count, 2);
  EXPECT_THAT(article.entities[0].spellings, ElementsAre("Yevgeny Prigozhin", "Zelensky"));
  EXPECT_EQ(article.entities[0].roles.size(), 1u);
  EXPECT_EQ(article.quotes[0].speaker_entity_id, "person-volodymyr-zelensky");

  auto entry = table_->Describe("person-yevgeny-prigozhin");
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->id, "person-volodymyr-zelensky");
  EXPECT_THAT(entry->merged_ids, ElementsAre("person-yevgeny-prigozhin"));
}

TEST_F(AliasTableTest, SplitBackUndoesAMerge) {
  Commit(table_->PrepareMerge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}));
  SplitRequest split;
  split.entity_id = "person-volodymyr-zelensky";
  split.spellings = {"Yevgeny Prigozhin", "Prigozhin"};
  split.new_entity_id = "person-yevgeny-prigozhin";
  const AliasChange change = Commit(table_->PrepareSplit(split));
  EXPECT_FALSE(change.created);
  EXPECT_EQ(change.display_name, "Yevgeny Prigozhin");
  EXPECT_EQ(table_->Canonical("person-yevgeny-prigozhin"), "person-yevgeny-prigozhin");

  // An article indexed while merged comes apart again by spelling.
  Article article;
  ArticleEntity merged = Entity("person-volodymyr-zelensky", {"Zelensky", "Prigozhin", "Zelensky"});
  merged.roles = {{"President", "location-ukraine"}};
  article.entities = {merged};
  EXPECT_TRUE(table_->Relink(&article));
  ASSERT_EQ(article.entities.size(), 2u);
  EXPECT_EQ(article.entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(article.entities[0].mention_count, 2);
  EXPECT_EQ(article.entities[0].roles.size(), 1u);
  EXPECT_EQ(article.entities[1].id, "person-yevgeny-prigozhin");
  EXPECT_EQ(article.entities[1].mention_count, 1);
  EXPECT_TRUE(article.entities[1].roles.empty());
  EXPECT_THAT(article.entities[1].spellings, ElementsAre("Prigozhin"));
}

TEST_F(AliasTableTest, SplitToANewEntity) {
  SplitRequest split;
  split.entity_id = "org-nato";
  split.spellings = {"North Atlantic Treaty Organization"};
  split.new_display_name = "North Atlantic Treaty Organization";
  const AliasChange change = Commit(table_->PrepareSplit(split));
  EXPECT_TRUE(change.created);
  EXPECT_EQ(change.new_entity_id, "org-north-atlantic-treaty-organization");
  EXPECT_EQ(table_->Lookup("North Atlantic Treaty Organization"),
            "org-north-atlantic-treaty-organization");
  EXPECT_EQ(table_->Lookup("NATO"), "org-nato");
}

TEST_F(AliasTableTest, RejectsBadEdits) {
  // Validation: fields named.
  auto empty = table_->PrepareAddAlias({"  ", "org-nato", "", EntityType::kUnspecified});
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(empty.status()), "spelling");
  auto oversized =
      table_->PrepareAddAlias({std::string(201, 'a'), "org-nato", "", EntityType::kUnspecified});
  EXPECT_EQ(FieldOf(oversized.status()), "spelling");
  EXPECT_THAT(table_->PrepareAddAlias({"!!", "org-nato", "", EntityType::kUnspecified}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no letters")));
  auto bad_id = table_->PrepareAddAlias({"x", "Not An Id", "", EntityType::kUnspecified});
  EXPECT_EQ(FieldOf(bad_id.status()), "entity_id");
  EXPECT_THAT(table_->PrepareAddAlias({"x", "", "", EntityType::kUnspecified}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(table_->PrepareAddAlias({"x", "", "X Y", EntityType::kUnspecified})
                        .status()),
            "new_entity_type");
  // Unknown and existing.
  EXPECT_THAT(table_->PrepareAddAlias({"x", "person-nobody", "", EntityType::kUnspecified}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(table_->PrepareAddAlias({"Kiev", "location-kyiv", "", EntityType::kUnspecified}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Merges.
  auto self = table_->PrepareMerge({"org-nato", "org-nato"});
  EXPECT_THAT(self, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(self.status()), "target_entity_id");
  EXPECT_THAT(table_->PrepareMerge({"org-nato", "location-kyiv"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(table_->PrepareMerge({"person-someone", "person-nobody"}),
              StatusIs(absl::StatusCode::kNotFound));
  Commit(table_->PrepareMerge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}));
  EXPECT_THAT(table_->PrepareMerge({"person-volodymyr-zelensky", "person-yevgeny-prigozhin"}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cycle")));
  EXPECT_THAT(table_->PrepareMerge({"person-yevgeny-prigozhin", "person-volodymyr-zelensky"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(table_->PrepareAddAlias(
                  {"x", "person-yevgeny-prigozhin", "", EntityType::kUnspecified}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("merged into")));
  // Splits.
  EXPECT_EQ(FieldOf(table_->PrepareSplit({"org-nato", {}, "", ""}).status()), "spellings");
  EXPECT_EQ(FieldOf(table_->PrepareSplit({"org-nato", {"ok", ""}, "", ""}).status()),
            "spellings[1]");
  EXPECT_THAT(table_->PrepareSplit({"org-nato", {"NATO"}, "location-nato", ""}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(table_->PrepareSplit({"location-kyiv", {"Kiev"}, "location-kyiv", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Versions.
  AliasChange late;
  late.version = 5;
  late.kind = AliasChangeKind::kMerge;
  EXPECT_THAT(table_->Apply(late), StatusIs(absl::StatusCode::kFailedPrecondition));
  AliasChange again;
  again.version = 1;  // applied already
  EXPECT_THAT(table_->Apply(again), IsOk());
  EXPECT_EQ(table_->version(), 1);
}

TEST_F(AliasTableTest, WorksWithoutALexiconFromTheChangesAlone) {
  AliasTable replica(nullptr);
  AliasChange merge;
  merge.version = 1;
  merge.kind = AliasChangeKind::kMerge;
  merge.entity_id = "person-volodymyr-zelensky";
  merge.source_entity_id = "person-zelenskiy";
  merge.display_name = "Volodymyr Zelensky";
  merge.type = EntityType::kPerson;
  ASSERT_THAT(replica.Apply(merge), IsOk());
  Article article;
  article.entities = {Entity("person-zelenskiy", {"Zelenskiy"}, /*linked=*/false)};
  EXPECT_TRUE(replica.Relink(&article));
  EXPECT_EQ(article.entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(article.entities[0].display_name, "Volodymyr Zelensky");
  EXPECT_TRUE(article.entities[0].linked);
  EXPECT_DOUBLE_EQ(article.entities[0].confidence, 1.0);
}

}  // namespace
}  // namespace newsdesk::entities
