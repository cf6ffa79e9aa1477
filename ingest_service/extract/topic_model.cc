#include "ingest_service/extract/topic_model.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "ingest_service/extract/tokenizer.h"
#include "ingest_service/extract/topic_text.h"

namespace newsdesk::ingest {
namespace {

constexpr absl::string_view kMagic = "newsdesk-topic-model";
constexpr int kFormatVersion = 1;
constexpr double kTitleCount = 2.0;
constexpr float kMinStoredWeight = 1e-4f;

// Raw feature counts of an article: word stems and entity ids.
absl::flat_hash_map<std::string, double> CountFeatures(const Article& article) {
  absl::flat_hash_map<std::string, double> counts;
  auto add_text = [&counts](absl::string_view text, double weight) {
    std::vector<Token> tokens;
    Tokenize(text, &tokens);
    for (const Token& token : tokens) {
      if (token.Has(kNumeric)) continue;
      bool letter = false;
      for (char c : token.text) {
        letter |= absl::ascii_isalpha(static_cast<unsigned char>(c)) ||
                  static_cast<unsigned char>(c) >= 0x80;
      }
      if (!letter) continue;
      std::string stem = StemWord(token.text);
      if (stem.size() < 2) continue;
      counts[stem] += weight;
    }
  };
  add_text(article.title, kTitleCount);
  for (const std::string& paragraph : article.paragraphs) add_text(paragraph, 1.0);
  for (const ArticleEntity& entity : article.entities) {
    counts[absl::StrCat("entity:", entity.id)] += std::max(entity.mention_count, 1);
  }
  return counts;
}

double Sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

using SparseVector = std::vector<std::pair<int, double>>;

// Weights of a one-vs-rest logistic regression.
struct Weights {
  std::vector<float> w;  // [feature][class]
  std::vector<double> bias;
};

Weights Fit(const std::vector<SparseVector>& x, const std::vector<std::vector<int>>& y,
            const std::vector<size_t>& rows, int features, int classes,
            const TopicModelTrainingOptions& options) {
  Weights weights;
  weights.w.assign(static_cast<size_t>(features) * classes, 0.0f);
  weights.bias.assign(classes, 0.0);
  std::vector<size_t> order = rows;
  std::mt19937_64 rng(options.seed);
  std::vector<double> gradient(classes);
  std::vector<char> positive(classes);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    const double rate = options.learning_rate / (1.0 + epoch / 5.0);
    const float decay = static_cast<float>(1.0 - rate * options.l2);
    for (size_t row : order) {
      std::vector<double> score(weights.bias);
      for (const auto& [f, v] : x[row]) {
        const float* wf = &weights.w[static_cast<size_t>(f) * classes];
        for (int c = 0; c < classes; ++c) score[c] += v * wf[c];
      }
      std::fill(positive.begin(), positive.end(), 0);
      for (int c : y[row]) positive[c] = 1;
      for (int c = 0; c < classes; ++c) {
        gradient[c] = rate * (Sigmoid(score[c]) - positive[c]);
        weights.bias[c] -= gradient[c] * 0.1;
      }
      for (const auto& [f, v] : x[row]) {
        float* wf = &weights.w[static_cast<size_t>(f) * classes];
        for (int c = 0; c < classes; ++c) {
          wf[c] = wf[c] * decay - static_cast<float>(gradient[c] * v);
        }
      }
    }
  }
  return weights;
}

std::vector<double> Probabilities(const Weights& weights, const SparseVector& x,
                                  int classes) {
  std::vector<double> score(weights.bias);
  for (const auto& [f, v] : x) {
    const float* wf = &weights.w[static_cast<size_t>(f) * classes];
    for (int c = 0; c < classes; ++c) score[c] += v * wf[c];
  }
  for (double& s : score) s = Sigmoid(s);
  return score;
}

// The classes assigned at `threshold`: those at or above it, or else the
// most likely one when it reaches half of it.
std::vector<int> Decide(const std::vector<double>& p, double threshold) {
  std::vector<int> out;
  int best = 0;
  for (int c = 0; c < static_cast<int>(p.size()); ++c) {
    if (p[c] >= threshold) out.push_back(c);
    if (p[c] > p[best]) best = c;
  }
  if (out.empty() && !p.empty() && p[best] >= threshold / 2) out.push_back(best);
  return out;
}

}  // namespace

