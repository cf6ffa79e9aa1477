// The QueryService adapter over a real gRPC server on an in-process channel.
#include "query_service/grpc/query_service_impl.h"

#include <grpcpp/grpcpp.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/entities/name_key.h"
#include "common/model/article_convert.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

absl::Time MonthStart(int year, int month) {
  return absl::FromCivil(absl::CivilMonth(year, month), absl::UTCTimeZone());
}

MentionedDate Mention(std::string text, int y1, int m1, int y2, int m2) {
  return MentionedDate{std::move(text), MonthStart(y1, m1), MonthStart(y2, m2),
                       TimePrecision::kMonth, false};
}

class QueryServiceImplTest : public ::testing::Test {
 protected:
  QueryServiceImplTest()
      : taxonomy_(*Taxonomy::LoadFromString(
            "h\nmedtop:16000000\t\t1\t0\tconflict, war and peace\t\n", "t")),
        lexicon_(*entities::EntityLexicon::LoadFromStrings(
            "location-kyiv\tlocation\tKyiv\tKiev\n", "")),
        index_(taxonomy_.get(), &entities::NameKey),
        engine_(QueryEngineOptions{}, &index_, lexicon_.get(), taxonomy_.get()),
        service_(&engine_) {
    for (int i = 1; i <= 3; ++i) {
      Article a;
      a.id = absl::StrCat("id", i);
      a.log_sequence = i;
      a.title = absl::StrCat("Title ", i);
      a.paragraphs = {"Body paragraph."};
      a.publish_time.precision = TimePrecision::kDay;
      a.publish_time.time = absl::FromCivil(absl::CivilDay(2023, 4, 20 + i), absl::UTCTimeZone());
      ArticleEntity& kyiv = a.entities.emplace_back();
      kyiv.id = "location-kyiv";
      kyiv.display_name = "Kyiv";
      kyiv.type = EntityType::kLocation;
      kyiv.mention_count = 1;
      kyiv.spellings = {"Kiev"};
      kyiv.linked = true;
      kyiv.mentions = {EntityMention{TextSection::kTitle, 0, 8, 12, "Kiev"}};
      if (i == 2) {
        ArticleEntity& marian = a.entities.emplace_back();
        marian.id = "person-marian";
        marian.display_name = "Marian";
        marian.type = EntityType::kPerson;
        marian.mention_count = 1;
        marian.spellings = {"Marian"};
      }
      a.topics.push_back(ArticleTopic{"medtop:16000000", "conflict, war and peace", 0.7, false});
      if (i == 1) a.mentioned_dates.push_back(Mention("February 2022", 2022, 2, 2022, 3));
      if (i == 2) a.mentioned_dates.push_back(Mention("2014", 2014, 1, 2015, 1));
      EXPECT_TRUE(index_.Add(std::make_shared<const Article>(std::move(a))).ok());
    }
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::QueryService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~QueryServiceImplTest() override { server_->Shutdown(); }

  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  ArticleIndex index_;
  QueryEngine engine_;
  QueryServiceImpl service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::QueryService::Stub> stub_;
};

TEST_F(QueryServiceImplTest, FindByEntityReturnsBasicViewWithExplanations) {
  v1::FindArticlesByEntityRequest request;
  request.set_entity("Kiev");
  request.set_page_size(2);
  v1::FindArticlesByEntityResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->FindArticlesByEntity(&context, request, &response).ok());
  ASSERT_EQ(response.matches_size(), 2);
  EXPECT_EQ(response.total_size(), 3);
  EXPECT_FALSE(response.next_page_token().empty());
  EXPECT_EQ(response.matches(0).article().article_id(), "id3");
  EXPECT_EQ(response.matches(0).article().paragraphs_size(), 0);  // BASIC view
  EXPECT_EQ(response.matches(0).entity_matches(0).entity_id(), "location-kyiv");
  EXPECT_EQ(response.matches(0).entity_matches(0).spellings(0), "Kiev");

