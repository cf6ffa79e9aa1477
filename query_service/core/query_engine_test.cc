#include "query_service/core/query_engine.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/entities/name_key.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query_service/index/stored_article.h"
#include "query_service/index/testing/one_story_linker.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::testing::IsOk;
using ::newsdesk::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

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
        index_(taxonomy_.get(), &entities::NameKey, lexicon_.get()),
        engine_(QueryEngineOptions{}, &index_, taxonomy_.get()) {}

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

  static ArticleEntity Entity(std::string id, std::string name, EntityType type,
                              int mentions, std::string spelling, bool linked) {
    ArticleEntity e;
    e.id = std::move(id);
    e.display_name = std::move(name);
    e.type = type;
    e.mention_count = mentions;
    e.spellings = {spelling};
    e.linked = linked;
    e.mentions = {EntityMention{TextSection::kBody, 0, 4, 4 + static_cast<int>(spelling.size()),
                                spelling}};
    return e;
  }
  static ArticleEntity Zelensky(std::string spelling) {
    return Entity("person-volodymyr-zelensky", "Volodymyr Zelensky", EntityType::kPerson, 2,
                  spelling, true);
  }
  static ArticleEntity Local(std::string name) {
    return Entity("person-marian", name, EntityType::kPerson, 1, name, false);
  }
  static ArticleEntity Kyiv() {
    return Entity("location-kyiv", "Kyiv", EntityType::kLocation, 1, "Kiev", true);
  }
  static EntityListRequest List(std::string prefix, int page_size, std::string token = "") {
    EntityListRequest request;
    request.prefix = std::move(prefix);
    request.page_size = page_size;
    request.page_token = std::move(token);
    return request;
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

TEST_F(QueryEngineTest, ExactTopicsMatchOnlyTheCodeAssigned) {
  Add(1, 1, {}, "medtop:20000056");
  Add(2, 2, {}, "medtop:16000000");
  SearchRequest r;
  r.topics = {"medtop:16000000"};
  EXPECT_THAT(Ids(*engine_.Search(r)), ElementsAre("id2", "id1"));
  r.exact_topics = true;
  auto exact = engine_.Search(r);
  ASSERT_TRUE(exact.ok());
  EXPECT_THAT(Ids(*exact), ElementsAre("id2"));
  EXPECT_THAT(exact->matches[0].matched_topics, ElementsAre("medtop:16000000"));
}

TEST_F(QueryEngineTest, ListTopicsCountsOnlyArticlesMatchingTheFilter) {
  Add(1, 1, {Zelensky("Zelensky")}, "medtop:20000056");
  Add(2, 10, {}, "medtop:20000056");
  Add(3, 11, {}, "medtop:15000000");
  SearchRequest by_entity;
  by_entity.any_entities = {"Zelenskiy"};
  auto topics = engine_.ListTopics("", by_entity, 10, "");
  ASSERT_TRUE(topics.ok());
  ASSERT_EQ(topics->topics.size(), 2u);  // armed conflict and its parent
  EXPECT_EQ(topics->topics[0].article_count, 1);
  SearchRequest by_date;
  by_date.start_time = absl::FromCivil(absl::CivilDay(2023, 4, 5), absl::UTCTimeZone());
  topics = engine_.ListTopics("", by_date, 1, "");
  ASSERT_TRUE(topics.ok());
  EXPECT_EQ(topics->total_size, 3);
  ASSERT_EQ(topics->topics.size(), 1u);
  auto next = engine_.ListTopics("", by_date, 1, topics->next_page_token);
  ASSERT_TRUE(next.ok());
  // A token from another filter is refused.
  EXPECT_THAT(engine_.ListTopics("", by_entity, 1, topics->next_page_token),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, CountsArticlesPerTopicAndDay) {
  Add(1, 1, {Zelensky("Zelensky")}, "medtop:20000056");
  Add(2, 3, {Zelensky("Zelensky")}, "medtop:20000056");
  Add(3, 3, {}, "medtop:15000000");
  Add(4, 0, {}, "medtop:20000056");  // unknown time: counted, in no bucket
  CountRequest r;
  r.group_by = GroupBy::kTopic;
  r.interval = Interval::kDay;
  auto result = engine_.CountArticles(r);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->total_size, 4);
  EXPECT_EQ(result->total_groups, 3);
  ASSERT_EQ(result->groups.size(), 3u);
  const CountGroup& conflict = result->groups[0];  // ties break by code
  EXPECT_EQ(conflict.key, "medtop:16000000");
  EXPECT_EQ(conflict.label, "conflict, war and peace");
  EXPECT_EQ(conflict.article_count, 3);
  ASSERT_EQ(conflict.buckets.size(), 3u);  // April 1, 2 (empty) and 3
  EXPECT_EQ(conflict.buckets[0].start,
            absl::FromCivil(absl::CivilDay(2023, 4, 1), absl::UTCTimeZone()));
  EXPECT_EQ(conflict.buckets[0].article_count, 1);
  EXPECT_EQ(conflict.buckets[1].article_count, 0);
  EXPECT_EQ(conflict.buckets[2].article_count, 1);

  // Chosen groups, by label, entity spelling; an unknown time range.
  r.groups = {"sport"};
  r.filter.start_time = absl::FromCivil(absl::CivilDay(2023, 3, 30), absl::UTCTimeZone());
  r.filter.end_time = absl::FromCivil(absl::CivilDay(2023, 4, 5), absl::UTCTimeZone());
  result = engine_.CountArticles(r);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->groups.size(), 1u);
  EXPECT_EQ(result->groups[0].key, "medtop:15000000");
  EXPECT_EQ(result->groups[0].buckets.size(), 6u);  // March 30 to April 4

  CountRequest entities;
  entities.group_by = GroupBy::kEntity;
  entities.interval = Interval::kMonth;
  entities.groups = {"Zelenskiy", "Nobody"};
  result = engine_.CountArticles(entities);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->groups.size(), 2u);
  EXPECT_EQ(result->groups[0].key, "person-volodymyr-zelensky");
  EXPECT_EQ(result->groups[0].article_count, 2);
  ASSERT_EQ(result->groups[0].buckets.size(), 1u);
  EXPECT_EQ(result->groups[1].article_count, 0);
}

