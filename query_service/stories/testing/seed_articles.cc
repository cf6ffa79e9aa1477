#include "query_service/stories/testing/seed_articles.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "common/model/publish_time_hints.h"
#include "common/status/status_macros.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/parse/article_parser.h"

namespace newsdesk::query {

absl::StatusOr<std::vector<SeedArticle>> ParseSeedArticles(const std::string& data_dir,
                                                           const SharedData& data) {
  ingest::ArticleParser parser;
  ingest::RuleEntityExtractor extractor(data.lexicon.get(), {});
  ASSIGN_OR_RETURN(std::unique_ptr<ingest::KeywordTopicClassifier> classifier,
                   ingest::KeywordTopicClassifier::Load(
                       data.taxonomy.get(), absl::StrCat(data_dir, "/topics/topic_terms.tsv")));
  ingest::Ingestor ingestor({}, &parser, &extractor, classifier.get(), nullptr);
  ASSIGN_OR_RETURN(const PublishTimeHints hints,
                   ReadPublishTimeHints(data_dir + "/seeds.hints.tsv"));
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir + "/seeds", error)) {
    files.push_back(entry.path());
  }
  if (error) return absl::NotFoundError(absl::StrCat("cannot list ", data_dir, "/seeds"));
  std::sort(files.begin(), files.end());
  std::vector<SeedArticle> out;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file);
    RawArticle raw;
    raw.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (auto hint = hints.find(file.filename().string()); hint != hints.end()) {
      raw.metadata.publish_time_hint = hint->second;
    }
    ASSIGN_OR_RETURN(Article article, ingestor.Parse(raw));
    article.log_sequence = static_cast<int64_t>(out.size()) + 1;
    out.push_back(SeedArticle{file.filename().string(), std::move(article)});
  }
  return out;
}

}  // namespace newsdesk::query