std::vector<std::pair<int, double>> TopicModel::Vectorize(const Article& article) const {
  SparseVector out;
  double norm = 0;
  for (const auto& [feature, count] : CountFeatures(article)) {
    auto it = feature_index_.find(feature);
    if (it == feature_index_.end()) continue;
    const double value = (1.0 + std::log(count)) * idf_[it->second];
    out.emplace_back(it->second, value);
    norm += value * value;
  }
  if (norm > 0) {
    norm = std::sqrt(norm);
    for (auto& [f, v] : out) v /= norm;
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::unique_ptr<TopicModel>> TopicModel::Train(
    const std::vector<LabelledArticle>& articles, const Taxonomy& taxonomy,
    const TopicModelTrainingOptions& options) {
  if (articles.empty()) return absl::InvalidArgumentError("no labelled articles to train on");
  std::unique_ptr<TopicModel> model(new TopicModel());
  model->taxonomy_version_ = taxonomy.version();

  // Classes and labels.
  absl::flat_hash_map<std::string, int> class_index;
  std::vector<std::vector<int>> labels(articles.size());
  for (size_t i = 0; i < articles.size(); ++i) {
    if (articles[i].codes.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("article ", i + 1, " has no topics"));
    }
    for (const std::string& code : articles[i].codes) {
      const Taxonomy::Topic* topic = taxonomy.Find(code);
      if (topic == nullptr || topic->retired || topic->code != code) {
        return absl::InvalidArgumentError(absl::StrCat(
            "article ", i + 1, ": \"", code, "\" is not an active IPTC media topic qcode"));
      }
      auto [it, inserted] = class_index.try_emplace(code, model->codes_.size());
      if (inserted) model->codes_.push_back(code);
      if (std::find(labels[i].begin(), labels[i].end(), it->second) == labels[i].end()) {
        labels[i].push_back(it->second);
      }
    }
  }
  const int classes = static_cast<int>(model->codes_.size());

  // Vocabulary and idf.
  std::vector<absl::flat_hash_map<std::string, double>> counts;
  counts.reserve(articles.size());
  absl::flat_hash_map<std::string, int> document_frequency;
  for (const LabelledArticle& a : articles) {
    counts.push_back(CountFeatures(a.article));
    for (const auto& [feature, count] : counts.back()) ++document_frequency[feature];
  }
  std::vector<std::string> vocabulary;
  for (const auto& [feature, df] : document_frequency) {
    if (df >= options.min_document_frequency) vocabulary.push_back(feature);
  }
  std::sort(vocabulary.begin(), vocabulary.end());
  const double n = static_cast<double>(articles.size());
  for (const std::string& feature : vocabulary) {
    model->feature_index_[feature] = static_cast<int>(model->idf_.size());
    model->idf_.push_back(std::log((1.0 + n) / (1.0 + document_frequency[feature])) + 1.0);
  }
  const int features = static_cast<int>(vocabulary.size());
  std::vector<SparseVector> x;
  x.reserve(articles.size());
  for (const LabelledArticle& a : articles) x.push_back(model->Vectorize(a.article));

  // The threshold that gives the best micro-F1 on a held-out share.
  std::vector<size_t> all(articles.size());
  std::iota(all.begin(), all.end(), 0);
  std::vector<size_t> shuffled = all;
  std::mt19937_64 rng(options.seed);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const size_t held = static_cast<size_t>(options.validation_fraction * n);
  if (held >= 20 && held < articles.size()) {
    std::vector<size_t> validation(shuffled.begin(), shuffled.begin() + held);
    std::vector<size_t> train(shuffled.begin() + held, shuffled.end());
    const Weights trial = Fit(x, labels, train, features, classes, options);
    std::vector<std::vector<double>> p;
    for (size_t row : validation) p.push_back(Probabilities(trial, x[row], classes));
    double best_f1 = -1;
    for (double threshold = 0.1; threshold <= 0.71; threshold += 0.05) {
      int64_t tp = 0, fp = 0, fn = 0;
      for (size_t k = 0; k < validation.size(); ++k) {
        const std::vector<int> decided = Decide(p[k], threshold);
        const std::vector<int>& truth = labels[validation[k]];
        for (int c : decided) {
          (std::find(truth.begin(), truth.end(), c) != truth.end() ? tp : fp)++;
        }
        for (int c : truth) {
          if (std::find(decided.begin(), decided.end(), c) == decided.end()) ++fn;
        }
      }
      const double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
      if (f1 > best_f1 + 1e-9) {
        best_f1 = f1;
        model->threshold_ = threshold;
      }
    }
  }
  Weights weights = Fit(x, labels, all, features, classes, options);
  model->weights_ = std::move(weights.w);
  model->bias_ = std::move(weights.bias);
  return model;
}

std::vector<double> TopicModel::Predict(const Article& article) const {
  const int classes = static_cast<int>(codes_.size());
  std::vector<double> score(bias_);
  for (const auto& [f, v] : Vectorize(article)) {
    const float* wf = &weights_[static_cast<size_t>(f) * classes];
    for (int c = 0; c < classes; ++c) score[c] += v * wf[c];
  }
  for (double& s : score) s = Sigmoid(s);
  return score;
}

std::string TopicModel::Serialize() const {
  const int classes = static_cast<int>(codes_.size());
  std::vector<std::string> by_index(idf_.size());
  for (const auto& [feature, index] : feature_index_) by_index[index] = feature;
  std::string out = absl::StrCat(kMagic, "\t", kFormatVersion, "\n", "taxonomy\t",
                                 taxonomy_version_, "\n", "threshold\t",
                                 absl::StrFormat("%.4f", threshold_), "\n", "classes\t",
                                 classes, "\n");
  for (int c = 0; c < classes; ++c) {
    absl::StrAppend(&out, codes_[c], "\t", absl::StrFormat("%.6g", bias_[c]), "\n");
  }
  absl::StrAppend(&out, "features\t", by_index.size(), "\n");
  for (size_t f = 0; f < by_index.size(); ++f) {
    absl::StrAppend(&out, by_index[f], "\t", absl::StrFormat("%.6g", idf_[f]), "\t");
    bool first = true;
    for (int c = 0; c < classes; ++c) {
      const float w = weights_[f * classes + c];
      if (std::fabs(w) < kMinStoredWeight) continue;
      absl::StrAppend(&out, first ? "" : " ", c, ":", absl::StrFormat("%.6g", w));
      first = false;
    }
    out.push_back('\n');
  }
  return out;
}

absl::StatusOr<std::unique_ptr<TopicModel>> TopicModel::Load(const std::string& path,
                                                              const Taxonomy& taxonomy) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read topic model ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), taxonomy);
}

