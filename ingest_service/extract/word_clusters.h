// Word clusters learned from unlabelled text, for the entity tagger's
// features: words used in similar contexts ("Monday" and "Tuesday", "Shell"
// and "Unilever") share a cluster, so what the tagger learns about one
// labelled word carries over to words it only saw in unlabelled text.
//
// WordClusterLearner reads plain text, keeps the words seen at least
// min_count times (at most max_vocabulary of them, the most frequent) and
// clusters them with the exchange algorithm over a class-bigram model
// (Kneser and Ney 1993; Martin, Liermann and Ney 1998): each word in turn
// moves to the class that most raises the likelihood of the text, until
// few words move. That gives the finest level; each coarser level clusters
// the classes of the level before in the same way, so the levels nest (a
// hierarchy, like the bit-string prefixes of Brown clusters). Learning is
// deterministic: the same text and options give the same clusters.
//
// WordClusters is immutable once built and safe to share between threads.
#ifndef INGEST_SERVICE_EXTRACT_WORD_CLUSTERS_H_
#define INGEST_SERVICE_EXTRACT_WORD_CLUSTERS_H_

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

class WordClusters {
 public:
  // Bounds on what Read accepts, so a damaged file gives an error rather
  // than a huge allocation.
  static constexpr int kMaxLevels = 8;
  static constexpr int kMaxClusters = 65535;
  static constexpr int kMaxWords = 5'000'000;
  static constexpr int kMaxWordBytes = 200;

  WordClusters() = default;
  // Move-only: the index points into the words.
  WordClusters(WordClusters&&) = default;
  WordClusters& operator=(WordClusters&&) = default;
  WordClusters(const WordClusters&) = delete;
  WordClusters& operator=(const WordClusters&) = delete;

  // `levels[l]` is the number of clusters at level l, finest first;
  // `ids[w * levels.size() + l]` the cluster of words[w] at level l.
  WordClusters(std::vector<int> levels, std::vector<std::string> words,
               std::vector<uint16_t> ids);

  bool empty() const { return index_.empty(); }
  int level_count() const { return static_cast<int>(levels_.size()); }
  const std::vector<int>& levels() const { return levels_; }
  size_t word_count() const { return words_.size(); }

  // The cluster ids of a word (level_count() of them, finest first), or
  // nullptr when the word is not clustered. Looks up the word as written,
  // then in lower case, then capitalised ("CHICAGO" finds "Chicago").
  const uint16_t* Find(absl::string_view word) const;

  // The binary form stored inside a model file; Read takes what Write wrote
  // and gives InvalidArgument for anything damaged or out of bounds.
  void Write(std::ostream& out) const;
  static absl::StatusOr<WordClusters> Read(std::istream& in);

 private:
  const uint16_t* FindExact(absl::string_view word) const;

  std::vector<int> levels_;
  std::vector<std::string> words_;
  std::vector<uint16_t> ids_;
  absl::flat_hash_map<absl::string_view, int> index_;  // views into words_
};

struct WordClusteringOptions {
  // Words seen fewer times are not clustered.
  int min_count = 3;
  // At most this many words are clustered, the most frequent.
  int max_vocabulary = 200'000;
  // Clusters per level, finest first, each level fewer than the one before.
  std::vector<int> clusters = {1000, 250, 60, 15};
  // Passes of the exchange algorithm per level (fewer when no word moves).
  int iterations = 10;
  // Text beyond this many words is refused (ResourceExhausted).
  int64_t max_words = 400'000'000;
};

class WordClusterLearner {
 public:
  explicit WordClusterLearner(WordClusteringOptions options);

  // Adds plain text, split into words the way CoNLL-style corpora are
  // tokenised (punctuation, "'s" and "n't" apart; "U.S." and "Mr." whole).
  // Blank lines end a passage: no bigram spans them. ResourceExhausted when
  // the text seen so far exceeds options.max_words.
  absl::Status AddText(absl::string_view text);

  // Adds every regular file under `path` (a file or a folder, read
  // recursively, in name order). NotFound when the path does not exist or a
  // file cannot be read.
  absl::Status AddPath(const std::string& path);

  int64_t word_count() const { return static_cast<int64_t>(stream_.size()); }

  // Learns the clusters. InvalidArgument for options out of range or when
  // fewer distinct words are frequent enough than the finest level has
  // clusters.
  absl::StatusOr<WordClusters> Learn() const;

 private:
  static constexpr int32_t kBoundary = -1;

  WordClusteringOptions options_;
  absl::flat_hash_map<std::string, int32_t> ids_;  // every word seen
  std::vector<std::string> spellings_;             // by id
  std::vector<int64_t> counts_;                    // by id
  std::vector<int32_t> stream_;                    // ids and kBoundary
};

// The words of plain text as WordClusterLearner splits it.
std::vector<absl::string_view> SplitPlainText(absl::string_view text);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_WORD_CLUSTERS_H_
