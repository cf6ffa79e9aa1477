// The index applying alias table changes from the log to articles it has
// indexed already, without re-ingesting them.
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/entities/name_key.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:11000000\t\t1\t0\tpolitics and government\t\n";

// A person entity named once per spelling in the first paragraph.
ArticleEntity Person(const std::string& id, const std::vector<std::string>& spellings,
                     bool linked) {
  ArticleEntity e;
  e.id = id;
  e.display_name = spellings.front();
  e.type = EntityType::kPerson;
  e.linked = linked;
  e.confidence = linked ? 1 : 0.6;
  e.salience = 0.5;
  int offset = 0;
  for (const std::string& s : spellings) {
    e.mentions.push_back({TextSection::kBody, 0, offset, offset + static_cast<int>(s.size()), s});
    offset += 50;
    if (std::find(e.spellings.begin(), e.spellings.end(), s) == e.spellings.end()) {
      e.spellings.push_back(s);
    }
  }
  e.mention_count = static_cast<int>(spellings.size());
  return e;
}

class ArticleIndexAliasTest : public ::testing::Test {
 protected:
  ArticleIndexAliasTest()
      : taxonomy_(*Taxonomy::LoadFromString(kTaxonomy, "test")),
        index_(taxonomy_.get(), &entities::NameKey) {}

  void AddArticle(int64_t sequence, std::vector<ArticleEntity> entities) {
    LogEntry entry;
    entry.sequence = sequence;
    entry.article.emplace();
    entry.article->id = absl::StrCat("a", sequence);
    entry.article->log_sequence = sequence;
    entry.article->title = "Title";
    entry.article->entities = std::move(entities);
    ASSERT_THAT(index_.Apply(std::move(entry)), IsOk());
  }

  absl::Status ApplyChange(int64_t sequence, AliasChange change) {
    LogEntry entry;
    entry.sequence = sequence;
    entry.alias_change = std::move(change);
    return index_.Apply(std::move(entry));
  }