absl::StatusOr<std::unique_ptr<TopicModel>> TopicModel::Parse(absl::string_view text,
                                                               const Taxonomy& taxonomy) {
  std::unique_ptr<TopicModel> model(new TopicModel());
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  size_t next = 0;
  auto error = [&next](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("topic model line ", next, ": ", what));
  };
  // The next line as tab-separated columns; at least `min_cols` of them.
  auto read = [&](size_t min_cols) -> absl::StatusOr<std::vector<absl::string_view>> {
    if (next >= lines.size()) return error("unexpected end of file");
    std::vector<absl::string_view> cols = absl::StrSplit(lines[next++], '\t');
    if (cols.size() < min_cols) return error(absl::StrCat("want ", min_cols, " columns"));
    return cols;
  };
  auto header = [&](absl::string_view name) -> absl::StatusOr<absl::string_view> {
    absl::StatusOr<std::vector<absl::string_view>> cols = read(2);
    if (!cols.ok()) return cols.status();
    if ((*cols)[0] != name) return error(absl::StrCat("want \"", name, "\""));
    return (*cols)[1];
  };

  auto magic = header(kMagic);
  if (!magic.ok()) return absl::InvalidArgumentError("not a newsdesk topic model file");
  if (*magic != absl::StrCat(kFormatVersion)) return error("unsupported format version");
  auto version = header("taxonomy");
  if (!version.ok()) return version.status();
  model->taxonomy_version_ = std::string(*version);
  auto threshold = header("threshold");
  if (!threshold.ok()) return threshold.status();
  if (!absl::SimpleAtod(*threshold, &model->threshold_) || !(model->threshold_ > 0) ||
      model->threshold_ >= 1) {
    return error("bad threshold");
  }
  auto class_count = header("classes");
  if (!class_count.ok()) return class_count.status();
  int classes = 0;
  if (!absl::SimpleAtoi(*class_count, &classes) || classes <= 0 || classes > 100000) {
    return error("bad class count");
  }
  for (int c = 0; c < classes; ++c) {
    auto cols = read(2);
    if (!cols.ok()) return cols.status();
    const Taxonomy::Topic* topic = taxonomy.Find((*cols)[0]);
    if (topic == nullptr || topic->retired || topic->code != (*cols)[0]) {
      return error(absl::StrCat("\"", (*cols)[0], "\" is not an active topic of taxonomy ",
                                taxonomy.version()));
    }
    double bias = 0;
    if (!absl::SimpleAtod((*cols)[1], &bias)) return error("bad bias");
    model->codes_.push_back(topic->code);
    model->bias_.push_back(bias);
  }
  auto feature_count = header("features");
  if (!feature_count.ok()) return feature_count.status();
  int features = 0;
  if (!absl::SimpleAtoi(*feature_count, &features) || features < 0 ||
      features > 10000000) {
    return error("bad feature count");
  }
  model->weights_.assign(static_cast<size_t>(features) * classes, 0.0f);
  for (int f = 0; f < features; ++f) {
    auto cols = read(3);
    if (!cols.ok()) return cols.status();
    double idf = 0;
    if ((*cols)[0].empty() || !absl::SimpleAtod((*cols)[1], &idf)) {
      return error("bad feature");
    }
    if (!model->feature_index_.emplace(std::string((*cols)[0]), f).second) {
      return error("duplicate feature");
    }
    model->idf_.push_back(idf);
    for (absl::string_view pair : absl::StrSplit((*cols)[2], ' ', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(pair, ':');
      int c = 0;
      float w = 0;
      if (!absl::SimpleAtoi(kv.first, &c) || c < 0 || c >= classes ||
          !absl::SimpleAtof(kv.second, &w)) {
        return error(absl::StrCat("bad weight \"", pair, "\""));
      }
      model->weights_[static_cast<size_t>(f) * classes + c] = w;
    }
  }
  return model;
}

ModelTopicClassifier::ModelTopicClassifier(const TopicModel* model, const Taxonomy* taxonomy,
                                           int max_topics)
    : model_(model), taxonomy_(taxonomy), max_topics_(max_topics) {}

std::vector<ArticleTopic> ModelTopicClassifier::Classify(const Article& article) const {
  const std::vector<double> p = model_->Predict(article);
  std::vector<int> decided = Decide(p, model_->threshold());
  std::sort(decided.begin(), decided.end(), [&](int a, int b) {
    if (p[a] != p[b]) return p[a] > p[b];
    return model_->codes()[a] < model_->codes()[b];
  });
  if (static_cast<int>(decided.size()) > max_topics_) decided.resize(max_topics_);
  std::vector<ArticleTopic> specific;
  for (int c : decided) {
    const Taxonomy::Topic* topic = taxonomy_->Find(model_->codes()[c]);
    if (topic == nullptr) continue;
    specific.push_back({topic->code, topic->label, p[c], false});
  }
  return WithAncestors(*taxonomy_, std::move(specific));
}

}  // namespace newsdesk::ingest
