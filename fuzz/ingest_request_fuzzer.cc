// Feeds requests built from arbitrary bytes to the IngestService adapter in
// process: the bytes are parsed as an IngestArticleRequest or a
// ParseArticleRequest (the first byte chooses), and the article goes
// through the adapter's ParseArticle call, which runs everything an ingest
// runs but the store: conversion, validation, decoding, parsing, entity and
// topic extraction, and the conversion of the answer.
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "common/data/shared_data.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/grpc/ingest_service_impl.h"
#include "ingest_service/parse/article_parser.h"

namespace {

struct Service {
  Service() {
    data = *newsdesk::LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
    extractor = std::make_unique<newsdesk::ingest::RuleEntityExtractor>(
        data.lexicon.get(), newsdesk::ingest::RuleEntityExtractorOptions{});
    classifier = *newsdesk::ingest::KeywordTopicClassifier::Load(
        data.taxonomy.get(), NEWSDESK_DATA_DIR "/topics/topic_terms.tsv");
    ingestor = std::make_unique<newsdesk::ingest::Ingestor>(
        newsdesk::ingest::IngestorOptions{}, &parser, extractor.get(), classifier.get(),
        /*store=*/nullptr);
    service = std::make_unique<newsdesk::ingest::IngestServiceImpl>(ingestor.get());
  }
  newsdesk::SharedData data;
  newsdesk::ingest::ArticleParser parser;
  std::unique_ptr<newsdesk::ingest::EntityExtractor> extractor;
  std::unique_ptr<newsdesk::ingest::TopicClassifier> classifier;
  std::unique_ptr<newsdesk::ingest::Ingestor> ingestor;
  std::unique_ptr<newsdesk::ingest::IngestServiceImpl> service;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Service* const service = new Service();
  if (size == 0) return 0;
  newsdesk::v1::ParseArticleRequest request;
  if (data[0] % 2 == 0) {
    newsdesk::v1::IngestArticleRequest ingest;
    if (!ingest.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
    *request.mutable_article() = ingest.article();
  } else if (!request.ParseFromArray(data + 1, static_cast<int>(size - 1))) {
    return 0;
  }
  grpc::ServerContext context;
  newsdesk::v1::ParseArticleResponse response;
  service->service->ParseArticle(&context, &request, &response);
  return 0;
}
