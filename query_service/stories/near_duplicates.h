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
// original) are confirmed exactly from their copy-prints (sorted shingle hashes and
// figures): the similarity is the share of the shorter body's shingles found in the
// other (containment, which a trimmed tail or added boilerplate barely changes). The
// figures (words holding digits) both bodies state in the same context must agree: one
// template filled in with other figures is another report. Headlines are not compared.
//
// Memory per article, kept small because the query service holds every
// article's: its root and shingle count (8 bytes); for a body long enough to
// be linked, its number (4 bytes), the low 16 bits of each of its 64
// min-hashes (128 bytes: b-bit MinHash; two 16-bit rows make a band, so a
// band is matched on 32 bits), and its 32 band slots in one open-addressing
// table of 4-byte cells kept between 57% and 85% full (a near-copy only
// those of its bands that differ from its original's): 355 bytes per article
// measured on 20,000 real stories, against 1,734 with 32-bit min-hashes,
// 64-bit band keys in a hash map and each article's id. Articles are known
// by their number (the order they were added), not their id: the caller
// maps it.
//
// Confirmation needs the candidate's shingles and figures. They are kept for
// the articles added or read most recently, in a CopyPrintCache bounded by
// `print_cache_bytes`; on a miss the candidate is read (`earlier`, the
// query service's local replica: a RocksDB read and a decode) and shingled
// again. Copies of one story come in bursts and a popular original gets many,
// so most confirmations hit (Reuters-21578 with edited copies: 17 reads
// with 16 MiB against 5,301 without). Prints written beside each article in
// the replica were weighed instead: they would serve any access pattern, but
// add a second write of about the print's size per article, an on-disk
// format and its recovery, and still a read per confirmation; the cache
// needs none of it. docs/STORIES.md has the measurements.
//
// Deterministic: the same articles added in the same order give the same
// links in every process, with any cache size. Not thread-safe.
#ifndef QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_
#define QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/model/article.h"
#include "query_service/stories/copy_print_cache.h"

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
  // Most articles kept under one band value: a later article with that band
  // is not kept under it (a template's common text; see Add). Bounds what a
  // lookup reads.
  int max_articles_per_band = 16;
  // Bytes of copy-prints kept for confirmation (CopyPrintCache); 0 keeps
  // none, and every candidate is read. Changes the cost, not the links.
  int64_t print_cache_bytes = int64_t{16} << 20;
};

struct CopyMatch {
  uint32_t original = 0;  // the number of the first article of the copies
  double similarity = 0;  // containment, [0, 1]
};

class NearDuplicateDetector {
 public:
  // Article `n` (a number below size()) as read; null when there is none;
  // an error when it cannot be read. The article must stay valid until Add
  // returns.
  using ReadEarlier = std::function<absl::StatusOr<const Article*>(uint32_t n)>;

  explicit NearDuplicateDetector(NearDuplicateOptions options = {});

  // The earlier article `article` is a near-copy of, if any; then remembers
  // `article` as number size() so that later ones can match it. `earlier`
  // reads the candidates whose copy-prints are not cached; its error is
  // returned, and `article` is not remembered then.
  absl::StatusOr<std::optional<CopyMatch>> Add(const Article& article, const ReadEarlier& earlier);

  // Sorted distinct shingle hashes of an article's standfirst and body
  // paragraphs.
  std::vector<uint64_t> Shingles(const Article& article) const;

  // The figures of an article's standfirst and body paragraphs in their
  // context: for every word holding a digit, (hash of the two words before
  // and the two after it, figures among them masked; hash of the word),
  // sorted.
  using Figure = CopyPrint::Figure;
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
  // Earlier articles read to confirm a candidate (cache misses), in all.
  int64_t reads() const { return reads_; }
  // Bytes held by the copy-print cache.
  int64_t print_cache_bytes() const { return prints_.bytes(); }

 private:
  struct Entry {
    uint32_t root = 0;  // the article it copies, or its own number
    uint32_t shingles = 0;
  };

  // The parts asked for of an article's print (Shingles, Figures), from
  // one pass over its words.
  CopyPrint Print(const Article& article, bool shingles, bool figures) const;
  // Whether `b`'s figures agree with `a`'s within max_figure_disagreement.
  bool FiguresAgree(const std::vector<Figure>& a, const std::vector<Figure>& b) const;
  // The low 16 bits of each min-hash.
  std::vector<uint16_t> Signature(const std::vector<uint64_t>& shingles) const;
  // Where band `band` with min-hashes `rows` starts probing in a table of
  // `cells` (a power of two).
  size_t BandStart(int band, const uint16_t* rows, size_t cells) const;
  // The min-hashes of signed article `s` (see signed_).
  const uint16_t* SignatureOf(uint32_t s) const {
    return &signatures_[static_cast<size_t>(s) * hashes_];
  }
  // Puts slot `slot` (signed article * bands + band) in table_, which has room.
  void Insert(uint32_t slot);
  // The cell after `at`, wrapping around.
  size_t Next(size_t at) const { return at + 1 == table_.size() ? 0 : at + 1; }

  const NearDuplicateOptions options_;
  const size_t hashes_;          // bands * rows
  std::vector<uint64_t> seeds_;  // one per min-hash
  std::vector<Entry> entries_;   // by article number
  // The articles with a signature (at least min_shingles shingles), in the
  // order added: their numbers, and their signatures one after the other.
  std::vector<uint32_t> signed_;
  std::vector<uint16_t> signatures_;
  // The LSH bands: open addressing with linear probing; a cell holds a slot
  // (signed article * bands + band) or kEmpty. A band's slot sits at or
  // after BandStart of its min-hashes.
  static constexpr uint32_t kEmpty = ~uint32_t{0};
  static constexpr double kMaxLoad = 0.85;
  std::vector<uint32_t> table_;
  size_t table_used_ = 0;
  CopyPrintCache prints_;
  int64_t reads_ = 0;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_STORIES_NEAR_DUPLICATES_H_
