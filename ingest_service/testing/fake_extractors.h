// Fakes of the extraction seams for tests of the ingest core and adapter:
// an entity extractor that finds one fixed name, and a classifier that gives
// every article one fixed topic under a fixed taxonomy version.
#ifndef INGEST_SERVICE_TESTING_FAKE_EXTRACTORS_H_
#define INGEST_SERVICE_TESTING_FAKE_EXTRACTORS_H_

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"

namespace newsdesk::ingest {

// Finds "Kyiv" wherever the title or a paragraph contains it.
class FakeEntityExtractor : public EntityExtractor {
 public:
  std::vector<ArticleEntity> Extract(const Article& article) const override {
    int count = 0;
    auto tally = [&count](absl::string_view text) {
      for (absl::string_view word : absl::StrSplit(text, absl::ByAnyChar(" ,.'"))) {
        count += word == "Kyiv";
      }
    };
    tally(article.title);
    for (const std::string& p : article.paragraphs) tally(p);
    if (count == 0) return {};
    ArticleEntity kyiv;
    kyiv.id = "location-kyiv";
    kyiv.display_name = "Kyiv";
    kyiv.type = EntityType::kLocation;
    kyiv.mention_count = count;
    kyiv.spellings = {"Kyiv"};
    kyiv.linked = true;
    kyiv.salience = 1;
    kyiv.confidence = 1;
    return {kyiv};
  }

  std::string version() const override { return "fake"; }
};

class FakeTopicClassifier : public TopicClassifier {
 public:
  explicit FakeTopicClassifier(
      std::string version = "fake-1",
      ArticleTopic topic = {"medtop:16000000", "conflict, war and peace", 0.5, false})
      : version_(std::move(version)), topic_(std::move(topic)) {}

  std::vector<ArticleTopic> Classify(const Article& article) const override {
    return {topic_};
  }
  const std::string& taxonomy_version() const override { return version_; }

 private:
  const std::string version_;
  const ArticleTopic topic_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_TESTING_FAKE_EXTRACTORS_H_