  request.set_page_token(response.next_page_token());
  request.set_view(v1::ARTICLE_VIEW_FULL);
  v1::FindArticlesByEntityResponse second;
  grpc::ClientContext context2;
  ASSERT_TRUE(stub_->FindArticlesByEntity(&context2, request, &second).ok());
  ASSERT_EQ(second.matches_size(), 1);
  EXPECT_EQ(second.matches(0).article().article_id(), "id1");
  EXPECT_EQ(second.matches(0).article().paragraphs_size(), 1);
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST_F(QueryServiceImplTest, RequiredFieldsAndBadValuesAreInvalidArgument) {
  grpc::ClientContext c1;
  v1::FindArticlesByEntityResponse r1;
  EXPECT_EQ(stub_->FindArticlesByEntity(&c1, v1::FindArticlesByEntityRequest(), &r1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext c2;
  v1::FindArticlesByDateRangeResponse r2;
  EXPECT_EQ(
      stub_->FindArticlesByDateRange(&c2, v1::FindArticlesByDateRangeRequest(), &r2).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  v1::FindArticlesByDateRangeRequest bad_time;
  bad_time.mutable_start_time()->set_seconds(1);
  bad_time.mutable_end_time()->set_nanos(-4);
  grpc::ClientContext c3;
  grpc::Status status = stub_->FindArticlesByDateRange(&c3, bad_time, &r2);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("end_time"), std::string::npos);
  v1::SearchArticlesRequest forged;
  forged.set_page_token("Zm9yZ2Vk");
  grpc::ClientContext c4;
  v1::SearchArticlesResponse r4;
  EXPECT_EQ(stub_->SearchArticles(&c4, forged, &r4).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::SearchArticlesRequest huge;
  huge.set_page_size(2000000000);
  grpc::ClientContext c5;
  EXPECT_TRUE(stub_->SearchArticles(&c5, huge, &r4).ok());
  EXPECT_EQ(r4.matches_size(), 3);
}

TEST_F(QueryServiceImplTest, SearchFiltersByMentionedDates) {
  auto search = [this](absl::Time start, absl::Time end, v1::SearchArticlesResponse* response) {
    v1::SearchArticlesRequest request;
    ToProto(start, request.mutable_filter()->mutable_mentioned_start_time());
    ToProto(end, request.mutable_filter()->mutable_mentioned_end_time());
    request.set_view(v1::ARTICLE_VIEW_FULL);
    grpc::ClientContext context;
    return stub_->SearchArticles(&context, request, response);
  };
  v1::SearchArticlesResponse response;
  // A day inside February 2022 finds the article that mentions the month.
  ASSERT_TRUE(search(MonthStart(2022, 2) + absl::Hours(24 * 9),
                     MonthStart(2022, 2) + absl::Hours(24 * 10), &response)
                  .ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).article().article_id(), "id1");
  EXPECT_EQ(response.matches(0).article().mentioned_dates(0).text(), "February 2022");
  // 2010 to 2020 finds both; the range is half-open.
  response.Clear();
  ASSERT_TRUE(search(MonthStart(2010, 1), MonthStart(2022, 3), &response).ok());
  EXPECT_EQ(response.total_size(), 2);
  response.Clear();
  ASSERT_TRUE(search(MonthStart(2022, 3), MonthStart(2023, 1), &response).ok());
  EXPECT_EQ(response.total_size(), 0);
  // An empty or inverted range is rejected with a message.
  response.Clear();
  const grpc::Status status = search(MonthStart(2022, 3), MonthStart(2022, 3), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("mentioned_end_time"), std::string::npos);
}

TEST_F(QueryServiceImplTest, GetArticleListEntitiesAndTopics) {
  v1::GetArticleRequest get;
  get.set_name("articles/id2");
  v1::GetArticleResponse article;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub_->GetArticle(&c1, get, &article).ok());
  EXPECT_EQ(article.article().name(), "articles/id2");
  EXPECT_EQ(article.article().paragraphs_size(), 1);
  get.set_name("articles/none");
  grpc::ClientContext c2;
  EXPECT_EQ(stub_->GetArticle(&c2, get, &article).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListEntitiesRequest entities;
  entities.set_type(v1::ENTITY_TYPE_LOCATION);
  v1::ListEntitiesResponse listed;
  grpc::ClientContext c3;
  ASSERT_TRUE(stub_->ListEntities(&c3, entities, &listed).ok());
  ASSERT_EQ(listed.entities_size(), 1);
  EXPECT_EQ(listed.entities(0).article_count(), 3);

  v1::ListTopicsResponse topics;
  grpc::ClientContext c4;
  ASSERT_TRUE(stub_->ListTopics(&c4, v1::ListTopicsRequest(), &topics).ok());
  ASSERT_EQ(topics.topics_size(), 1);
  EXPECT_EQ(topics.topics(0).label(), "conflict, war and peace");
  EXPECT_EQ(topics.topics(0).article_count(), 3);
  EXPECT_EQ(topics.topics(0).level(), 1);

  v1::ListTopicsRequest filtered;
  filtered.mutable_filter()->mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2023, 4, 23), absl::UTCTimeZone())));
  grpc::ClientContext c5;
  ASSERT_TRUE(stub_->ListTopics(&c5, filtered, &topics).ok());
  EXPECT_EQ(topics.topics(0).article_count(), 1);
}

