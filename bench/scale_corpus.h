// The articles of the scale benchmark. Real stories from the research corpora
// (Reuters-21578, BBC News, AG News), read in place when the folder is there,
// or stories made by a generator from the project's own entity table and
// topic terms. Either way article `n` is a pure function of `n`: stories are
// replayed round after round, each round re-dated across 2019-2024, with its
// paragraphs shuffled and a closing paragraph naming other entities, so every
// article is new content and a run can be repeated exactly.
#ifndef BENCH_SCALE_CORPUS_H_
#define BENCH_SCALE_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace newsdesk::bench {

// One article as sent to the ingest service.
struct RawItem {
  std::string content;  // plain text: title, a date line, paragraphs
  std::string source;   // ArticleMetadata.source
};

class ScaleCorpus {
 public:
  // Reads the stories of `corpora_dir` (the shared research corpora) when it
  // holds any; otherwise, or when `corpora_dir` is empty, uses the generator.
  // `data_dir` is the project's data/ folder (entity table, topic terms).
  static absl::StatusOr<ScaleCorpus> Load(const std::string& corpora_dir,
                                          const std::string& data_dir);

  // Article `n` (any n >= 0).
  RawItem Article(int64_t n) const;

  // "real: 29000 stories (Reuters-21578 19000, ...)" or "generated".
  const std::string& description() const { return description_; }

 private:
  struct Story {
    std::string title;
    std::vector<std::string> paragraphs;
  };
  struct Names {
    std::vector<std::string> people, orgs, places;
  };

  ScaleCorpus() = default;
  Story Generate(uint64_t seed) const;
  std::string Sentence(uint64_t& state) const;

  std::vector<Story> stories_;  // empty: generator only
  Names names_;
  std::vector<std::vector<std::string>> topic_terms_;  // terms per topic row
  std::string description_;
};

}  // namespace newsdesk::bench

#endif  // BENCH_SCALE_CORPUS_H_
