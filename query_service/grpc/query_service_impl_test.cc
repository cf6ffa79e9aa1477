// The QueryService adapter over a real gRPC server on an in-process channel.
#include "query_service/grpc/query_service_impl.h"

#include "query_service/grpc/query_convert.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/entities/name_key.h"
#include "common/model/article_convert.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace newsdesk::query {
namespace {

using ::newsdesk::ToProto;  // beside the query converters

absl::Time MonthStart(int year, int month) {
  return absl::FromCivil(absl::CivilMonth(year, month), absl::UTCTimeZone());
}

MentionedDate Mention(std::string text, int y1, int m1, int y2, int m2) {
  return MentionedDate{std::move(text), MonthStart(y1, m1), MonthStart(y2, m2),
                       TimePrecision::kMonth, false};
}

// The field a failed call names in its google.rpc.BadRequest details; empty
// when there are none.
std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      return bad_request.field_violations(0).field();
    }
  }
  return "";
}

struct InProcessServiceOptions {
  QueryEngineOptions engine;  // the engine's and the story queries'
  WatchRegistryOptions watches;
  int max_concurrent_calls = 0;  // QueryServiceImpl's; 0: no limit
};

// The query service over `index`, in process: its engine, the story
// queries over `tracker` and the watches, served on an in-process channel.
class InProcessService {
 public:
  InProcessService(ArticleIndex* index, const Taxonomy* taxonomy, StoryTracker* tracker,
                   const InProcessServiceOptions& options = {})
      : engine_(options.engine, index, taxonomy),
        stories_(options.engine, tracker, &engine_, taxonomy),
        watches_(options.watches, index, taxonomy,
                 [this](absl::string_view name) { return engine_.ResolveEntity(name); }),
        service_(&engine_, &stories_, &watches_, options.max_concurrent_calls) {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::QueryService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~InProcessService() {
    watches_.Close();
    server_->Shutdown();
  }

  v1::QueryService::Stub* stub() { return stub_.get(); }
  QueryEngine& engine() { return engine_; }
  WatchRegistry& watches() { return watches_; }

 private:
  QueryEngine engine_;
  StoryQueries stories_;
  WatchRegistry watches_;
  QueryServiceImpl service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::QueryService::Stub> stub_;
};

class QueryServiceImplTest : public ::testing::Test {
 protected:
  QueryServiceImplTest()
      : taxonomy_(*Taxonomy::LoadFromString(
            "h\nmedtop:16000000\t\t1\t0\tconflict, war and peace\t\n", "t")),
        lexicon_(*entities::EntityLexicon::LoadFromStrings(
            "location-kyiv\tlocation\tKyiv\tKiev\n", "")),
        stories_(StoryTrackerOptions{}, taxonomy_.get()),
        index_(taxonomy_.get(), &entities::NameKey, lexicon_.get(), &stories_),
        service_(&index_, taxonomy_.get(), &stories_,
                 InProcessServiceOptions{QueryEngineOptions{},
                                         WatchRegistryOptions{/*max_watchers=*/2,
                                                              /*queue_capacity=*/100,
                                                              /*replay_batch=*/2}}),
        stub_(service_.stub()),
        engine_(service_.engine()),
        watches_(service_.watches()) {
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
  }

  // Applies article `sequence` naming `entity` and tells the watchers, as
  // the log follower does.
  void Apply(int64_t sequence, const std::string& entity) {
    Article a;
    a.id = absl::StrCat("id", sequence);
    a.log_sequence = sequence;
    a.title = absl::StrCat("Title ", sequence);
    ArticleEntity& e = a.entities.emplace_back();
    e.id = entity;
    e.display_name = entity;
    e.spellings = {entity};
    e.mention_count = 1;
    auto article = std::make_shared<const Article>(std::move(a));
    ASSERT_TRUE(index_.Add(article).ok());
    watches_.Publish(article);
  }

