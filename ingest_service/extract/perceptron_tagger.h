// A named-entity tagger learned from labelled text: an averaged perceptron
// over word, shape, affix, context, entity-table and word-list features, the
// clusters of the word and its neighbours when the model has word clusters
// (learned from unlabelled text, word_clusters.h), and what the rest of the
// document does with the same word (written in lower case elsewhere,
// capitalised inside a sentence, the types it was given earlier), with the
// two previous tags as features. Trained greedily left to right; tagging
// keeps the best few tag sequences of a sentence (a beam search) and returns
// the best. Users who hold labelled data (CoNLL format) train it with
// newsdesk-train-entities; the model file lives outside the repository and
// the ingest service loads it at start-up (--entity_model). Nothing in the
// repository is learned from data.
//
// Tags are IOB2 over the types PER, ORG, LOC and MISC: "O", "B-PER",
// "I-PER", ... Inside, a model trained by this version tags with BILOU (the
// Begin, Inside and Last word of a name, or a Unit name of one word) and
// decodes only valid sequences (I or L after B or I of the same type, no
// name left open at a sentence end); models of format 3 tag with IOB2 as
// trained. A trained tagger is immutable and safe to share between threads.
#ifndef INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_
#define INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_

#include <array>
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
#include "ingest_service/extract/word_clusters.h"
#include "ingest_service/extract/word_list.h"

namespace newsdesk::ingest {

// The tag set, index 0 being "O".
const std::vector<std::string>& NerTags();

// One sentence of training data: words and their IOB2 tags.
struct TaggedSentence {
  std::vector<std::string> words;
  std::vector<int> tags;  // indices into NerTags()
};
using TaggedDocument = std::vector<TaggedSentence>;

// A document to tag: its sentences, each a list of words.
using Document = std::vector<std::vector<absl::string_view>>;

struct PerceptronTrainingOptions {
  int epochs = 8;
  uint32_t shuffle_seed = 1;
  // Tag names Begin/Inside/Last/Unit inside (true) or Begin/Inside only.
  bool bilou = true;
  // Optional word clusters learned from unlabelled text: their ids become
  // features and they are saved inside the model file.
  std::shared_ptr<const WordClusters> clusters;
  // Called after each epoch with the epoch number (1-based) and the tagger
  // as averaged so far, for a caller to score it on held-out data.
  std::function<void(int epoch, const class PerceptronTagger& tagger)> after_epoch;
};

class PerceptronTagger {
 public:
  // Trains on `documents`. `lexicon` and `word_list` (not owned, either may
  // be null) give the entity-table and word-list features and must outlive
  // the tagger, as they must for Load; a model should be used with the
  // reference data it was trained with.
  static std::unique_ptr<PerceptronTagger> Train(const std::vector<TaggedDocument>& documents,
                                                 const entities::EntityLexicon* lexicon,
                                                 const WordList* word_list,
                                                 const PerceptronTrainingOptions& options);

  // Reads a model written by Save (or by the version before word clusters,
  // which loads without them). NotFound when the file cannot be read;
  // InvalidArgument when it is not a model of a format this build reads or
  // is damaged.
  static absl::StatusOr<std::unique_ptr<PerceptronTagger>> Load(
      const std::string& path, const entities::EntityLexicon* lexicon,
      const WordList* word_list);

  absl::Status Save(const std::string& path) const;

  // The tag of each word of each sentence, as indices into NerTags().
  std::vector<std::vector<int>> Tag(const Document& document) const;

  size_t feature_count() const { return weights_.size(); }
  // The word clusters the model uses; empty when it uses none.
  const WordClusters& clusters() const;

 private:
  static constexpr int kIob2Tags = 9;   // O, then B and I of each type
  static constexpr int kBilouTags = 17;  // O, then B, I, L and U of each type
  static constexpr int kMaxTags = kBilouTags;
  static constexpr size_t kBeamSize = 4;
  struct Weights {
    float w[kMaxTags] = {};
  };

  // A sentence with what the features need to know about its words.
  struct Prepared {
    std::vector<absl::string_view> words;
    std::vector<std::string> keys;  // NameKey, or the word when that is empty
    std::vector<int> gazetteer;     // entity-table match: type and position, 0 if none
    std::vector<uint8_t> listed;    // WordList kinds
    std::vector<uint8_t> in_document;  // DocumentHint bits
    std::vector<const uint16_t*> clusters;  // WordClusters::Find of each word
    std::vector<std::string> shapes;        // Shape of each word
    std::vector<int> same_before;  // the latest earlier word with the same key, or -1
    bool all_capitals = false;         // a wire headline
    bool results = false;              // has a score ("3-1"): sports results
  };

  // For each word already tagged in the document, how often each type
  // (0 for O, then PER, ORG, LOC, MISC) was given to it.
  using History = absl::flat_hash_map<std::string, std::array<int, 5>>;

  PerceptronTagger(const entities::EntityLexicon* lexicon, const WordList* word_list,
                   std::shared_ptr<const WordClusters> clusters, int tag_count)
      : lexicon_(lexicon),
        word_list_(word_list),
        clusters_(std::move(clusters)),
        tag_count_(tag_count) {}

  std::vector<Prepared> Prepare(const Document& document) const;
  // The hashed features of word i given the tags of the words before it:
  // those that do not depend on the tags, then those that do (the tags of
  // the two words before, `seen` the type the word got most often earlier in
  // the document or -1).
  void Features(const Prepared& sentence, int i, const std::vector<int>& tags,
                const History& history, std::vector<uint64_t>* out) const;
  void StaticFeatures(const Prepared& sentence, int i, std::vector<uint64_t>* out) const;
  void DynamicFeatures(const Prepared& sentence, int i, int t1, int t2, int seen,
                       std::vector<uint64_t>* out) const;
  static int Seen(const std::array<int, 5>& counts);
  // Records the tag given to word i in `history`.
  void Remember(const Prepared& sentence, int i, int tag, History* history) const;
  // Adds the features' weights to scores[tag].
  void Score(const std::vector<uint64_t>& features, float* scores) const;
  // The best-scoring tag, in training (greedy, any sequence).
  int Best(const std::vector<uint64_t>& features) const;
  // The tags of one sentence: beam search over valid sequences.
  std::vector<int> TagSentence(const Prepared& sentence, const History& history,
                               std::vector<uint64_t>* features) const;
  // Whether `tag` may follow `previous` (-1 at a sentence start); `last` for
  // a sentence's last word.
  bool Allowed(int previous, int tag, bool last) const;
  // The type of a tag: 0 for O, then PER, ORG, LOC, MISC.
  int TypeOf(int tag) const {
    if (tag == 0) return 0;
    return tag_count_ == kBilouTags ? (tag + 3) / 4 : (tag + 1) / 2;
  }
  // IOB2 tags (NerTags() indices) to this model's tags and back.
  std::vector<int> Encode(const std::vector<int>& iob2) const;
  std::vector<int> Decode(const std::vector<int>& tags) const;

  const entities::EntityLexicon* const lexicon_;
  const WordList* const word_list_;
  const std::shared_ptr<const WordClusters> clusters_;  // may be null
  const int tag_count_;  // kIob2Tags or kBilouTags
  absl::flat_hash_map<uint64_t, Weights> weights_;

  friend class PerceptronTrainer;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_PERCEPTRON_TAGGER_H_
