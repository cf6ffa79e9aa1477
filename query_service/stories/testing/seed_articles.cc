#include "query_service/stories/testing/seed_articles.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/parse/article_parser.h"

namespace newsdesk::query {

const char* SeedPublishTimeHint(absl::string_view file) {
  // 000 and 003 report the Beijing meeting of Thursday 6 April 2023; 002 the
  // phone call of Wednesday 26 April 2023. 001 and 004 carry their dates.
  if (absl::StartsWith(file, "000_") || absl::StartsWith(file, "003_")) return "2023-04-06";
  if (absl::StartsWith(file, "002_")) return "2023-04-26";
  return "";
}

absl::StatusOr<std::vector<SeedArticle>> ParseSeedArticles(const std::string& data_dir,
                                                           const SharedData& data) {
  ingest::ArticleParser parser;
  ingest::RuleEntityExtractor extractor(data.lexicon.get(), {});
  ASSIGN_OR_RETURN(std::unique_ptr<ingest::KeywordTopicClassifier> classifier,
                   ingest::KeywordTopicClassifier::Load(
                       data.taxonomy.get(), absl::StrCat(data_dir, "/topics/topic_terms.tsv")));
  ingest::Ingestor ingestor({}, &parser, &extractor, classifier.get(), nullptr);
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
    raw.metadata.publish_time_hint = SeedPublishTimeHint(file.filename().string());
    ASSIGN_OR_RETURN(Article article, ingestor.Parse(raw));
    article.log_sequence = static_cast<int64_t>(out.size()) + 1;
    out.push_back(SeedArticle{file.filename().string(), std::move(article)});
  }
  return out;
}

}  // namespace newsdesk::query