  std::vector<std::string> ArticlesNaming(const std::string& name) {
    IndexQuery query;
    query.entity_groups = {index_.FindEntityIds(name)};
    std::vector<std::string> ids;
    const SearchPage page = index_.Search(query, nullptr, 100, 0).value();
    for (const Hit& hit : page.hits) {
      ids.push_back(DecodeStoredArticle(hit.stored, ArticleParts()).value().id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  ArticleIndex index_;
};

AliasChange Merge(int64_t version, std::string source, std::string target) {
  AliasChange change;
  change.version = version;
  change.kind = AliasChangeKind::kMerge;
  change.source_entity_id = std::move(source);
  change.entity_id = std::move(target);
  change.display_name = "Volodymyr Zelensky";
  change.type = EntityType::kPerson;
  return change;
}

TEST_F(ArticleIndexAliasTest, MergeAndSplitBackApplyToIndexedArticles) {
  AddArticle(1, {Person("person-volodymyr-zelensky", {"Zelensky"}, true)});
  AddArticle(2, {Person("person-zelenskiy-v", {"Zelenskiy V."}, false)});
  AddArticle(3, {Person("person-other", {"Someone Else"}, false)});
  EXPECT_THAT(ArticlesNaming("Zelensky"), ElementsAre("a1"));
  EXPECT_THAT(ArticlesNaming("person-zelenskiy-v"), ElementsAre("a2"));

  ASSERT_THAT(ApplyChange(4, Merge(1, "person-zelenskiy-v", "person-volodymyr-zelensky")),
              IsOk());
  EXPECT_EQ(index_.head(), 4);
  // Either id and any spelling finds both.
  EXPECT_THAT(ArticlesNaming("person-volodymyr-zelensky"), ElementsAre("a1", "a2"));
  EXPECT_THAT(ArticlesNaming("person-zelenskiy-v"), ElementsAre("a1", "a2"));
  EXPECT_THAT(ArticlesNaming("Zelenskiy V."), ElementsAre("a1", "a2"));
  std::optional<EntityInfo> info = index_.GetEntity("person-volodymyr-zelensky");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->article_count, 2);
  EXPECT_THAT(info->spellings, UnorderedElementsAre("Zelensky", "Zelenskiy V."));
  EXPECT_FALSE(index_.GetEntity("person-zelenskiy-v").has_value());
  EXPECT_EQ(index_.Get("a2").value()->entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(index_.Get("a2").value()->entities[0].display_name, "Volodymyr Zelensky");
  // The entity is shown by the name its articles give now, everywhere (the
  // first one seen, "Zelensky", is the interned label).
  const std::string shown = index_.Get("a1").value()->entities[0].display_name;
  EXPECT_EQ(info->display_name, shown);
  const std::optional<uint32_t> interned =
      index_.GroupId(GroupBy::kEntity, "person-volodymyr-zelensky");
  ASSERT_TRUE(interned.has_value());
  EXPECT_EQ(index_.GroupNames(GroupBy::kEntity, {*interned}).at(0).label, shown);
  std::vector<std::string> listed;
  for (const EntityInfo& e : index_.ListEntities(shown, EntityType::kUnspecified)) {
    listed.push_back(e.id);
    EXPECT_EQ(e.display_name, shown);
  }
  EXPECT_THAT(listed, ElementsAre("person-volodymyr-zelensky"));

  // Applied again (a replayed log): nothing changes.
  EXPECT_THAT(ApplyChange(4, Merge(1, "person-zelenskiy-v", "person-volodymyr-zelensky")),
              IsOk());
  EXPECT_EQ(index_.GetEntity("person-volodymyr-zelensky")->article_count, 2);

  // An article arriving later with the old id is linked with the table.
  AddArticle(5, {Person("person-zelenskiy-v", {"Zelenskiy V."}, false)});
  EXPECT_THAT(ArticlesNaming("Zelensky"), ElementsAre("a1", "a2", "a5"));

  AliasChange split;
  split.version = 2;
  split.kind = AliasChangeKind::kSplit;
  split.entity_id = "person-volodymyr-zelensky";
  split.new_entity_id = "person-zelenskiy-v";
  split.spellings = {"Zelenskiy V."};
  split.display_name = "Zelenskiy V.";
  split.type = EntityType::kPerson;
  ASSERT_THAT(ApplyChange(6, split), IsOk());
  EXPECT_THAT(ArticlesNaming("person-volodymyr-zelensky"), ElementsAre("a1"));
  EXPECT_THAT(ArticlesNaming("person-zelenskiy-v"), ElementsAre("a2", "a5"));
  EXPECT_THAT(index_.GetEntity("person-volodymyr-zelensky")->spellings, ElementsAre("Zelensky"));
  EXPECT_EQ(index_.GetEntity("person-zelenskiy-v")->article_count, 2);
  EXPECT_THAT(ArticlesNaming("Someone Else"), ElementsAre("a3"));
}

TEST_F(ArticleIndexAliasTest, AddedAndRemovedAliasesMoveMentions) {
  AddArticle(1, {Person("person-volodymyr-zelensky", {"Zelensky", "Volodya"}, true)});
  AddArticle(2, {Person("person-volodya", {"Volodya"}, false)});
  AliasChange add;
  add.version = 1;
  add.kind = AliasChangeKind::kAddAlias;
  add.entity_id = "person-volodymyr-zelensky";
  add.spellings = {"Volodya"};
  add.display_name = "Volodymyr Zelensky";
  add.type = EntityType::kPerson;
  ASSERT_THAT(ApplyChange(3, add), IsOk());
  EXPECT_THAT(ArticlesNaming("Volodya"), ElementsAre("a1", "a2"));
  EXPECT_THAT(index_.FindEntityIds("Volodya"), ElementsAre("person-volodymyr-zelensky"));

  AliasChange remove = add;
  remove.version = 2;
  remove.kind = AliasChangeKind::kRemoveAlias;
  ASSERT_THAT(ApplyChange(4, remove), IsOk());
  EXPECT_THAT(ArticlesNaming("person-volodymyr-zelensky"), ElementsAre("a1"));
  EXPECT_THAT(ArticlesNaming("person-volodya"), ElementsAre("a1", "a2"));
  const std::shared_ptr<const Article> first_read = index_.Get("a1").value();
  const Article& first = *first_read;
  ASSERT_EQ(first.entities.size(), 2u);
  EXPECT_THAT(first.entities[0].spellings, ElementsAre("Zelensky"));
  EXPECT_EQ(first.entities[1].id, "person-volodya");
  EXPECT_FALSE(first.entities[1].linked);
}

TEST_F(ArticleIndexAliasTest, ChangesFollowLogOrder) {
  AddArticle(1, {Person("person-a-b", {"A B"}, true)});
  EXPECT_THAT(ApplyChange(3, Merge(1, "person-b", "person-a-b")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ApplyChange(2, Merge(2, "person-b", "person-a-b")),
              StatusIs(absl::StatusCode::kFailedPrecondition));  // table version gap
  EXPECT_EQ(index_.head(), 1);
  ASSERT_THAT(ApplyChange(2, Merge(1, "person-b", "person-a-b")), IsOk());
  // Searches that scan every article pass over the change's sequence.
  IndexQuery all;
  EXPECT_EQ(index_.Search(all, nullptr, 10, 0).value().total_size, 1);
  EXPECT_EQ(index_.sizes().articles, 1);  // the head is 2: one article, one change
  EXPECT_THAT(index_.ListEntities("", EntityType::kUnspecified).size(), 1u);
  EXPECT_THAT(index_.FindEntityIds("person-b"), ElementsAre("person-a-b"));
  EXPECT_THAT(index_.FindEntityIds("nobody"), IsEmpty());
}

TEST_F(ArticleIndexAliasTest, AliasChangesAndTopicUpdatesShareOneLog) {
  AddArticle(1, {Person("person-a-b", {"A B"}, true)});
  AddArticle(2, {Person("person-b", {"B"}, false)});
  ASSERT_THAT(ApplyChange(3, Merge(1, "person-b", "person-a-b")), IsOk());
  LogEntry update;
  update.sequence = 4;
  update.topic_update =
      TopicUpdate{"a2", {ArticleTopic{"medtop:11000000", "politics", 0.8, false}}, "r2"};
  ASSERT_THAT(index_.Apply(std::move(update)), IsOk());
  EXPECT_EQ(index_.head(), 4);
  EXPECT_EQ(index_.sizes().articles, 2);
  // The topic update keeps the merge's re-linking, and the other way round.
  const std::shared_ptr<const Article> second_read = index_.Get("a2").value();
  const Article& second = *second_read;
  ASSERT_EQ(second.entities.size(), 1u);
  EXPECT_EQ(second.entities[0].id, "person-a-b");
  EXPECT_EQ(second.taxonomy_version, "r2");
  EXPECT_THAT(ArticlesNaming("person-a-b"), ElementsAre("a1", "a2"));
  IndexQuery politics;
  politics.topic_codes = {"medtop:11000000"};
  politics.has_topic_condition = true;
  std::vector<std::string> ids;
  const SearchPage page = index_.Search(politics, nullptr, 10, 0).value();
  for (const Hit& hit : page.hits) {
    ids.push_back(DecodeStoredArticle(hit.stored, ArticleParts()).value().id);
  }
  EXPECT_THAT(ids, ElementsAre("a2"));

  // Counting sees the articles as re-linked and re-classified: both under
  // the merged entity, the second under its new topic.
  absl::flat_hash_map<uint32_t, int> entity_counts, topic_counts;
  index_.ForEachMatch(IndexQuery{}, [&](const MatchedDoc& doc) {
    for (const uint32_t e : doc.entities) ++entity_counts[e];
    for (const uint32_t t : doc.topics) ++topic_counts[t];
  });
  ASSERT_EQ(entity_counts.size(), 1u);
  const std::vector<GroupName> entity =
      index_.GroupNames(GroupBy::kEntity, {entity_counts.begin()->first});
  EXPECT_EQ(entity[0].key, "person-a-b");
  EXPECT_EQ(entity_counts.begin()->second, 2);
  ASSERT_EQ(topic_counts.size(), 1u);
  const std::vector<GroupName> topic =
      index_.GroupNames(GroupBy::kTopic, {topic_counts.begin()->first});
  EXPECT_EQ(topic[0].key, "medtop:11000000");
  EXPECT_EQ(topic[0].label, "politics and government");
  EXPECT_EQ(index_.GroupId(GroupBy::kEntity, "person-a-b"), entity_counts.begin()->first);
  EXPECT_EQ(index_.GroupId(GroupBy::kSource, "nowhere"), std::nullopt);
}

// Records what the index tells its linker about changed articles.
class RecordingLinker : public ArticleLinker {
 public:
  absl::Status Link(Article*, const EarlierArticles&) override { return absl::OkStatus(); }
  void Changed(const Article& before, const Article& after) override {
    auto describe = [](const Article& a) {
      std::string out;
      for (const ArticleEntity& e : a.entities) absl::StrAppend(&out, e.id, " ");
      for (const ArticleTopic& t : a.topics) absl::StrAppend(&out, t.code, " ");
      return out;
    };
    changes.push_back(
        absl::StrCat(after.id, ": ", describe(before), "-> ", describe(after)));
  }
  std::vector<std::string> changes;
};

TEST(ArticleIndexLinkerTest, TheLinkerHearsOfReLinkedAndReclassifiedArticles) {
  auto taxonomy = *Taxonomy::LoadFromString(kTaxonomy, "test");
  RecordingLinker linker;
  ArticleIndex index(taxonomy.get(), &entities::NameKey, nullptr, &linker);
  for (int sequence : {1, 2}) {
    LogEntry entry;
    entry.sequence = sequence;
    entry.article.emplace();
    entry.article->id = absl::StrCat("a", sequence);
    entry.article->entities = {sequence == 1 ? Person("person-a-b", {"A B"}, true)
                                             : Person("person-b", {"B"}, false)};
    ASSERT_THAT(index.Apply(std::move(entry)), IsOk());
  }
  LogEntry merge;
  merge.sequence = 3;
  merge.alias_change = Merge(1, "person-b", "person-a-b");
  ASSERT_THAT(index.Apply(merge), IsOk());
  ASSERT_THAT(index.Apply(merge), IsOk());  // replayed: nothing happens
  LogEntry update;
  update.sequence = 4;
  update.topic_update =
      TopicUpdate{"a2", {ArticleTopic{"medtop:11000000", "politics", 0.8, false}}, "r2"};
  ASSERT_THAT(index.Apply(std::move(update)), IsOk());
  EXPECT_THAT(linker.changes,
              ElementsAre("a2: person-b -> person-a-b ",
                          "a2: person-a-b -> person-a-b medtop:11000000 "));
}

}  // namespace
}  // namespace newsdesk::query