TEST_F(QueryEngineTest, CountValidatesItsRequest) {
  Add(1, 1, {}, "medtop:20000056");
  CountRequest r;
  r.max_groups = -1;
  EXPECT_THAT(engine_.CountArticles(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("max_groups")));
  r.max_groups = 0;
  r.groups = {"sport"};
  EXPECT_THAT(engine_.CountArticles(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("group_by")));
  r.group_by = GroupBy::kTopic;
  r.groups = {"no such topic"};
  EXPECT_THAT(engine_.CountArticles(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown topic")));
  CountRequest huge;
  huge.interval = Interval::kDay;
  huge.filter.start_time = absl::FromUnixSeconds(0);
  huge.filter.end_time = absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone());
  EXPECT_THAT(engine_.CountArticles(huge),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("buckets")));
  huge.interval = Interval::kMonth;
  EXPECT_TRUE(engine_.CountArticles(huge).ok());
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
  auto first = engine_.ListEntities(List("", 1));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->entities.size(), 1u);
  EXPECT_EQ(first->entities[0].id, "person-volodymyr-zelensky");
  EXPECT_EQ(first->entities[0].article_count, 2);
  EXPECT_THAT(first->entities[0].spellings,
              UnorderedElementsAre("Zelensky", "Zelenskiy"));
  EXPECT_EQ(first->total_size, 2);
  auto second = engine_.ListEntities(List("", 1, first->next_page_token));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->entities[0].id, "person-marian");
  EXPECT_TRUE(second->next_page_token.empty());
  EXPECT_EQ(engine_.ListEntities(List("zelenskyy", 0))->entities.size(), 1u);

  auto topics = engine_.ListTopics("", SearchRequest(), 10, "");
  ASSERT_TRUE(topics.ok());
  ASSERT_EQ(topics->topics.size(), 2u);
  EXPECT_EQ(topics->topics[0].article_count, 2);
  auto children = engine_.ListTopics("medtop:16000000", SearchRequest(), 10, "");
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->topics.size(), 1u);
  EXPECT_EQ(children->topics[0].topic->code, "medtop:20000056");
  EXPECT_THAT(engine_.ListTopics("nonsense", SearchRequest(), 10, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, ListsEntitiesNamedWithAnotherBetweenTwoDates) {
  Add(1, 1, {Zelensky("Zelensky"), Kyiv(), Local("Marian")}, "");
  Add(2, 5, {Zelensky("Zelenskiy"), Kyiv()}, "");
  Add(3, 9, {Zelensky("Zelenskyy"), Local("Marian")}, "");
  Add(4, 0, {Zelensky("Zelenskyy"), Local("Marian")}, "");  // date unknown
  Add(5, 6, {Kyiv(), Local("Marian")}, "");                   // without Zelensky

  EntityListRequest with = List("", 10);
  with.cooccurs_with = "Zelenskiy";
  auto all = engine_.ListEntities(with);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->entities.size(), 2u);
  EXPECT_EQ(all->entities[0].id, "person-marian");
  EXPECT_EQ(all->entities[0].cooccurrence_count, 3);
  EXPECT_EQ(all->entities[1].id, "location-kyiv");
  EXPECT_EQ(all->entities[1].cooccurrence_count, 2);
  EXPECT_EQ(all->entities[1].article_count, 3);  // in all articles
  EXPECT_THAT(all->entities[1].spellings,
              ElementsAre("Kiev"));  // the page's, from the index

  with.start_time = absl::FromCivil(absl::CivilDay(2023, 4, 2), absl::UTCTimeZone());
  with.end_time = absl::FromCivil(absl::CivilDay(2023, 4, 10), absl::UTCTimeZone());
  auto range = engine_.ListEntities(with);
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->entities.size(), 2u);
  EXPECT_EQ(range->entities[0].cooccurrence_count, 1);
  EXPECT_EQ(range->entities[1].cooccurrence_count, 1);

  // Paging follows the co-occurrence order.
  with.page_size = 1;
  auto first = engine_.ListEntities(with);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->entities[0].id, "location-kyiv");
  with.page_token = first->next_page_token;
  auto second = engine_.ListEntities(with);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->entities.size(), 1u);
  EXPECT_EQ(second->entities[0].id, "person-marian");
  EXPECT_TRUE(second->next_page_token.empty());

  EntityListRequest unknown = List("", 10);
  unknown.cooccurs_with = "Nobody Known";
  EXPECT_THAT(engine_.ListEntities(unknown), StatusIs(absl::StatusCode::kInvalidArgument));
  EntityListRequest inverted = List("", 10);
  inverted.cooccurs_with = "Kyiv";
  inverted.start_time = absl::FromUnixSeconds(100);
  inverted.end_time = absl::FromUnixSeconds(50);
  EXPECT_THAT(engine_.ListEntities(inverted), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, ResolvesNamesToCandidatesWithAliasesAndCounts) {
  Add(1, 1, {Zelensky("Zelenskiy"), Kyiv()}, "");
  Add(2, 2, {Zelensky("Zelensky")}, "");
  auto zelensky = engine_.ResolveEntityCandidates("ZELENSKYY");
  ASSERT_TRUE(zelensky.ok());
  ASSERT_EQ(zelensky->size(), 1u);
  const EntityCandidate& c = (*zelensky)[0];
  EXPECT_EQ(c.info.id, "person-volodymyr-zelensky");
  EXPECT_EQ(c.info.article_count, 2);
  EXPECT_TRUE(c.info.linked);
  EXPECT_THAT(c.aliases, ElementsAre("Zelenskyy", "Zelenskiy"));
  EXPECT_THAT(c.info.spellings, ElementsAre("Zelenskiy", "Zelensky"));

  // A local name seen in articles, and a known name no article uses yet.
  Add(3, 3, {Local("Marian")}, "");
  auto marian = engine_.ResolveEntityCandidates("marian");
  ASSERT_TRUE(marian.ok());
  ASSERT_EQ(marian->size(), 1u);
  EXPECT_FALSE((*marian)[0].info.linked);
  EXPECT_EQ((*marian)[0].info.article_count, 1);
  EXPECT_TRUE(engine_.ResolveEntityCandidates("Nobody")->empty());
  EXPECT_THAT(engine_.ResolveEntityCandidates("  "),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueryEngineTest, MatchesSayWhereTheEntityIsNamed) {
  Add(1, 1, {Zelensky("Zelenskiy")}, "");
  SearchRequest request;
  request.any_entities = {"Zelensky"};
  auto result = engine_.Search(request);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->matches.size(), 1u);
  ASSERT_EQ(result->matches[0].entity_matches.size(), 1u);
  EXPECT_THAT(result->matches[0].entity_matches[0].mentions,
              ElementsAre(EntityMention{TextSection::kBody, 0, 4, 13, "Zelenskiy"}));
}

