#include "query_service/core/query_engine.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/entities/name_key.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kTaxonomy[] =
    "qcode\tparent\tlevel\tretired\tlabel\tdef\n"
    "medtop:16000000\t\t1\t0\tconflict, war and peace\t\n"
    "medtop:20000056\tmedtop:16000000\t2\t0\tarmed conflict\t\n"
    "medtop:15000000\t\t1\t0\tsport\t\n";

constexpr char kEntities[] =
    "person-volodymyr-zelensky\tperson\tVolodymyr Zelensky\tZelenskyy|Zelenskiy\n"
    "location-kyiv\tlocation\tKyiv\tKiev\n";

class QueryEngineTest : public ::testing::Test {
 protected:
  QueryEngineTest()
      : taxonomy_(*Taxonomy::LoadFromString(kTaxonomy, "t")),
        lexicon_(*entities::EntityLexicon::LoadFromStrings(kEntities, "")),
        index_(taxonomy_.get(), &entities::NameKey),
        engine_(QueryEngineOptions{}, &index_, lexicon_.get(), taxonomy_.get()) {}

  void Add(int64_t seq, int day, std::vector<ArticleEntity> entities, std::string topic) {
    Article a;
    a.id = absl::StrCat("id", seq);
    a.log_sequence = seq;
    a.title = absl::StrCat("Story ", seq);
    if (day > 0) {
      a.publish_time.precision = TimePrecision::kDay;
      a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 4, day), absl::UTCTimeZone());
    }
    a.entities = std::move(entities);
    if (!topic.empty()) a.topics.push_back(ArticleTopic{topic, "", 0.8, false});
    ASSERT_THAT(index_.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  }

  static ArticleEntity Zelensky(std::string spelling) {
    return ArticleEntity{"person-volodymyr-zelensky", "Volodymyr Zelensky",
                         EntityType::kPerson, 2, {spelling}, true};
  }
  static ArticleEntity Local(std::string name) {
    return ArticleEntity{"person-marian", name, EntityType::kPerson, 1, {name}, false};
  }

  static std::vector<std::string> Ids(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& m : r.matches) out.push_back(m.article->id);
    return out;
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  ArticleIndex index_;
  QueryEngine engine_;
};

TEST_F(QueryEngineTest, EntityReferencesResolveByIdAnySpellingAndLocalNames) {
  Add(1, 1, {Zelensky("Zelenskyy")}, "medtop:20000056");
  Add(2, 2, {Zelensky("Zelensky")}, "");
  Add(3, 3, {Local("Marian")}, "");
  for (const std::string ref : {"Zelenskiy", "ZELENSKY", "person-volodymyr-zelensky",
                                "Volodymyr Zelenskyy"}) {
    SearchRequest r;
    r.any_entities = {ref};
    auto result = engine_.Search(r);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(Ids(*result), ElementsAre("id2", "id1")) << ref;
    ASSERT_EQ(result->matches[1].entity_matches.size(), 1u);
    EXPECT_EQ(result->matches[1].entity_matches[0].query, ref);
    EXPECT_THAT(result->matches[1].entity_matches[0].spellings, ElementsAre("Zelenskyy"));
  }
  SearchRequest local;
  local.any_entities = {"marian"};
  EXPECT_THAT(Ids(*engine_.Search(local)), ElementsAre("id3"));
  SearchRequest nobody;
  nobody.any_entities = {"Nobody Known"};
  EXPECT_EQ(engine_.Search(nobody)->total_size, 0);
}