TEST_F(QueryServiceImplTest, CountArticlesGivesATimeSeriesPerGroup) {
  v1::CountArticlesRequest request;
  request.set_group_by(v1::COUNT_GROUP_BY_ENTITY);
  request.set_interval(v1::COUNT_INTERVAL_DAY);
  v1::CountArticlesResponse response;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub_->CountArticles(&c1, request, &response).ok());
  EXPECT_EQ(response.total_size(), 3);
  ASSERT_EQ(response.groups_size(), 2);  // largest first
  EXPECT_EQ(response.groups(1).key(), "person-marian");
  EXPECT_EQ(response.groups(1).article_count(), 1);
  EXPECT_EQ(response.groups(0).key(), "location-kyiv");
  EXPECT_EQ(response.groups(0).label(), "Kyiv");
  ASSERT_EQ(response.groups(0).buckets_size(), 3);
  EXPECT_EQ(response.groups(0).buckets(0).start_time().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2023, 4, 21),
                                                absl::UTCTimeZone())));
  EXPECT_EQ(response.groups(0).buckets(2).article_count(), 1);

  request.set_group_by(v1::COUNT_GROUP_BY_TOPIC);
  request.add_groups("no such topic");
  grpc::ClientContext c2;
  const grpc::Status status = stub_->CountArticles(&c2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("no such topic"), std::string::npos);
}

TEST_F(QueryServiceImplTest, FindByTopicExactAndKeyPhraseFilter) {
  v1::FindArticlesByTopicRequest request;
  request.set_topic("conflict, war and peace");
  request.set_exact(true);
  v1::FindArticlesByTopicResponse response;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub_->FindArticlesByTopic(&c1, request, &response).ok());
  EXPECT_EQ(response.total_size(), 3);

  v1::SearchArticlesRequest search;
  search.mutable_filter()->add_key_phrases("  ");
  v1::SearchArticlesResponse found;
  grpc::ClientContext c2;
  EXPECT_EQ(stub_->SearchArticles(&c2, search, &found).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  search.mutable_filter()->set_key_phrases(0, "peace talks");
  grpc::ClientContext c3;
  ASSERT_TRUE(stub_->SearchArticles(&c3, search, &found).ok());
  EXPECT_EQ(found.total_size(), 0);
}

TEST_F(QueryServiceImplTest, EntityMatchesCarryMentionSpans) {
  v1::FindArticlesByEntityRequest request;
  request.set_entity("Kyiv");
  v1::FindArticlesByEntityResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->FindArticlesByEntity(&context, request, &response).ok());
  ASSERT_GT(response.matches_size(), 0);
  ASSERT_EQ(response.matches(0).entity_matches_size(), 1);
  const v1::EntityMatch& match = response.matches(0).entity_matches(0);
  ASSERT_EQ(match.mentions_size(), 1);
  EXPECT_EQ(match.mentions(0).section(), v1::TEXT_SECTION_TITLE);
  EXPECT_EQ(match.mentions(0).begin_offset(), 8);
  EXPECT_EQ(match.mentions(0).end_offset(), 12);
  EXPECT_EQ(match.mentions(0).spelling(), "Kiev");
}

