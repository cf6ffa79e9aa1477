// Feeds requests built from arbitrary bytes to the QueryService adapter in
// process, over an index of the sample articles: the first byte chooses the
// call, the rest is parsed as its request message (filters, page sizes,
// page tokens, time ranges, names, prefixes), and the call runs as a
// caller's would: conversion, validation, the query engine, paging and the
// conversion of the answer.
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "common/data/shared_data.h"
#include "common/entities/name_key.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/parse/article_parser.h"
#include "query_service/core/watch_registry.h"
#include "query_service/grpc/query_service_impl.h"

namespace {

struct Service {
  Service() {
    data = *newsdesk::LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
    stories = std::make_unique<newsdesk::query::StoryTracker>(
        newsdesk::query::StoryTrackerOptions{}, data.taxonomy.get());
    index = std::make_unique<newsdesk::query::ArticleIndex>(
        data.taxonomy.get(), &newsdesk::entities::NameKey, data.lexicon.get(), stories.get());
    // The sample articles, parsed as the ingest service would.
    newsdesk::ingest::ArticleParser parser;
    newsdesk::ingest::RuleEntityExtractor extractor(data.lexicon.get(), {});
    auto classifier = *newsdesk::ingest::KeywordTopicClassifier::Load(
        data.taxonomy.get(), NEWSDESK_DATA_DIR "/topics/topic_terms.tsv");
    newsdesk::ingest::Ingestor ingestor({}, &parser, &extractor, classifier.get(), nullptr);
    int64_t sequence = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NEWSDESK_DATA_DIR "/seeds")) {
      std::ifstream in(entry.path());
      newsdesk::RawArticle raw;
      raw.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      auto article = ingestor.Parse(raw);
      if (!article.ok()) continue;
      article->log_sequence = ++sequence;
      (void)index->Add(std::make_shared<const newsdesk::Article>(*std::move(article)));
    }
    engine = std::make_unique<newsdesk::query::QueryEngine>(
        newsdesk::query::QueryEngineOptions{}, index.get(), data.taxonomy.get());
    // WatchArticles is a server stream and is not called here; the registry
    // is what the service is built with.
    watches = std::make_unique<newsdesk::query::WatchRegistry>(
        newsdesk::query::WatchRegistryOptions{}, index.get(), data.taxonomy.get(),
        [e = engine.get()](absl::string_view name) { return e->ResolveEntity(name); });
    story_queries = std::make_unique<newsdesk::query::StoryQueries>(
        newsdesk::query::QueryEngineOptions{}, stories.get(), engine.get(), data.taxonomy.get());
    service = std::make_unique<newsdesk::query::QueryServiceImpl>(
        engine.get(), story_queries.get(), watches.get());
  }
  newsdesk::SharedData data;
  std::unique_ptr<newsdesk::query::StoryTracker> stories;
  std::unique_ptr<newsdesk::query::ArticleIndex> index;
  std::unique_ptr<newsdesk::query::QueryEngine> engine;
  std::unique_ptr<newsdesk::query::StoryQueries> story_queries;
  std::unique_ptr<newsdesk::query::WatchRegistry> watches;
  std::unique_ptr<newsdesk::query::QueryServiceImpl> service;
};

// Parses `bytes` as Request and calls `method` with it.
template <typename Request, typename Response, typename Method>
void Call(newsdesk::query::QueryServiceImpl* service, Method method, const uint8_t* bytes,
          size_t size) {
  Request request;
  if (!request.ParseFromArray(bytes, static_cast<int>(size))) return;
  grpc::ServerContext context;
  Response response;
  (service->*method)(&context, &request, &response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using newsdesk::query::QueryServiceImpl;
  namespace v1 = newsdesk::v1;
  static Service* const service = new Service();
  if (size == 0) return 0;
  QueryServiceImpl* s = service->service.get();
  const uint8_t* rest = data + 1;
  const size_t n = size - 1;
  switch (data[0] % 11) {
    case 0: Call<v1::GetArticleRequest, v1::GetArticleResponse>(s, &QueryServiceImpl::GetArticle, rest, n); break;
    case 1: Call<v1::SearchArticlesRequest, v1::SearchArticlesResponse>(s, &QueryServiceImpl::SearchArticles, rest, n); break;
    case 2: Call<v1::FindArticlesByEntityRequest, v1::FindArticlesByEntityResponse>(s, &QueryServiceImpl::FindArticlesByEntity, rest, n); break;
    case 3: Call<v1::FindArticlesByDateRangeRequest, v1::FindArticlesByDateRangeResponse>(s, &QueryServiceImpl::FindArticlesByDateRange, rest, n); break;
    case 4: Call<v1::FindArticlesByTopicRequest, v1::FindArticlesByTopicResponse>(s, &QueryServiceImpl::FindArticlesByTopic, rest, n); break;
    case 5: Call<v1::ListEntitiesRequest, v1::ListEntitiesResponse>(s, &QueryServiceImpl::ListEntities, rest, n); break;
    case 6: Call<v1::ResolveEntityRequest, v1::ResolveEntityResponse>(s, &QueryServiceImpl::ResolveEntity, rest, n); break;
    case 7: Call<v1::ListTopicsRequest, v1::ListTopicsResponse>(s, &QueryServiceImpl::ListTopics, rest, n); break;
    case 8: Call<v1::CountArticlesRequest, v1::CountArticlesResponse>(s, &QueryServiceImpl::CountArticles, rest, n); break;
    case 9: Call<v1::GetStoryRequest, v1::GetStoryResponse>(s, &QueryServiceImpl::GetStory, rest, n); break;
    default: Call<v1::ListStoriesRequest, v1::ListStoriesResponse>(s, &QueryServiceImpl::ListStories, rest, n); break;
  }
  return 0;
}
