// Near-duplicate detection: recognises an article whose body is an earlier
// article's body with small edits (another headline, a trimmed tail,
// paragraphs reordered, captions or another outlet's boilerplate added).
//
// Each body (standfirst and paragraphs) is cut into shingles: the runs of
// `shingle_words` consecutive words inside a paragraph (so reordering paragraphs keeps
// them), hashed with a fixed hash. A MinHash signature of the shingles, cut into LSH
// bands, finds candidates among the earlier articles in time independent of
// their number; the signature's Jaccard estimate and the two sizes give the
// containment estimate, and the best few candidates that pass it (one per
// original) are confirmed exactly by shingling the candidate's body again: the similarity
// is the share of the shorter body's shingles found in the other (containment, which a
// trimmed tail or added boilerplate barely changes). The figures (words holding digits)
// both bodies state in the same context must agree: one template filled in with other
// figures is another report. Headlines are not compared.
//
// Deterministic: the same articles added in the same order give the same
// links in every process. Not thread-safe.
#ifndef QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_
#define QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/model/article.h"
#include "query_service/index/article_linker.h"

namespace newsdesk::query {

struct NearDuplicateOptions {
  int shingle_words = 4;
  // Signature of bands * rows min-hashes; two bodies become candidates when
  // one band agrees.
  int bands = 32;
  int rows = 2;
  // Least containment for a link.
  double min_similarity = 0.85;
  // Bodies with fewer shingles than this (about as many words) are never
  // linked: too short to tell a copy from a formula ("Qtly div 12 cts vs
  // 12 cts prior, pay April 1").
  int min_shingles = 20;
  // Least ratio of the shorter body's shingles to the longer's: a short
  // article quoting a long one is no copy of it.
  double min_size_ratio = 0.2;
  // Largest share of the figures two bodies state in the same words (the
  // numbers, amounts and dates of the sentences they share) that may differ
  // for a link; by default none may. Above it the bodies are one template
  // filled in with other figures (the Fed's daily "adds reserves via
  // customer repurchases", a price table of another hour, a corrected
  // figure), that is another report.
  double max_figure_disagreement = 0;
  // Most originals confirmed exactly per article (the best estimates
  // first), which bounds the cost when an article has many earlier copies.
  int max_confirmations = 4;
  // Most candidates estimated per article: those agreeing on the most bands.
  int max_candidates = 64;
};

struct CopyMatch {
  std::string original_id;  // the first article of the copies
  double similarity = 0;    // containment, [0, 1]
};

class NearDuplicateDetector {
 public:
  explicit NearDuplicateDetector(NearDuplicateOptions options = {});

  // The earlier article `article` is a near-copy of, if any; then remembers
  // `article` so that later ones can match it. `earlier` gives the text of
  // the candidates (articles passed to Add before); its error is returned,
  // and `article` is not remembered then.
  absl::StatusOr<std::optional<CopyMatch>> Add(
      const Article& article, const ArticleLinker::EarlierArticle& earlier);

  // Sorted distinct shingle hashes of an article's standfirst and body
  // paragraphs.
  std::vector<uint64_t> Shingles(const Article& article) const;

  // The figures of an article's standfirst and body paragraphs in their
  // context: for every word holding a digit, (hash of the two words before
  // and the two after it, figures among them masked; hash of the word),
  // sorted.
  using Figure = std::pair<uint64_t, uint64_t>;
  std::vector<Figure> Figures(const Article& article) const;

  // How the figures of two bodies compare: `shared` contexts found in both,
  // of which `differing` hold none of the same figures.
  struct FigureComparison {
    int shared = 0;
    int differing = 0;
  };
  static FigureComparison CompareFigures(const std::vector<Figure>& a,
                                         const std::vector<Figure>& b);

  // |a ∩ b| / min(|a|, |b|) for sorted distinct lists; 0 when one is empty.
  static double Containment(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

  // Articles remembered.
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string id;
    uint32_t root = 0;  // the entry of the article it copies, or its own
    uint32_t shingles = 0;
    std::vector<uint32_t> signature;
  };

  // Whether `other`'s figures agree with `figures` (an article's Figures)
  // within max_figure_disagreement.
  bool FiguresAgree(const std::vector<Figure>& figures, const Article& other) const;
  std::vector<uint32_t> Signature(const std::vector<uint64_t>& shingles) const;

  const NearDuplicateOptions options_;
  std::vector<uint64_t> seeds_;  // one per min-hash
  std::vector<Entry> entries_;
  // The entries under each band key, as chains: band key -> its last slot;
  // per slot, the entry (index into entries_) and the slot before it under
  // the same key (kNoSlot for the first).
  static constexpr uint32_t kNoSlot = ~uint32_t{0};
  absl::flat_hash_map<uint64_t, uint32_t> band_last_;
  std::vector<uint32_t> slot_entry_;
  std::vector<uint32_t> slot_before_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_