TEST_F(QueryServiceImplTest, ResolveEntityAndCoOccurrence) {
  v1::ResolveEntityRequest resolve;
  resolve.set_name("kiev");
  v1::ResolveEntityResponse candidates;
  grpc::ClientContext c1;
  ASSERT_TRUE(stub_->ResolveEntity(&c1, resolve, &candidates).ok());
  ASSERT_EQ(candidates.candidates_size(), 1);
  EXPECT_EQ(candidates.candidates(0).entity_id(), "location-kyiv");
  EXPECT_EQ(candidates.candidates(0).article_count(), 3);
  ASSERT_EQ(candidates.candidates(0).aliases_size(), 1);
  EXPECT_EQ(candidates.candidates(0).aliases(0), "Kiev");
  resolve.set_name("");
  grpc::ClientContext c2;
  EXPECT_EQ(stub_->ResolveEntity(&c2, resolve, &candidates).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListEntitiesRequest with;
  with.set_cooccurs_with("Kyiv");
  with.mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2023, 4, 22), absl::UTCTimeZone())));
  v1::ListEntitiesResponse listed;
  grpc::ClientContext c3;
  ASSERT_TRUE(stub_->ListEntities(&c3, with, &listed).ok());
  ASSERT_EQ(listed.entities_size(), 1);
  EXPECT_EQ(listed.entities(0).entity_id(), "person-marian");
  EXPECT_EQ(listed.entities(0).cooccurrence_count(), 1);

  v1::ListEntitiesRequest bounds_only;
  bounds_only.mutable_end_time()->set_seconds(1);
  grpc::ClientContext c4;
  EXPECT_EQ(stub_->ListEntities(&c4, bounds_only, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(QueryServiceImplTest, MinLogPositionReachesTheEngineFromEveryQuery) {
  std::thread applier([this] {
    absl::SleepFor(absl::Milliseconds(100));
    Article a;
    a.id = "id4";
    a.log_sequence = 4;
    a.title = "Title 4";
    EXPECT_TRUE(index_.Add(std::make_shared<const Article>(std::move(a))).ok());
  });
  v1::SearchArticlesRequest search;
  search.set_min_log_position(4);
  v1::SearchArticlesResponse found;
  grpc::ClientContext c1;
  EXPECT_TRUE(stub_->SearchArticles(&c1, search, &found).ok());
  applier.join();
  EXPECT_EQ(found.total_size(), 4);

  v1::FindArticlesByEntityRequest by_entity;
  by_entity.set_entity("Kyiv");
  by_entity.set_min_log_position(-1);
  v1::FindArticlesByEntityResponse r2;
  grpc::ClientContext c2;
  EXPECT_EQ(stub_->FindArticlesByEntity(&c2, by_entity, &r2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::FindArticlesByTopicRequest by_topic;
  by_topic.set_topic("medtop:16000000");
  by_topic.set_min_log_position(-1);
  v1::FindArticlesByTopicResponse r3;
  grpc::ClientContext c3;
  EXPECT_EQ(stub_->FindArticlesByTopic(&c3, by_topic, &r3).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::FindArticlesByDateRangeRequest by_date;
  by_date.mutable_start_time()->set_seconds(1);
  by_date.mutable_end_time()->set_seconds(2000000000);
  by_date.set_min_log_position(-1);
  v1::FindArticlesByDateRangeResponse r4;
  grpc::ClientContext c4;
  EXPECT_EQ(stub_->FindArticlesByDateRange(&c4, by_date, &r4).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace newsdesk::query

namespace newsdesk::query {
namespace {

// Beyond its limit of calls at once the service answers RESOURCE_EXHAUSTED
// at once. A search waiting for a log position it has not reached holds the
// one place.
TEST(QueryServiceLimitTest, ACallBeyondTheLimitIsRefusedAtOnce) {
  auto taxonomy = *Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t");
  auto lexicon = *entities::EntityLexicon::LoadFromStrings("location-kyiv\tlocation\tKyiv\n", "");
  ArticleIndex index(taxonomy.get(), &entities::NameKey);
  QueryEngineOptions options;
  options.max_log_wait = absl::Seconds(2);
  QueryEngine engine(options, &index, lexicon.get(), taxonomy.get());
  QueryServiceImpl service(&engine, /*max_concurrent_calls=*/1);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = v1::QueryService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));

  grpc::Status waiting;
  std::thread waiter([&] {
    v1::SearchArticlesRequest request;
    request.set_min_log_position(10);
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    waiting = stub->SearchArticles(&context, request, &response);
  });
  grpc::Status refused;
  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Seconds(1.5)) {
    v1::ListTopicsResponse response;
    grpc::ClientContext context;
    refused = stub->ListTopics(&context, v1::ListTopicsRequest(), &response);
    if (!refused.ok()) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  waiter.join();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "the server is at its limit of 1 query calls at once; retry later");
  EXPECT_EQ(waiting.error_code(), grpc::StatusCode::UNAVAILABLE);  // never reached 10
  v1::ListTopicsResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(stub->ListTopics(&context, v1::ListTopicsRequest(), &response).ok());
  server->Shutdown();
}

}  // namespace
}  // namespace newsdesk::query
