// Entity extraction throughput on one core: the five sample articles
// extracted over and over, reported as words per second of CPU time (the
// "words" counter), so a machine busy with other work does not lower it. Run with repetitions to get medians:
//   build/bin/newsdesk-entity-bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
// With NEWSDESK_ENTITY_MODEL naming a model from newsdesk-train-entities, the
// model-based extractor is measured too.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/entities/entity_lexicon.h"
#include "glog/logging.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/model_entity_extractor.h"
#include "ingest_service/extract/word_list.h"

namespace newsdesk::bench {
namespace {

// The seed articles: first line the title, other lines paragraphs.
std::vector<Article> LoadSeeds(int* words) {
  std::vector<Article> articles;
  *words = 0;
  for (const auto& file :
       std::filesystem::directory_iterator(std::string(NEWSDESK_DATA_DIR) + "/seeds")) {
    if (file.path().extension() != ".txt") continue;
    Article article;
    std::ifstream in(file.path());
    for (std::string line; std::getline(in, line);) {
      const std::string text(absl::StripAsciiWhitespace(line));
      if (text.empty()) continue;
      *words += static_cast<int>(
          std::vector<absl::string_view>(absl::StrSplit(text, ' ', absl::SkipEmpty())).size());
      if (article.title.empty()) {
        article.title = text;
      } else {
        article.paragraphs.push_back(text);
      }
    }
    articles.push_back(std::move(article));
  }
  return articles;
}

const entities::EntityLexicon& Lexicon() {
  static const entities::EntityLexicon* const lexicon = [] {
    auto loaded = entities::EntityLexicon::Load(
        {absl::StrCat(NEWSDESK_DATA_DIR, "/entities/entities.tsv")});
    CHECK(loaded.ok()) << loaded.status();
    return loaded->release();
  }();
  return *lexicon;
}

void Run(benchmark::State& state, const ingest::EntityExtractor& extractor) {
  int words = 0;
  const std::vector<Article> articles = LoadSeeds(&words);
  for (auto _ : state) {
    for (const Article& article : articles) {
      benchmark::DoNotOptimize(extractor.Extract(article));
    }
  }
  state.counters["words"] =
      benchmark::Counter(static_cast<double>(words) * state.iterations(),
                         benchmark::Counter::kIsRate);
  state.counters["articles"] = benchmark::Counter(
      static_cast<double>(articles.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_RuleExtractor(benchmark::State& state) {
  static const ingest::RuleEntityExtractor extractor(&Lexicon());
  Run(state, extractor);
}
BENCHMARK(BM_RuleExtractor);

void BM_ModelExtractor(benchmark::State& state) {
  const char* path = std::getenv("NEWSDESK_ENTITY_MODEL");
  if (path == nullptr || *path == '\0') {
    state.SkipWithError("set NEWSDESK_ENTITY_MODEL to a model to measure it");
    return;
  }
  static const ingest::WordList* const words =
      new ingest::WordList(ingest::WordList::Load(ingest::kDefaultWordListPath));
  static const ingest::ModelEntityExtractor* const extractor = [&] {
    auto tagger = ingest::PerceptronTagger::Load(path, &Lexicon(), words);
    CHECK(tagger.ok()) << tagger.status();
    return new ingest::ModelEntityExtractor(&Lexicon(), *std::move(tagger), path);
  }();
  Run(state, *extractor);
}
BENCHMARK(BM_ModelExtractor);

}  // namespace
}  // namespace newsdesk::bench

BENCHMARK_MAIN();