  // The article GetArticle answers for `name`; a failed call fails the test.
  v1::Article GetArticle(const std::string& name) {
    v1::GetArticleRequest request;
    request.set_name(name);
    v1::GetArticleResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub_->GetArticle(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.article();
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<entities::EntityLexicon> lexicon_;
  StoryTracker stories_;
  ArticleIndex index_;
  InProcessService service_;
  v1::QueryService::Stub* const stub_;
  QueryEngine& engine_;
  WatchRegistry& watches_;
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

TEST_F(QueryServiceImplTest, BadRequestsNameTheFieldAsTheRequestHasIt) {
  auto call = [](auto method, const auto& request, auto* response) {
    grpc::ClientContext context;
    grpc::Status status = method(&context, request, response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message();
    return ViolatedField(status);
  };
  auto search = [this](grpc::ClientContext* c, const v1::SearchArticlesRequest& r,
                       v1::SearchArticlesResponse* out) {
    return stub_->SearchArticles(c, r, out);
  };
  v1::SearchArticlesResponse search_response;

  v1::SearchArticlesRequest unknown_topic;
  unknown_topic.mutable_filter()->add_topics("no such topic");
  EXPECT_EQ(call(search, unknown_topic, &search_response), "filter.topics");
  v1::SearchArticlesRequest backwards;
  backwards.mutable_filter()->mutable_start_time()->set_seconds(2000);
  backwards.mutable_filter()->mutable_end_time()->set_seconds(1000);
  EXPECT_EQ(call(search, backwards, &search_response), "filter.end_time");
  v1::SearchArticlesRequest bad_time;
  bad_time.mutable_filter()->mutable_mentioned_start_time()->set_nanos(-1);
  EXPECT_EQ(call(search, bad_time, &search_response), "filter.mentioned_start_time");
  v1::SearchArticlesRequest forged;
  forged.set_page_token("Zm9yZ2Vk");
  EXPECT_EQ(call(search, forged, &search_response), "page_token");
  v1::SearchArticlesRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(call(search, negative, &search_response), "page_size");
  v1::SearchArticlesRequest behind;
  behind.set_min_log_position(-5);
  EXPECT_EQ(call(search, behind, &search_response), "min_log_position");

  v1::FindArticlesByTopicRequest topic;
  topic.set_topic("no such topic");
  v1::FindArticlesByTopicResponse topic_response;
  EXPECT_EQ(call(
                [this](grpc::ClientContext* c, const v1::FindArticlesByTopicRequest& r,
                       v1::FindArticlesByTopicResponse* out) {
                  return stub_->FindArticlesByTopic(c, r, out);
                },
                topic, &topic_response),
            "topic");

  auto by_date = [this](grpc::ClientContext* c, const v1::FindArticlesByDateRangeRequest& r,
                        v1::FindArticlesByDateRangeResponse* out) {
    return stub_->FindArticlesByDateRange(c, r, out);
  };
  v1::FindArticlesByDateRangeResponse date_response;
  v1::FindArticlesByDateRangeRequest date;
  date.mutable_start_time()->set_seconds(2000);
  EXPECT_EQ(call(by_date, date, &date_response), "end_time");
  date.mutable_end_time()->set_seconds(1000);
  EXPECT_EQ(call(by_date, date, &date_response), "end_time");

  v1::FindArticlesByEntityResponse entity_response;
  EXPECT_EQ(call(
                [this](grpc::ClientContext* c, const v1::FindArticlesByEntityRequest& r,
                       v1::FindArticlesByEntityResponse* out) {
                  return stub_->FindArticlesByEntity(c, r, out);
                },
                v1::FindArticlesByEntityRequest(), &entity_response),
            "entity");

  v1::ListTopicsRequest parent;
  parent.set_parent_code("medtop:99999999");
  v1::ListTopicsResponse topics_response;
  EXPECT_EQ(call(
                [this](grpc::ClientContext* c, const v1::ListTopicsRequest& r,
                       v1::ListTopicsResponse* out) { return stub_->ListTopics(c, r, out); },
                parent, &topics_response),
            "parent_code");

  auto count = [this](grpc::ClientContext* c, const v1::CountArticlesRequest& r,
                      v1::CountArticlesResponse* out) {
    return stub_->CountArticles(c, r, out);
  };
  v1::CountArticlesResponse count_response;
  v1::CountArticlesRequest groups_alone;
  groups_alone.add_groups("medtop:16000000");
  EXPECT_EQ(call(count, groups_alone, &count_response), "groups");
  v1::CountArticlesRequest bad_interval;
  bad_interval.set_interval(static_cast<v1::CountInterval>(99));
  EXPECT_EQ(call(count, bad_interval, &count_response), "interval");

  v1::ListEntitiesRequest lonely_time;
  lonely_time.mutable_start_time()->set_seconds(1);
  v1::ListEntitiesResponse entities_response;
  EXPECT_EQ(call(
                [this](grpc::ClientContext* c, const v1::ListEntitiesRequest& r,
                       v1::ListEntitiesResponse* out) {
                  return stub_->ListEntities(c, r, out);
                },
                lonely_time, &entities_response),
            "cooccurs_with");

  v1::ResolveEntityResponse resolve_response;
  EXPECT_EQ(call(
                [this](grpc::ClientContext* c, const v1::ResolveEntityRequest& r,
                       v1::ResolveEntityResponse* out) {
                  return stub_->ResolveEntity(c, r, out);
                },
                v1::ResolveEntityRequest(), &resolve_response),
            "name");
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

TEST_F(QueryServiceImplTest, SearchCarriesFacetsHistogramAndExplanations) {
  v1::SearchArticlesRequest request;
  request.mutable_filter()->add_any_entities("Kiev");
  request.mutable_filter()->add_none_entities("Marian");
  request.mutable_filter()->add_topics("medtop:16000000");
  request.mutable_filter()->set_text("body");
  ToProto(absl::FromCivil(absl::CivilDay(2023, 4, 1), absl::UTCTimeZone()),
          request.mutable_filter()->mutable_start_time());
  request.set_page_size(1);
  v1::SearchFacetSpec* by_entity = request.add_facets();
  by_entity->set_group_by(v1::COUNT_GROUP_BY_ENTITY);
  request.add_facets()->set_group_by(v1::COUNT_GROUP_BY_TOPIC);
  request.set_histogram_interval(v1::COUNT_INTERVAL_DAY);
  v1::SearchArticlesResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub_->SearchArticles(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.total_size(), 2);  // id2 names Marian
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).article().article_id(), "id3");
  ASSERT_EQ(response.facets_size(), 2);
  EXPECT_EQ(response.facets(0).group_by(), v1::COUNT_GROUP_BY_ENTITY);
  ASSERT_EQ(response.facets(0).groups_size(), 1);
  EXPECT_EQ(response.facets(0).groups(0).key(), "location-kyiv");
  EXPECT_EQ(response.facets(0).groups(0).article_count(), 2);
  EXPECT_EQ(response.facets(1).groups(0).key(), "medtop:16000000");
  // April 1 (the start bound) to April 23, the last article's day.
  ASSERT_EQ(response.histogram_size(), 23);
  EXPECT_EQ(response.histogram(20).article_count(), 1);  // April 21
  EXPECT_EQ(response.histogram(21).article_count(), 0);  // April 22: id2, left out
  EXPECT_EQ(response.histogram(22).article_count(), 1);

  const v1::MatchExplanation& why = response.matches(0).explanation();
  EXPECT_EQ(response.matches(0).entity_matches(0).mentions(0).spelling(), "Kiev");
  ASSERT_EQ(why.topics_size(), 1);
  EXPECT_EQ(why.topics(0).article_code(), "medtop:16000000");
  EXPECT_TRUE(why.topics(0).exact());
  EXPECT_EQ(why.publish_time().precision(), v1::TIME_PRECISION_DAY);
  ASSERT_EQ(why.words_size(), 1);
  EXPECT_EQ(why.words(0).section(), v1::TEXT_SECTION_BODY);
  EXPECT_EQ(why.words(0).begin_offset(), 0);
  EXPECT_EQ(why.words(0).end_offset(), 4);

  // Bad facets and forged tokens name their field.
  v1::SearchArticlesRequest bad;
  bad.add_facets()->set_group_by(v1::COUNT_GROUP_BY_UNSPECIFIED);
  grpc::ClientContext c2;
  const grpc::Status facet_status = stub_->SearchArticles(&c2, bad, &response);
  EXPECT_EQ(facet_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(facet_status), "facets[0].group_by");
  request.set_page_token(response.next_page_token() + "x");
  grpc::ClientContext c3;
  const grpc::Status token_status = stub_->SearchArticles(&c3, request, &response);
  EXPECT_EQ(token_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(token_status), "page_token");
}

TEST_F(QueryServiceImplTest, WatchStreamsNewMatchingArticlesAndResumes) {
  v1::WatchArticlesRequest request;
  request.mutable_filter()->add_any_entities("person-watched");
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::WatchArticlesResponse>> reader =
      stub_->WatchArticles(&context, request);
  // The stream is open once the watch is registered.
  for (int i = 0; i < 500 && watches_.active() == 0; ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(watches_.active(), 1);
  Apply(4, "person-other");
  Apply(5, "person-watched");
  Apply(6, "person-other");
  Apply(7, "person-watched");
  v1::WatchArticlesResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.log_position(), 5);
  EXPECT_EQ(response.match().article().article_id(), "id5");
  EXPECT_EQ(response.match().entity_matches(0).entity_id(), "person-watched");
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.log_position(), 7);
  context.TryCancel();
  while (reader->Read(&response)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The server notices the cancellation and frees the watcher's place.
  for (int i = 0; i < 500 && watches_.active() > 0; ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(watches_.active(), 0);

  // Resuming after 5 replays 7, then goes on live.
  request.set_start_after_log_position(5);
  grpc::ClientContext resume_context;
  auto resumed = stub_->WatchArticles(&resume_context, request);
  ASSERT_TRUE(resumed->Read(&response));
  EXPECT_EQ(response.log_position(), 7);
  Apply(8, "person-watched");
  ASSERT_TRUE(resumed->Read(&response));
  EXPECT_EQ(response.log_position(), 8);

  // Two watchers at most (the fixture's limit); bad positions are refused.
  grpc::ClientContext second_context;
  auto second = stub_->WatchArticles(&second_context, request);
  ASSERT_TRUE(second->Read(&response));  // replays 7
  grpc::ClientContext third_context;
  auto third = stub_->WatchArticles(&third_context, request);
  EXPECT_FALSE(third->Read(&response));
  EXPECT_EQ(third->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  resume_context.TryCancel();
  second_context.TryCancel();
  while (resumed->Read(&response)) {
  }
  while (second->Read(&response)) {
  }
  resumed->Finish();
  second->Finish();
  request.set_start_after_log_position(-1);
  grpc::ClientContext negative_context;
  auto negative = stub_->WatchArticles(&negative_context, request);
  EXPECT_FALSE(negative->Read(&response));
  const grpc::Status negative_status = negative->Finish();
  EXPECT_EQ(negative_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(negative_status), "start_after_log_position");
}

}  // namespace
}  // namespace newsdesk::query

namespace newsdesk::query {
namespace {

// A page's articles are parsed from their stored bytes straight into the
// response: the same message GetArticle builds from the decoded article,
// with the story the index gave it, cut to the view asked for.
TEST_F(QueryServiceImplTest, PagesCarryEachArticleAsGetArticleReturnsIt) {
  for (const v1::ArticleView view : {v1::ARTICLE_VIEW_FULL, v1::ARTICLE_VIEW_BASIC}) {
    v1::SearchArticlesRequest request;
    request.mutable_filter()->add_topics("medtop:16000000");
    request.set_view(view);
    v1::SearchArticlesResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->SearchArticles(&context, request, &response).ok());
    ASSERT_EQ(response.matches_size(), 3);
    for (const v1::ArticleMatch& match : response.matches()) {
      v1::Article expected = GetArticle(match.article().name());
      EXPECT_FALSE(expected.story_id().empty());
      if (view == v1::ARTICLE_VIEW_BASIC) {
        EXPECT_EQ(expected.paragraphs_size(), 1);
        expected.clear_paragraphs();
        expected.clear_key_points();
        expected.clear_removed_blocks();
        expected.clear_quotes();
      }
      EXPECT_EQ(match.article().SerializeAsString(), expected.SerializeAsString())
          << match.article().name();
      EXPECT_EQ(match.matched_topics(0), "medtop:16000000");
    }
  }
}

// A page's articles are copied into the response as stored, not parsed: the
// response a caller receives is, byte for byte once parsed, the one the
// converters build from the decoded articles (as a watch's matches carry
// them), and each article's bytes in it are those of its message.
TEST_F(QueryServiceImplTest, PagesAreTheResponsesOfTheDecodedArticles) {
  SearchRequest with_entity;
  with_entity.any_entities = {"Kiev"};
  with_entity.topics = {"medtop:16000000"};
  with_entity.mentioned_start_time = MonthStart(2014, 6);
  with_entity.page_size = 2;
  SearchRequest by_topic;
  by_topic.topics = {"conflict, war and peace"};
  for (const SearchRequest* request : {&with_entity, &by_topic}) {
    for (const v1::ArticleView view : {v1::ARTICLE_VIEW_FULL, v1::ARTICLE_VIEW_BASIC}) {
      absl::StatusOr<SearchResult> result = engine_.Search(*request);
      ASSERT_TRUE(result.ok()) << result.status();
      ASSERT_FALSE(result->matches.empty());
      v1::SearchArticlesResponse response;
      ASSERT_TRUE(ToProto(*result, view, &response).ok());
      v1::SearchArticlesResponse received;
      ASSERT_TRUE(received.ParseFromString(response.SerializeAsString()));

      SearchResult decoded = *result;
      for (SearchMatch& match : decoded.matches) {
        const std::string id(match.article->id);
        match.stored.reset();
        absl::StatusOr<std::shared_ptr<const Article>> whole = index_.Get(id);
        ASSERT_TRUE(whole.ok() && *whole != nullptr) << id;
        match.article = *whole;
      }
      v1::SearchArticlesResponse expected;
      ASSERT_TRUE(ToProto(decoded, view, &expected).ok());
      EXPECT_EQ(received.SerializeAsString(), expected.SerializeAsString()) << view;
      EXPECT_FALSE(expected.matches(0).article().story_id().empty());
      for (int i = 0; i < response.matches_size(); ++i) {
        const google::protobuf::UnknownFieldSet& raw =
            response.matches(i).GetReflection()->GetUnknownFields(response.matches(i));
        ASSERT_EQ(raw.field_count(), 1);
        EXPECT_EQ(raw.field(0).number(), v1::ArticleMatch::kArticleFieldNumber);
        EXPECT_EQ(raw.field(0).length_delimited(), expected.matches(i).article().SerializeAsString());
      }
    }
  }
}

// A read_mask returns only the article fields it names, whatever the view,
// with the explanations; a path that names no field is INVALID_ARGUMENT
// naming read_mask.
TEST_F(QueryServiceImplTest, AReadMaskReturnsOnlyTheFieldsItNames) {
  v1::SearchArticlesRequest request;
  request.mutable_filter()->add_any_entities("Kiev");
  request.set_view(v1::ARTICLE_VIEW_BASIC);
  for (const char* path : {"article_id", "title", "publish_time", "paragraphs", "story_id"}) {
    request.mutable_read_mask()->add_paths(path);
  }
  v1::SearchArticlesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->SearchArticles(&context, request, &response).ok());
  ASSERT_EQ(response.matches_size(), 3);
  for (const v1::ArticleMatch& match : response.matches()) {
    const v1::Article got = GetArticle(ArticleName(match.article().article_id()));
    v1::Article expected;
    expected.set_article_id(got.article_id());
    expected.set_title(got.title());
    *expected.mutable_publish_time() = got.publish_time();
    *expected.mutable_paragraphs() = got.paragraphs();
    expected.set_story_id(got.story_id());
    EXPECT_EQ(match.article().SerializeAsString(), expected.SerializeAsString());
    EXPECT_EQ(match.article().paragraphs_size(), 1);
    EXPECT_FALSE(match.article().story_id().empty());
    ASSERT_EQ(match.entity_matches_size(), 1);
    EXPECT_EQ(match.entity_matches(0).entity_id(), "location-kyiv");
  }

  request.mutable_read_mask()->add_paths("publish_time.time");
  grpc::ClientContext bad_context;
  const grpc::Status bad = stub_->SearchArticles(&bad_context, request, &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(bad), "read_mask");
  EXPECT_NE(bad.error_message().find("publish_time.time"), std::string::npos);
}

// skip_explanations returns the same matches, pages and articles without
// their explanations (entity_matches, matched_topics, explanation unset).
TEST_F(QueryServiceImplTest, SkipExplanationsLeavesTheExplanationsOut) {
  v1::SearchArticlesRequest request;
  request.mutable_filter()->add_any_entities("Kiev");
  request.mutable_filter()->add_topics("medtop:16000000");
  request.set_page_size(2);
  for (const char* path : {"article_id", "title", "publish_time"}) {
    request.mutable_read_mask()->add_paths(path);
  }
  v1::SearchArticlesRequest listing = request;
  listing.set_skip_explanations(true);
  for (int page = 0;; ++page) {
    v1::SearchArticlesResponse explained, listed;
    grpc::ClientContext context, listing_context;
    ASSERT_TRUE(stub_->SearchArticles(&context, request, &explained).ok());
    ASSERT_TRUE(stub_->SearchArticles(&listing_context, listing, &listed).ok());
    ASSERT_GT(explained.matches_size(), 0) << page;
    ASSERT_EQ(listed.matches_size(), explained.matches_size());
    EXPECT_EQ(listed.total_size(), explained.total_size());
    EXPECT_EQ(listed.next_page_token(), explained.next_page_token());
    for (int i = 0; i < listed.matches_size(); ++i) {
      v1::ArticleMatch without = explained.matches(i);
      EXPECT_GT(without.entity_matches_size(), 0);
      EXPECT_GT(without.matched_topics_size(), 0);
      EXPECT_GT(without.explanation().topics_size(), 0);
      without.clear_entity_matches();
      without.clear_matched_topics();
      without.clear_explanation();
      EXPECT_FALSE(listed.matches(i).has_explanation());
      EXPECT_EQ(listed.matches(i).SerializeAsString(), without.SerializeAsString());
    }
    if (explained.next_page_token().empty()) break;
    request.set_page_token(explained.next_page_token());
    listing.set_page_token(explained.next_page_token());
  }
}

// A read_mask of summary fields alone (InSummary) is answered from the
// summaries the index keeps: the articles are those of a whole read with
// the other fields cleared, byte for byte, page by page.
TEST_F(QueryServiceImplTest, ASummaryReadMaskReturnsTheStoredFields) {
  v1::SearchArticlesRequest whole;
  whole.mutable_filter()->add_any_entities("Kiev");
  whole.set_page_size(2);
  whole.set_skip_explanations(true);
  whole.set_view(v1::ARTICLE_VIEW_FULL);
  v1::SearchArticlesRequest summary = whole;
  const std::vector<std::string> paths = {"name", "article_id", "title", "publish_time",
                                          "source", "url", "log_sequence", "story_id"};
  for (const std::string& path : paths) summary.mutable_read_mask()->add_paths(path);
  int pages = 0;
  for (;; ++pages) {
    v1::SearchArticlesResponse all, listed;
    grpc::ClientContext context, summary_context;
    ASSERT_TRUE(stub_->SearchArticles(&context, whole, &all).ok());
    ASSERT_TRUE(stub_->SearchArticles(&summary_context, summary, &listed).ok());
    ASSERT_EQ(listed.matches_size(), all.matches_size());
    EXPECT_EQ(listed.next_page_token(), all.next_page_token());
    for (int i = 0; i < listed.matches_size(); ++i) {
      v1::Article expected = all.matches(i).article();
      EXPECT_FALSE(expected.title().empty());
      EXPECT_GT(expected.paragraphs_size(), 0);
      const google::protobuf::Descriptor* descriptor = expected.GetDescriptor();
      for (int f = 0; f < descriptor->field_count(); ++f) {
        const google::protobuf::FieldDescriptor* field = descriptor->field(f);
        if (std::find(paths.begin(), paths.end(), field->name()) == paths.end()) {
          expected.GetReflection()->ClearField(&expected, field);
        }
      }
      EXPECT_EQ(listed.matches(i).article().SerializeAsString(), expected.SerializeAsString())
          << "page " << pages << " match " << i;
    }
    if (all.next_page_token().empty()) break;
    whole.set_page_token(all.next_page_token());
    summary.set_page_token(all.next_page_token());
  }
  EXPECT_GT(pages, 0);
}

// The FindArticlesBy* calls, each with a request that matches the three
// articles of the fixture, for the typed tests below: they take a read_mask
// and skip_explanations as SearchArticles does. `Explains` says whether a
// match explains how it satisfied the request.
struct FindByEntity {
  using Response = v1::FindArticlesByEntityResponse;
  static constexpr const char* kName = "Entity";
  static constexpr auto kCall = &v1::QueryService::Stub::FindArticlesByEntity;
  static v1::FindArticlesByEntityRequest Make() {
    v1::FindArticlesByEntityRequest request;
    request.set_entity("Kiev");
    return request;
  }
  static bool Explains(const v1::ArticleMatch& match) {
    return match.entity_matches_size() == 1 &&
           match.entity_matches(0).entity_id() == "location-kyiv";
  }
};

struct FindByDateRange {
  using Response = v1::FindArticlesByDateRangeResponse;
  static constexpr const char* kName = "DateRange";
  static constexpr auto kCall = &v1::QueryService::Stub::FindArticlesByDateRange;
  static v1::FindArticlesByDateRangeRequest Make() {
    v1::FindArticlesByDateRangeRequest request;
    ToProto(MonthStart(2023, 4), request.mutable_start_time());
    ToProto(MonthStart(2023, 5), request.mutable_end_time());
    return request;
  }
  static bool Explains(const v1::ArticleMatch& match) {
    return match.explanation().has_publish_time();
  }
};

struct FindByTopic {
  using Response = v1::FindArticlesByTopicResponse;
  static constexpr const char* kName = "Topic";
  static constexpr auto kCall = &v1::QueryService::Stub::FindArticlesByTopic;
  static v1::FindArticlesByTopicRequest Make() {
    v1::FindArticlesByTopicRequest request;
    request.set_topic("medtop:16000000");
    return request;
  }
  static bool Explains(const v1::ArticleMatch& match) {
    return match.matched_topics_size() == 1 && match.explanation().topics_size() == 1;
  }
};

template <typename Find>
class FindArticlesByTest : public QueryServiceImplTest {
 protected:
  using Request = decltype(Find::Make());
  using Response = typename Find::Response;

  grpc::Status Send(const Request& request, Response* response) {
    grpc::ClientContext context;
    return ((*stub_).*Find::kCall)(&context, request, response);
  }

  // The response to `request`; a failed call fails the test.
  Response Call(const Request& request) {
    Response response;
    const grpc::Status status = Send(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // `request` as a listing: ids, titles and publish times, no explanations.
  static Request Listing(Request request) {
    for (const char* path : {"article_id", "title", "publish_time"}) {
      request.mutable_read_mask()->add_paths(path);
    }
    request.set_skip_explanations(true);
    return request;
  }
};

struct FindCallName {
  template <typename Find>
  static std::string GetName(int) {
    return Find::kName;
  }
};
using FindCalls = ::testing::Types<FindByEntity, FindByDateRange, FindByTopic>;
TYPED_TEST_SUITE(FindArticlesByTest, FindCalls, FindCallName);

// A read_mask returns only the article fields it names, whatever the view
// (paragraphs are not in the basic view), and the explanations as always.
TYPED_TEST(FindArticlesByTest, AReadMaskReturnsOnlyTheFieldsItNames) {
  typename TestFixture::Request request = TypeParam::Make();
  request.set_view(v1::ARTICLE_VIEW_BASIC);
  for (const char* path : {"article_id", "title", "publish_time", "paragraphs"}) {
    request.mutable_read_mask()->add_paths(path);
  }
  const typename TestFixture::Response response = this->Call(request);
  ASSERT_EQ(response.matches_size(), 3);
  EXPECT_EQ(response.total_size(), 3);
  for (const v1::ArticleMatch& match : response.matches()) {
    const v1::Article got = this->GetArticle(ArticleName(match.article().article_id()));
    ASSERT_FALSE(got.name().empty());
    v1::Article expected;
    expected.set_article_id(got.article_id());
    expected.set_title(got.title());
    *expected.mutable_publish_time() = got.publish_time();
    *expected.mutable_paragraphs() = got.paragraphs();
    EXPECT_EQ(match.article().SerializeAsString(), expected.SerializeAsString());
    EXPECT_EQ(match.article().paragraphs_size(), 1);
    EXPECT_TRUE(match.article().name().empty());
    EXPECT_TRUE(TypeParam::Explains(match)) << match.ShortDebugString();
  }
}

// skip_explanations returns the same matches, in the same order, page by
// page, with entity_matches, matched_topics and explanation unset.
TYPED_TEST(FindArticlesByTest, SkipExplanationsLeavesTheExplanationsOut) {
  typename TestFixture::Request request = TypeParam::Make();
  request.set_page_size(2);
  typename TestFixture::Request listing = request;
  listing.set_skip_explanations(true);
  int pages = 0;
  for (;; ++pages) {
    const typename TestFixture::Response explained = this->Call(request);
    const typename TestFixture::Response listed = this->Call(listing);
    ASSERT_GT(explained.matches_size(), 0) << pages;
    ASSERT_EQ(listed.matches_size(), explained.matches_size());
    EXPECT_EQ(listed.total_size(), explained.total_size());
    EXPECT_EQ(listed.next_page_token(), explained.next_page_token());
    for (int i = 0; i < listed.matches_size(); ++i) {
      v1::ArticleMatch without = explained.matches(i);
      EXPECT_TRUE(TypeParam::Explains(without)) << without.ShortDebugString();
      without.clear_entity_matches();
      without.clear_matched_topics();
      without.clear_explanation();
      const v1::ArticleMatch& match = listed.matches(i);
      EXPECT_FALSE(match.has_explanation());
      EXPECT_EQ(match.entity_matches_size(), 0);
      EXPECT_EQ(match.matched_topics_size(), 0);
      EXPECT_FALSE(match.article().title().empty());
      EXPECT_EQ(match.SerializeAsString(), without.SerializeAsString());
    }
    if (explained.next_page_token().empty()) break;
    request.set_page_token(explained.next_page_token());
    listing.set_page_token(explained.next_page_token());
  }
  EXPECT_EQ(pages, 1);  // two pages of 2 and 1
}

// A path that names no Article field is INVALID_ARGUMENT naming read_mask,
// with a message that names the path.
TYPED_TEST(FindArticlesByTest, ABadReadMaskPathIsInvalidArgument) {
  for (const char* bad_path : {"publish_time.time", "no_such_field"}) {
    typename TestFixture::Request request = TypeParam::Make();
    request.mutable_read_mask()->add_paths("title");
    request.mutable_read_mask()->add_paths(bad_path);
    typename TestFixture::Response response;
    const grpc::Status status = this->Send(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad_path;
    EXPECT_EQ(ViolatedField(status), "read_mask");
    EXPECT_NE(status.error_message().find(bad_path), std::string::npos) << status.error_message();
    EXPECT_EQ(response.matches_size(), 0);
  }
}

// A page token works whether the pages before and after it were masked and
// listed or not: a walk that alternates returns the articles of the plain
// walk, in its order, each page as it asked.
TYPED_TEST(FindArticlesByTest, PageTokensWorkAcrossMaskedAndUnmaskedPages) {
  std::vector<std::string> plain_ids;
  typename TestFixture::Request plain = TypeParam::Make();
  plain.set_page_size(1);
  do {
    const typename TestFixture::Response response = this->Call(plain);
    for (const v1::ArticleMatch& m : response.matches()) plain_ids.push_back(m.article().article_id());
    plain.set_page_token(response.next_page_token());
  } while (!plain.page_token().empty());
  ASSERT_EQ(plain_ids.size(), 3u);

  for (const bool listed_first : {true, false}) {
    std::vector<std::string> ids;
    std::string token;
    bool listed = listed_first;
    do {
      typename TestFixture::Request request = TypeParam::Make();
      request.set_page_size(1);
      if (listed) request = TestFixture::Listing(request);
      request.set_page_token(token);
      const typename TestFixture::Response response = this->Call(request);
      ASSERT_EQ(response.matches_size(), 1) << ids.size();
      EXPECT_EQ(response.total_size(), 3);
      const v1::ArticleMatch& match = response.matches(0);
      ids.push_back(match.article().article_id());
      EXPECT_FALSE(match.article().title().empty());
      EXPECT_TRUE(match.article().has_publish_time());
      // The basic view has the resource name and the entities; the
      // listing's mask has neither.
      EXPECT_EQ(match.article().name().empty(), listed) << ids.size();
      EXPECT_EQ(match.article().entities_size() == 0, listed) << ids.size();
      EXPECT_EQ(match.has_explanation(), !listed) << ids.size();
      token = response.next_page_token();
      listed = !listed;
    } while (!token.empty());
    EXPECT_EQ(ids, plain_ids) << "listed first: " << listed_first;
  }
}

// An article store whose bytes are damaged.
class DamagedStore final : public IndexedArticleStore {
 public:
  absl::Status Put(absl::Span<const Article* const> articles, bool as_logged) override {
    return store_.Put(articles, as_logged);
  }
  absl::StatusOr<std::vector<Article>> Get(
      absl::Span<const int64_t> sequences) const override {
    return store_.Get(sequences);
  }
  absl::StatusOr<EncodedArticles> GetEncoded(
      absl::Span<const int64_t> sequences) const override {
    EncodedArticles out;
    for (size_t i = 0; i < sequences.size(); ++i) out.Add("\xff\xff not an article");
    return out;
  }

 private:
  InMemoryIndexedArticleStore store_;
};

// The query service over a store whose every read fails (DamagedStore).
class QueryServiceStoreTest : public ::testing::Test {
 protected:
  QueryServiceStoreTest()
      : taxonomy_(*Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t")),
        index_(taxonomy_.get(), &entities::NameKey, nullptr, nullptr, &store_),
        tracker_(StoryTrackerOptions{}, taxonomy_.get()),
        service_(&index_, taxonomy_.get(), &tracker_),
        stub_(service_.stub()) {}

  // Indexes `a` as article id1, log sequence 1, naming Kyiv.
  void AddNamingKyiv(Article a) {
    a.id = "id1";
    a.log_sequence = 1;
    ArticleEntity& kyiv = a.entities.emplace_back();
    kyiv.id = "location-kyiv";
    kyiv.display_name = "Kyiv";
    ASSERT_TRUE(index_.Add(std::make_shared<const Article>(std::move(a))).ok());
  }

  std::unique_ptr<Taxonomy> taxonomy_;
  DamagedStore store_;
  ArticleIndex index_;
  StoryTracker tracker_;
  InProcessService service_;
  v1::QueryService::Stub* const stub_;
};

TEST_F(QueryServiceStoreTest, ADamagedStoredArticleIsDataLossNotACrash) {
  AddNamingKyiv(Article{});
  v1::FindArticlesByEntityRequest request;
  request.set_entity("Kyiv");
  v1::FindArticlesByEntityResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub_->FindArticlesByEntity(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_NE(status.error_message().find("log sequence 1"), std::string::npos)
      << status.error_message();
}

// A listing of summary fields never reads the store, even when the
// explanation reads the publication time (kept in the summary); one whose
// fields or explanation read more does.
TEST_F(QueryServiceStoreTest, ASummaryListingDoesNotReadTheStore) {
  Article a;
  a.title = "Talks in Kyiv";
  a.publish_time.precision = TimePrecision::kDay;
  a.publish_time.time = absl::FromUnixSeconds(1682467200);
  AddNamingKyiv(std::move(a));

  auto by_entity = [this](bool explain, const std::vector<std::string>& paths) {
    v1::FindArticlesByEntityRequest request;
    request.set_entity("location-kyiv");
    request.set_skip_explanations(!explain);
    for (const std::string& path : paths) request.mutable_read_mask()->add_paths(path);
    v1::FindArticlesByEntityResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub_->FindArticlesByEntity(&context, request, &response);
    return std::make_pair(status.error_code(), response);
  };
  auto [listed, response] = by_entity(/*explain=*/false, {"article_id", "title"});
  ASSERT_EQ(listed, grpc::StatusCode::OK);
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).article().title(), "Talks in Kyiv");
  EXPECT_EQ(response.matches(0).article().article_id(), "id1");
  // The entity's explanation reads the article's entities; the byline is
  // no summary field.
  EXPECT_EQ(by_entity(/*explain=*/true, {"article_id", "title"}).first,
            grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(by_entity(/*explain=*/false, {"article_id", "byline"}).first,
            grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(by_entity(/*explain=*/false, {}).first, grpc::StatusCode::DATA_LOSS);

  // A date range's explanation reads the publication time: in the summary.
  v1::FindArticlesByDateRangeRequest range;
  range.mutable_start_time()->set_seconds(1682380800);
  range.mutable_end_time()->set_seconds(1682553600);
  range.mutable_read_mask()->add_paths("publish_time");
  v1::FindArticlesByDateRangeResponse in_range;
  grpc::ClientContext context;
  const grpc::Status status = stub_->FindArticlesByDateRange(&context, range, &in_range);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(in_range.matches_size(), 1);
  EXPECT_EQ(in_range.matches(0).article().publish_time().time().seconds(), 1682467200);
  EXPECT_TRUE(in_range.matches(0).has_explanation());
}

// Links follow indexing: with the link stage behind, an article is found
// without its story; a search that folds near-copies and asks for the
// article's log position waits for the links, UNAVAILABLE when they do not
// come in time; once linked, both show the links.
TEST(QueryServiceLinkTest, LinksFollowIndexingAndLinkReadingQueriesWaitForThem) {
  auto taxonomy = *Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t");
  auto lexicon = *entities::EntityLexicon::LoadFromStrings("location-kyiv\tlocation\tKyiv\n", "");
  StoryTracker tracker(StoryTrackerOptions{}, taxonomy.get());
  ArticleIndex index(taxonomy.get(), &entities::NameKey, lexicon.get(), &tracker, nullptr,
                     LinkOptions{/*deferred=*/true});
  InProcessServiceOptions options;
  options.engine.max_log_wait = absl::Milliseconds(50);
  options.max_concurrent_calls = 10;
  InProcessService service(&index, taxonomy.get(), &tracker, options);
  v1::QueryService::Stub* const stub = service.stub();

  Article a;
  a.id = "a1";
  a.log_sequence = 1;
  a.title = "Grain deal signed";
  a.paragraphs = {"Ukraine and Russia signed a grain deal in Istanbul on Friday."};
  ASSERT_TRUE(index.Add(std::make_shared<const Article>(a)).ok());
  v1::GetArticleRequest get;
  get.set_name("articles/a1");
  v1::GetArticleResponse got;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetArticle(&context, get, &got).ok());
  }
  EXPECT_EQ(got.article().story_id(), "");
  v1::SearchArticlesRequest collapsed;
  collapsed.set_collapse_copies(true);
  collapsed.set_min_log_position(1);
  v1::SearchArticlesResponse found;
  {
    grpc::ClientContext context;
    const grpc::Status status = stub->SearchArticles(&context, collapsed, &found);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(status.error_message().find("stories and near-copies"), std::string::npos)
        << status.error_message();
  }
  ASSERT_TRUE(index.LinkPending().ok());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetArticle(&context, get, &got).ok());
  }
  EXPECT_EQ(got.article().story_id(), "story-a1");
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->SearchArticles(&context, collapsed, &found).ok());
  }
  ASSERT_EQ(found.matches_size(), 1);
  EXPECT_EQ(found.matches(0).article().story_id(), "story-a1");
}

// Beyond its limit of calls at once the service answers RESOURCE_EXHAUSTED
// at once. A search waiting for a log position it has not reached holds the
// one place.
TEST(QueryServiceLimitTest, ACallBeyondTheLimitIsRefusedAtOnce) {
  auto taxonomy = *Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t");
  ArticleIndex index(taxonomy.get(), &entities::NameKey);
  StoryTracker tracker(StoryTrackerOptions{}, taxonomy.get());
  InProcessServiceOptions options;
  options.engine.max_log_wait = absl::Seconds(2);
  options.max_concurrent_calls = 1;
  InProcessService service(&index, taxonomy.get(), &tracker, options);
  v1::QueryService::Stub* const stub = service.stub();

  grpc::Status waiting;
  std::atomic<bool> waited{false};
  std::thread waiter([&] {
    v1::SearchArticlesRequest request;
    request.set_min_log_position(10);
    // A probe below may take the permit first; then this call is refused
    // and tries again until it holds the permit and waits.
    do {
      v1::SearchArticlesResponse response;
      grpc::ClientContext context;
      waiting = stub->SearchArticles(&context, request, &response);
    } while (waiting.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
    waited = true;
  });
  // While the waiting call holds the only permit (2 s), others are refused.
  grpc::Status refused;
  while (!waited) {
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
}

// A WatchArticles stream holds a call permit only while it starts: open
// watches do not use up the limit of calls at once.
TEST(QueryServiceLimitTest, AnOpenWatchHoldsNoCallPermit) {
  auto taxonomy = *Taxonomy::LoadFromString("h\nmedtop:1\t\t1\t0\tx\t\n", "t");
  ArticleIndex index(taxonomy.get(), &entities::NameKey);
  StoryTracker tracker(StoryTrackerOptions{}, taxonomy.get());
  InProcessServiceOptions options;
  options.max_concurrent_calls = 1;
  InProcessService service(&index, taxonomy.get(), &tracker, options);
  v1::QueryService::Stub* const stub = service.stub();
  WatchRegistry& watches = service.watches();

  grpc::ClientContext watch_context;
  v1::WatchArticlesRequest watch_request;
  watch_request.mutable_filter()->add_any_entities("location-kyiv");
  auto reader = stub->WatchArticles(&watch_context, watch_request);
  // Wait until the watch has started, then make unary calls while it is open.
  for (int i = 0; i < 200 && watches.active() == 0; ++i) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_EQ(watches.active(), 1);
  for (int i = 0; i < 3; ++i) {
    v1::ListTopicsResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ListTopics(&context, v1::ListTopicsRequest(), &response).ok());
  }
  watch_context.TryCancel();
  v1::WatchArticlesResponse ignored;
  while (reader->Read(&ignored)) {
  }
  reader->Finish();
}

}  // namespace
}  // namespace newsdesk::query