// A page decodes only what its explanation reads: the publish time with a
// time condition, the source with a sources condition; the article's other
// fields stay in its stored bytes, whole.
TEST_F(QueryEngineTest, MatchesExplainTimeAndSourceOnlyForTheirConditions) {
  Article a;
  a.id = "id1";
  a.log_sequence = 1;
  a.title = "Story 1";
  a.source = "Reuters";
  a.url = "https://example.com/1";
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 4, 2), absl::UTCTimeZone());
  a.topics.push_back(ArticleTopic{"medtop:16000000", "", 0.8, false});
  ASSERT_THAT(index_.Add(std::make_shared<const Article>(a)), IsOk());

  SearchRequest conditions;
  conditions.sources = {"reuters"};
  conditions.start_time = absl::FromCivil(absl::CivilDay(2023, 4, 1), absl::UTCTimeZone());
  conditions.end_time = absl::FromCivil(absl::CivilDay(2023, 5, 1), absl::UTCTimeZone());
  absl::StatusOr<SearchResult> explained = engine_.Search(conditions);
  ASSERT_THAT(explained, IsOk());
  ASSERT_EQ(explained->matches.size(), 1u);
  const SearchMatch& both = explained->matches[0];
  EXPECT_EQ(both.explanation.source, "Reuters");
  ASSERT_TRUE(both.explanation.publish_time.has_value());
  EXPECT_EQ(both.explanation.publish_time->time, a.publish_time.time);

  SearchRequest topic;
  topic.topics = {"medtop:16000000"};
  absl::StatusOr<SearchResult> by_topic = engine_.Search(topic);
  ASSERT_THAT(by_topic, IsOk());
  ASSERT_EQ(by_topic->matches.size(), 1u);
  const SearchMatch& match = by_topic->matches[0];
  EXPECT_EQ(match.article->id, "id1");
  EXPECT_EQ(match.article->topics.size(), 1u);
  EXPECT_TRUE(match.article->source.empty());
  EXPECT_FALSE(match.article->publish_time.known());
  EXPECT_TRUE(match.article->url.empty());
  EXPECT_FALSE(match.explanation.publish_time.has_value());
  EXPECT_TRUE(match.explanation.source.empty());
  ASSERT_EQ(match.explanation.topics.size(), 1u);
  ASSERT_TRUE(match.stored.has_value());
  v1::Article whole;
  ASSERT_THAT(DecodeStoredArticle(*match.stored, &whole), IsOk());
  EXPECT_EQ(whole.source(), "Reuters");
  EXPECT_EQ(whole.url(), "https://example.com/1");
  EXPECT_TRUE(whole.publish_time().has_time());
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
  QueryEngine engine(options, &index_, taxonomy_.get());
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

