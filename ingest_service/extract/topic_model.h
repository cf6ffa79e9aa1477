// A topic model learnt from labelled articles: one-vs-rest logistic
// regression over the article's words (title words count twice) and the
// canonical ids of its entities, tf-idf weighted and L2-normalised. Users
// train it on their own labelled articles with `newsdesk-topics train`; the
// ingest service loads the model file at start-up (--topic_model) and then
// classifies with it instead of the shipped term table.
#ifndef INGEST_SERVICE_EXTRACT_TOPIC_MODEL_H_
#define INGEST_SERVICE_EXTRACT_TOPIC_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"
#include "common/taxonomy/taxonomy.h"
#include "ingest_service/extract/topic_classifier.h"

namespace newsdesk::ingest {

// An article with the topics a person gave it. `article` needs its title,
// paragraphs and (optionally) entities.
struct LabelledArticle {
  Article article;
  std::vector<std::string> codes;  // IPTC qcodes
};

struct TopicModelTrainingOptions {
  // Passes over the training articles.
  int epochs = 25;
  // Step size at the first pass; it decays as 1 / (1 + pass / 5).
  double learning_rate = 2.0;
  // L2 penalty per step, on the weights an article touches.
  double l2 = 1e-6;
  // Features seen in fewer articles are dropped.
  int min_document_frequency = 2;
  // Share of the articles held out to choose the decision threshold (then
  // the model is trained again on all of them).
  double validation_fraction = 0.15;
  uint64_t seed = 1;
};

class TopicModel {
 public:
  // INVALID_ARGUMENT when there are no articles, an article has no labels or
  // a label is not an active topic of `taxonomy`.
  static absl::StatusOr<std::unique_ptr<TopicModel>> Train(
      const std::vector<LabelledArticle>& articles, const Taxonomy& taxonomy,
      const TopicModelTrainingOptions& options = {});

  // Reads a model written by Serialize. INVALID_ARGUMENT, naming the line,
  // for a malformed file or a class that is not an active topic of
  // `taxonomy`; NOT_FOUND when the file cannot be read.
  static absl::StatusOr<std::unique_ptr<TopicModel>> Load(const std::string& path,
                                                          const Taxonomy& taxonomy);
  static absl::StatusOr<std::unique_ptr<TopicModel>> Parse(absl::string_view text,
                                                           const Taxonomy& taxonomy);

  // A text file: a header, the classes with their biases, then one line per
  // feature with its idf and non-zero weights.
  std::string Serialize() const;

  // Probability of each class (codes()[i]) for `article`.
  std::vector<double> Predict(const Article& article) const;

  const std::vector<std::string>& codes() const { return codes_; }
  // Classes at or above this probability are assigned.
  double threshold() const { return threshold_; }

 private:
  TopicModel() = default;

  // (feature index, value) pairs of an article, L2-normalised; features the
  // model does not know are skipped.
  std::vector<std::pair<int, double>> Vectorize(const Article& article) const;

  std::vector<std::string> codes_;
  std::vector<double> bias_;
  absl::flat_hash_map<std::string, int> feature_index_;
  std::vector<double> idf_;
  // Dense [feature][class] weights.
  std::vector<float> weights_;
  double threshold_ = 0.5;
  std::string taxonomy_version_;
};

// Classifies with a TopicModel: the classes at or above the model's
// threshold (at least the most likely class when it reaches half of it),
// most likely first, then their ancestors, implied. `model` and `taxonomy`
// are not owned and must outlive the classifier.
class ModelTopicClassifier : public TopicClassifier {
 public:
  ModelTopicClassifier(const TopicModel* model, const Taxonomy* taxonomy, int max_topics = 4);

  std::vector<ArticleTopic> Classify(const Article& article) const override;
  const std::string& taxonomy_version() const override { return taxonomy_->version(); }

 private:
  const TopicModel* const model_;
  const Taxonomy* const taxonomy_;
  const int max_topics_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_TOPIC_MODEL_H_