TEST_F(QueryEngineTest, TopicsByCodeOrLabelIncludeDescendants) {
  Add(1, 1, {}, "medtop:20000056");
  Add(2, 2, {}, "medtop:15000000");
  SearchRequest r;
  r.topics = {"Conflict, War and Peace"};
  auto result = engine_.Search(r);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(Ids(*result), ElementsAre("id1"));
  EXPECT_THAT(result->matches[0].matched_topics, ElementsAre("medtop:20000056"));
  r.topics = {"medtop:99999999"};
  EXPECT_THAT(engine_.Search(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown topic")));
}

TEST_F(QueryEngineTest, ValidatesRequests) {
  SearchRequest r;
  r.page_size = -5;
  EXPECT_THAT(engine_.Search(r), StatusIs(absl::StatusCode::kInvalidArgument));
  r.page_size = 0;
  r.start_time = absl::FromUnixSeconds(100);
  r.end_time = absl::FromUnixSeconds(100);
  EXPECT_THAT(engine_.Search(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("end_time")));
  SearchRequest blank;
  blank.any_entities = {"  "};
  EXPECT_THAT(engine_.Search(blank), StatusIs(absl::StatusCode::kInvalidArgument));
  SearchRequest many;
  many.sources.assign(101, "x");
  EXPECT_THAT(engine_.Search(many), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(engine_.GetArticle("articles/nope"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(engine_.GetArticle(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, PagesAreStableAndTokensBoundToTheirRequest) {
  for (int i = 1; i <= 7; ++i) Add(i, i, {Zelensky("Zelensky")}, "");
  SearchRequest r;
  r.any_entities = {"Zelensky"};
  r.page_size = 3;
  std::vector<std::string> all;
  while (true) {
    auto page = engine_.Search(r);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size, 7);
    for (const auto& id : Ids(*page)) all.push_back(id);
    Add(index_.head() + 1, 30, {Zelensky("Zelensky")}, "");  // newer: not in this listing
    if (page->next_page_token.empty()) break;
    r.page_token = page->next_page_token;
  }
  EXPECT_THAT(all, ElementsAre("id7", "id6", "id5", "id4", "id3", "id2", "id1"));

  SearchRequest other;
  other.any_entities = {"Kyiv"};
  other.page_token = r.page_token.empty() ? "x" : r.page_token;
  EXPECT_THAT(engine_.Search(other), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, ListsEntitiesAndTopicsWithCountsAndPaging) {
  Add(1, 1, {Zelensky("Zelensky"), Local("Marian")}, "medtop:20000056");
  Add(2, 2, {Zelensky("Zelenskiy")}, "medtop:20000056");
  auto first = engine_.ListEntities("", EntityType::kUnspecified, 1, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->entities.size(), 1u);
  EXPECT_EQ(first->entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(first->entities[0].article_count, 2);
  EXPECT_EQ(first->total_size, 2);
  auto second = engine_.ListEntities("", EntityType::kUnspecified, 1, first->next_page_token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->entities[0].id, "person-marian");
  EXPECT_TRUE(second->next_page_token.empty());
  EXPECT_EQ(engine_.ListEntities("zelenskyy", EntityType::kUnspecified, 0, "")->entities.size(),
            1u);

  auto topics = engine_.ListTopics("", 10, "");
  ASSERT_TRUE(topics.ok());
  ASSERT_EQ(topics->topics.size(), 2u);
  EXPECT_EQ(topics->topics[0].article_count, 2);
  auto children = engine_.ListTopics("medtop:16000000", 10, "");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->topics.size(), 1u);
  EXPECT_EQ(children->topics[0].topic->code, "medtop:20000056");
  EXPECT_THAT(engine_.ListTopics("nonsense", 10, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, MinLogPositionWaitsForTheIndexToReachIt) {
  Add(1, 1, {}, "");
  SearchRequest r;
  r.min_log_position = 2;
  std::thread applier([this] {
    absl::SleepFor(absl::Milliseconds(100));
    Add(2, 2, {}, "");
  });
  auto result = engine_.Search(r);
  applier.join();
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ::testing::UnorderedElementsAre("id1", "id2"));
}

TEST_F(QueryEngineTest, MinLogPositionNotReachedInTimeIsUnavailable) {
  QueryEngineOptions options;
  options.max_log_wait = absl::Milliseconds(50);
  QueryEngine engine(options, &index_, lexicon_.get(), taxonomy_.get());
  Add(1, 1, {}, "");
  SearchRequest r;
  r.min_log_position = 5;
  EXPECT_THAT(engine.Search(r), StatusIs(absl::StatusCode::kUnavailable,
                                         ::testing::HasSubstr("log position 1")));
  r.min_log_position = 1;
  EXPECT_THAT(engine.Search(r), IsOk());
  r.min_log_position = -1;
  EXPECT_THAT(engine.Search(r), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace newsdesk::query
