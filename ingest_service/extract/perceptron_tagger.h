// A named-entity tagger learned from labelled text: an averaged perceptron
// over word, shape, affix, context and entity-table features, decoding
// greedily left to right with the previous tags as features. Users who hold
// labelled data (CoNLL format) train it with newsdesk-train-entities; the
// model file lives outside the repository and the ingest service loads it at
// start-up (--entity_model). Nothing in the repository is learned from data.
//
// Tags are IOB2 over the types PER, ORG, LOC and MISC: "O", "B-PER",
// "I-PER", ... A trained tagger is immutable and safe to share between
// threads.
#ifndef INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_
#define INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/entities/entity_lexicon.h"

namespace newsdesk::ingest {

// The tag set, index 0 being "O".
const std::vector<std::string>& NerTags();

// One sentence of training data: words and their IOB2 tags.
struct TaggedSentence {
  std::vector<std::string> words;
  std::vector<int> tags;  // indices into NerTags()
};

struct PerceptronTrainingOptions {
  int epochs = 8;
  uint32_t shuffle_seed = 1;
  // Called after each epoch with the epoch number (1-based) and the tagger
  // as averaged so far, for a caller to score it on held-out data.
  std::function<void(int epoch, const class PerceptronTagger& tagger)> after_epoch;
};

class PerceptronTagger {
 public:
  // Trains on `sentences`. `lexicon` (not owned, may be null) gives the
  // entity-table features and must outlive the tagger, as it must for Load.
  static std::unique_ptr<PerceptronTagger> Train(
      const std::vector<TaggedSentence>& sentences, const entities::EntityLexicon* lexicon,
      const PerceptronTrainingOptions& options);

  // Reads a model written by Save. NotFound when the file cannot be read;
  // InvalidArgument when it is not a model of this format.
  static absl::StatusOr<std::unique_ptr<PerceptronTagger>> Load(
      const std::string& path, const entities::EntityLexicon* lexicon);

  absl::Status Save(const std::string& path) const;

  // The tag of each word, as indices into NerTags().
  std::vector<int> Tag(const std::vector<absl::string_view>& words) const;

  size_t feature_count() const { return weights_.size(); }

 private:
  static constexpr int kTagCount = 9;
  struct Weights {
    float w[kTagCount] = {};
  };

  explicit PerceptronTagger(const entities::EntityLexicon* lexicon) : lexicon_(lexicon) {}

  // The hashed features of word i given the tags of the words before it.
  // `all_capitals`: the whole sentence is in capitals (a wire headline).
  void Features(const std::vector<absl::string_view>& words,
                const std::vector<std::string>& keys, const std::vector<int>& gazetteer,
                bool all_capitals, int i, const std::vector<int>& tags,
                std::vector<uint64_t>* out) const;
  // Per word: the entity-table match covering it (type and position), 0 if none.
  std::vector<int> Gazetteer(const std::vector<absl::string_view>& words,
                             const std::vector<std::string>& keys) const;
  int Best(const std::vector<uint64_t>& features) const;

  const entities::EntityLexicon* const lexicon_;
  absl::flat_hash_map<uint64_t, Weights> weights_;

  friend class PerceptronTrainer;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_
