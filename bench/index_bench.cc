// newsdesk-index-bench: the cost of near-copy detection and story grouping
// on the query side. Articles of the scale corpus (bench/scale_corpus: real
// stories replayed from the research corpora when --corpora holds them,
// generated ones otherwise) are parsed and extracted once as the ingest
// service does, untimed; then they are applied to a fresh ArticleIndex
// --runs times without a linker and --runs times with the StoryTracker, and
// the program prints the median indexing throughput of each and the median
// cost per article of the stories.
#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/scale_corpus.h"
#include "common/data/shared_data.h"
#include "common/entities/name_key.h"
#include "ingest_service/core/ingestor.h"
#include "ingest_service/extract/entity_extractor.h"
#include "ingest_service/extract/topic_classifier.h"
#include "ingest_service/parse/article_parser.h"
#include "query_service/index/article_index.h"
#include "query_service/stories/story_tracker.h"

ABSL_FLAG(int, articles, 20000, "articles indexed per run");
ABSL_FLAG(int, runs, 5, "runs of each kind; the median is reported");
ABSL_FLAG(std::string, corpora, "", "the research corpora folder; empty: generated articles");

namespace newsdesk::bench {
namespace {

using ::newsdesk::query::ArticleIndex;
using ::newsdesk::query::StoryTracker;
using ::newsdesk::query::StoryTrackerOptions;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run() {
  absl::StatusOr<SharedData> data =
      LoadSharedData(NEWSDESK_DATA_DIR, "/usr/share/iso-codes/json/iso_3166-1.json");
  if (!data.ok()) {
    std::cerr << data.status() << "\n";
    return 1;
  }
  absl::StatusOr<ScaleCorpus> corpus = ScaleCorpus::Load(absl::GetFlag(FLAGS_corpora),
                                                         NEWSDESK_DATA_DIR);
  if (!corpus.ok()) {
    std::cerr << corpus.status() << "\n";
    return 1;
  }
  ingest::ArticleParser parser;
  ingest::RuleEntityExtractor extractor(data->lexicon.get(), {});
  auto classifier = ingest::KeywordTopicClassifier::Load(
      data->taxonomy.get(), std::string(NEWSDESK_DATA_DIR) + "/topics/topic_terms.tsv");
  if (!classifier.ok()) {
    std::cerr << classifier.status() << "\n";
    return 1;
  }
  ingest::Ingestor ingestor({}, &parser, &extractor, classifier->get(), nullptr);
  const int count = absl::GetFlag(FLAGS_articles);
  std::vector<LogEntry> entries;
  entries.reserve(count);
  for (int64_t n = 0; static_cast<int>(entries.size()) < count; ++n) {
    RawItem item = corpus->Article(n);
    RawArticle raw;
    raw.content = std::move(item.content);
    raw.metadata.source = std::move(item.source);
    absl::StatusOr<Article> article = ingestor.Parse(raw);
    if (!article.ok()) continue;
    article->id = ingest::ContentId(raw.content);
    LogEntry entry;
    entry.sequence = static_cast<int64_t>(entries.size()) + 1;
    entry.article = *std::move(article);
    entries.push_back(std::move(entry));
  }

  // Seconds to apply every entry to a fresh index, with or without stories.
  auto index_all = [&](bool stories, size_t* story_count, size_t* copies) {
    StoryTracker tracker(StoryTrackerOptions{}, data->taxonomy.get());
    ArticleIndex index(data->taxonomy.get(), &entities::NameKey, data->lexicon.get(),
                       stories ? &tracker : nullptr);
    const absl::Time start = absl::Now();
    for (const LogEntry& entry : entries) {
      if (!index.Apply(entry).ok()) std::abort();
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    if (stories) {
      *story_count = tracker.story_count();
      *copies = 0;
      for (const std::shared_ptr<const Article>& a : index.ArticlesAfter(0, count)) {
        *copies += !a->copy_of.empty();
      }
    }
    return seconds;
  };
  std::vector<double> plain, linked, cost_us;
  size_t story_count = 0, copies = 0;
  for (int r = 0; r < absl::GetFlag(FLAGS_runs); ++r) {
    const double without = index_all(false, nullptr, nullptr);
    const double with = index_all(true, &story_count, &copies);
    plain.push_back(count / without);
    linked.push_back(count / with);
    cost_us.push_back((with - without) * 1e6 / count);
  }
  std::cout << absl::StrFormat(
      "%d articles (%s), %d runs, medians:\n"
      "  index without stories  %.0f articles/s\n"
      "  index with stories     %.0f articles/s (%d stories, %d near-copies)\n"
      "  stories cost           %.1f us per article\n",
      count, corpus->description(), absl::GetFlag(FLAGS_runs), Median(plain), Median(linked),
      story_count, copies, Median(cost_us));
  return 0;
}

}  // namespace
}  // namespace newsdesk::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::bench::Run();
}