TEST_F(QueryEngineTest, MinLogPositionWaitsNoLongerThanTheCaller) {
  QueryEngineOptions options;
  options.max_log_wait = absl::Seconds(60);
  QueryEngine engine(options, &index_, taxonomy_.get());
  Add(1, 1, {}, "");
  SearchRequest r;
  r.min_log_position = 5;
  r.wait_until = absl::Now() + absl::Milliseconds(50);
  const absl::Time start = absl::Now();
  EXPECT_THAT(engine.Search(r), StatusIs(absl::StatusCode::kUnavailable,
                                         ::testing::HasSubstr("min_log_position 5 within")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));  // not the 60 s bound
}

// With the link stage behind indexing, min_log_position on a query that
// reads links waits for the links; other queries answer once indexed, and
// counts by story see only linked articles.
TEST_F(QueryEngineTest, MinLogPositionOfAQueryThatReadsLinksWaitsForThem) {
  OneStoryLinker linker;
  ArticleIndex index(taxonomy_.get(), &entities::NameKey, lexicon_.get(), &linker, nullptr,
                     LinkOptions{/*deferred=*/true});
  QueryEngineOptions options;
  options.max_log_wait = absl::Milliseconds(50);
  QueryEngine engine(options, &index, taxonomy_.get());
  for (int64_t seq = 1; seq <= 2; ++seq) {
    Article a;
    a.id = absl::StrCat("id", seq);
    a.log_sequence = seq;
    ASSERT_THAT(index.Add(std::make_shared<const Article>(std::move(a))), IsOk());
  }
  ASSERT_THAT(index.LinkPending(nullptr, 1), IsOk());
  SearchRequest plain;
  plain.min_log_position = 2;
  absl::StatusOr<SearchResult> found = engine.Search(plain);
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->total_size, 2);
  SearchRequest stories = plain;
  stories.story_ids = {"s"};
  EXPECT_THAT(engine.Search(stories),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("log position 1 of its stories and near-copies")));
  SearchRequest collapsed = plain;
  collapsed.collapse_copies = true;
  EXPECT_THAT(engine.Search(collapsed), StatusIs(absl::StatusCode::kUnavailable));
  CountRequest by_story;
  by_story.group_by = GroupBy::kStory;
  absl::StatusOr<CountResult> counted = engine.CountArticles(by_story);
  ASSERT_THAT(counted, IsOk());
  EXPECT_EQ(counted->total_size, 1);
  by_story.filter.min_log_position = 2;
  EXPECT_THAT(engine.CountArticles(by_story), StatusIs(absl::StatusCode::kUnavailable));

  std::thread linking([&index] {
    absl::SleepFor(absl::Milliseconds(20));
    EXPECT_THAT(index.LinkPending(), IsOk());
  });
  stories.wait_until = absl::Now() + absl::Seconds(30);
  QueryEngineOptions patient;
  patient.max_log_wait = absl::Seconds(30);
  QueryEngine waiting(patient, &index, taxonomy_.get());
  found = waiting.Search(stories);
  linking.join();
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(Ids(*found), UnorderedElementsAre("id1", "id2"));
  counted = waiting.CountArticles(by_story);
  ASSERT_THAT(counted, IsOk());
  EXPECT_EQ(counted->total_size, 2);
}

}  // namespace
}  // namespace newsdesk::query
