#include "ingest_service/extract/perceptron_tagger.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/entities/code_points.h"
#include "common/entities/name_key.h"

namespace newsdesk::ingest {
namespace {

// Format 4: the magic line, the tag count (9 for IOB2, 17 for BILOU), the
// feature count, each feature's hash and weights, then the word clusters.
// Format 3 (IOB2, no clusters, the same features otherwise) still loads.
constexpr char kMagic[] = "newsdesk-ner-perceptron-4\n";
constexpr char kMagicWithoutClusters[] = "newsdesk-ner-perceptron-3\n";
static_assert(sizeof(kMagic) == sizeof(kMagicWithoutClusters));
// Bounds on what Load accepts, so a damaged file gives an error rather than
// a huge allocation.
constexpr uint64_t kMaxFeatures = uint64_t{1} << 28;

// FNV-1a, 64 bits: feature hashes must be the same in every run.
uint64_t Hash(uint64_t seed, absl::string_view s) {
  for (const char c : s) {
    seed ^= static_cast<uint8_t>(c);
    seed *= 0x100000001b3ULL;
  }
  return seed;
}
uint64_t Hash(absl::string_view name, absl::string_view value) {
  return Hash(Hash(Hash(0xcbf29ce484222325ULL, name), "\x1f"), value);
}
uint64_t Hash(absl::string_view name, int value) {
  const char bytes[4] = {static_cast<char>(value), static_cast<char>(value >> 8),
                         static_cast<char>(value >> 16), static_cast<char>(value >> 24)};
  return Hash(name, absl::string_view(bytes, 4));
}
uint64_t Combine(uint64_t a, uint64_t b) { return Hash(a, absl::string_view(
    reinterpret_cast<const char*>(&b), sizeof(b))); }

// "Xxxx" -> "Xx", "NATO" -> "X", "1996-08-30" -> "d-d-d", "U.S." -> "X.X.".
std::string Shape(absl::string_view word) {
  std::string shape;
  for (size_t pos = 0; pos < word.size();) {
    const char32_t c = entities::DecodeUtf8(word, &pos);
    char s;
    if (c >= '0' && c <= '9') {
      s = 'd';
    } else if (entities::IsUpperCase(c)) {
      s = 'X';
    } else if (entities::IsWordChar(c)) {
      s = 'x';
    } else {
      s = c < 0x80 ? static_cast<char>(c) : '?';
    }
    if (shape.empty() || shape.back() != s) shape.push_back(s);
  }
  return shape;
}

bool AllCapitals(const std::vector<absl::string_view>& words) {
  int capitals = 0, letters = 0;
  for (absl::string_view w : words) {
    if (w.empty() || !entities::IsWordChar(static_cast<unsigned char>(w[0]))) continue;
    ++letters;
    capitals += entities::IsAllCapitals(w);
  }
  return letters >= 2 && capitals == letters;
}

}  // namespace

const std::vector<std::string>& NerTags() {
  static const auto* const tags = new std::vector<std::string>{
      "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"};
  return *tags;
}

namespace {

// What the rest of a document does with a word.
enum DocumentHint : uint8_t {
  kLowerElsewhere = 1,  // written in lower case somewhere
  kCapitalInside = 2,   // capitalised somewhere not at a sentence start
};

}  // namespace

std::vector<PerceptronTagger::Prepared> PerceptronTagger::Prepare(
    const Document& document) const {
  std::vector<Prepared> out(document.size());
  absl::flat_hash_map<std::string, uint8_t> hints;
  for (size_t s = 0; s < document.size(); ++s) {
    Prepared& p = out[s];
    p.words = document[s];
    const int n = static_cast<int>(p.words.size());
    for (int i = 0; i < n; ++i) {
      std::string key = entities::NameKey(p.words[i]);
      if (key.empty()) key = std::string(p.words[i]);
      size_t pos = 0;
      const char32_t first = entities::DecodeUtf8(p.words[i], &pos);
      if (entities::IsWordChar(first) && !entities::IsUpperCase(first) &&
          !(first >= '0' && first <= '9')) {
        hints[key] |= kLowerElsewhere;
      } else if (i > 0 && entities::IsUpperCase(first) && !entities::IsAllCapitals(p.words[i])) {
        hints[key] |= kCapitalInside;
      }
      p.keys.push_back(std::move(key));
      p.listed.push_back(word_list_ != nullptr ? word_list_->Lookup(p.keys.back()) : 0);
      p.clusters.push_back(clusters_ != nullptr ? clusters_->Find(p.words[i]) : nullptr);
    }
    p.all_capitals = AllCapitals(p.words);
    for (absl::string_view word : p.words) p.shapes.push_back(Shape(word));
    p.results = std::any_of(p.shapes.begin(), p.shapes.end(),
                            [](const std::string& shape) { return shape == "d-d"; });
    // Each word's latest earlier occurrence in the sentence.
    absl::flat_hash_map<absl::string_view, int> latest;
    for (int i = 0; i < n; ++i) {
      auto [it, added] = latest.try_emplace(p.keys[i], i);
      p.same_before.push_back(added ? -1 : it->second);
      it->second = i;
    }
    // The longest entity-table name starting at each word.
    p.gazetteer.assign(n, 0);
    if (lexicon_ == nullptr) continue;
    std::string key;
    for (int i = 0; i < n;) {
      int best = 0, code = 0;
      bool capitals = true;
      key.clear();
      for (int k = i; k < n && k < i + lexicon_->max_key_words(); ++k) {
        if (k > i) key.push_back(' ');
        key += p.keys[k];
        capitals = capitals && entities::IsAllCapitals(p.words[k]);
        const entities::EntityLexicon::KeyMatch match = lexicon_->MatchKey(key, capitals);
        if (match.record != nullptr) {
          best = k - i + 1;
          code = 1 + 2 * static_cast<int>(match.record->type);
        } else if (match.demonym != nullptr) {
          best = k - i + 1;
          code = 1 + 2 * 5;
        }
        if (!match.extends) break;
      }
      if (best == 0) {
        ++i;
        continue;
      }
      for (int k = i; k < i + best; ++k) p.gazetteer[k] = code + (k > i ? 1 : 0);
      i += best;
    }
  }
  for (Prepared& p : out) {
    for (const std::string& key : p.keys) {
      auto it = hints.find(key);
      p.in_document.push_back(it == hints.end() ? 0 : it->second);
    }
  }
  return out;
}

void PerceptronTagger::Remember(const Prepared& p, int i, int tag, History* history) const {
  if (p.in_document[i] == 0 && tag == 0) return;  // only words that may be names
  ++(*history)[p.keys[i]][TypeOf(tag)];
}

// BILOU tags: O is 0; type t (0 PER, 1 ORG, 2 LOC, 3 MISC) has B 1+4t,
// I 2+4t, L 3+4t, U 4+4t. IOB2 tags: B 1+2t, I 2+2t.
namespace {
enum Position { kBegin = 0, kInside = 1, kLast = 2, kUnit = 3 };
int Bilou(int type, Position position) { return 1 + 4 * type + position; }
Position PositionOf(int bilou_tag) { return static_cast<Position>((bilou_tag - 1) % 4); }
}  // namespace

bool PerceptronTagger::Allowed(int previous, int tag, bool last) const {
  if (tag_count_ != kBilouTags) return true;  // format-3 models decode as trained
  const bool open = previous > 0 && (PositionOf(previous) == kBegin ||
                                     PositionOf(previous) == kInside);
  const bool continues = tag > 0 && (PositionOf(tag) == kInside || PositionOf(tag) == kLast);
  if (open) return continues && TypeOf(tag) == TypeOf(previous) && (!last || PositionOf(tag) == kLast);
  if (continues) return false;
  return !last || tag == 0 || PositionOf(tag) == kUnit;
}

std::vector<int> PerceptronTagger::Encode(const std::vector<int>& iob2) const {
  if (tag_count_ != kBilouTags) return iob2;
  std::vector<int> out(iob2.size(), 0);
  const int n = static_cast<int>(iob2.size());
  for (int i = 0; i < n;) {
    if (iob2[i] == 0) {
      ++i;
      continue;
    }
    const int type = (iob2[i] - 1) / 2;
    int end = i + 1;
    while (end < n && iob2[end] == 2 + 2 * type) ++end;  // I of the same type
    if (end == i + 1) {
      out[i] = Bilou(type, kUnit);
    } else {
      out[i] = Bilou(type, kBegin);
      for (int k = i + 1; k + 1 < end; ++k) out[k] = Bilou(type, kInside);
      out[end - 1] = Bilou(type, kLast);
    }
    i = end;
  }
  return out;
}

std::vector<int> PerceptronTagger::Decode(const std::vector<int>& tags) const {
  if (tag_count_ != kBilouTags) return tags;
  std::vector<int> out(tags.size(), 0);
  for (size_t i = 0; i < tags.size(); ++i) {
    if (tags[i] == 0) continue;
    const int type = TypeOf(tags[i]) - 1;
    const Position position = PositionOf(tags[i]);
    const bool inside = (position == kInside || position == kLast) && i > 0 &&
                        out[i - 1] != 0 && (out[i - 1] - 1) / 2 == type;
    out[i] = inside ? 2 + 2 * type : 1 + 2 * type;
  }
  return out;
}

void PerceptronTagger::StaticFeatures(const Prepared& p, int i,
                                      std::vector<uint64_t>* out) const {
  out->clear();
  const int n = static_cast<int>(p.words.size());
  auto key = [&](int k) -> absl::string_view {
    if (k < 0) return "<s>";
    if (k >= n) return "</s>";
    return p.keys[k];
  };
  auto gaz = [&](int k) { return k < 0 || k >= n ? -1 : p.gazetteer[k]; };
  auto listed = [&](int k) { return k < 0 || k >= n ? -1 : p.listed[k]; };
  const absl::string_view shape = p.shapes[i];
  const absl::string_view shape_before = i > 0 ? absl::string_view(p.shapes[i - 1]) : "<s>";
  const absl::string_view shape_after = i + 1 < n ? absl::string_view(p.shapes[i + 1]) : "</s>";
  const absl::string_view k0 = key(i);
  const uint64_t shape_hash = Hash("", shape);

  out->push_back(Hash("bias", ""));
  out->push_back(Hash("w", p.words[i]));
  out->push_back(Hash("k", k0));
  out->push_back(Hash("k-1", key(i - 1)));
  out->push_back(Hash("k+1", key(i + 1)));
  out->push_back(Hash("k-2", key(i - 2)));
  out->push_back(Hash("k+2", key(i + 2)));
  out->push_back(Combine(Hash("k-1k", key(i - 1)), Hash("", k0)));
  out->push_back(Combine(Hash("kk+1", k0), Hash("", key(i + 1))));
  out->push_back(Hash("s", shape));
  out->push_back(Hash("s-1", shape_before));
  out->push_back(Hash("s+1", shape_after));
  out->push_back(Combine(Hash("s-1ss+1", shape_before),
                         Combine(shape_hash, Hash("", shape_after))));
  for (size_t len = 1; len <= 4 && len <= k0.size(); ++len) {
    out->push_back(Hash(absl::StrCat("p", len), k0.substr(0, len)));
    out->push_back(Hash(absl::StrCat("x", len), k0.substr(k0.size() - len)));
  }
  out->push_back(Hash("g", gaz(i)));
  out->push_back(Hash("g-1", gaz(i - 1)));
  out->push_back(Hash("g+1", gaz(i + 1)));
  out->push_back(Combine(Hash("gs", gaz(i)), shape_hash));
  out->push_back(Combine(Hash("l", listed(i)), shape_hash));
  out->push_back(Combine(Hash("l-1", listed(i - 1)), Hash("", listed(i))));
  out->push_back(Combine(Hash("l+1", listed(i + 1)), Hash("", listed(i))));
  out->push_back(Combine(Hash("d", p.in_document[i]), shape_hash));
  out->push_back(Combine(Hash("dl", p.in_document[i]), Hash("", listed(i))));
  out->push_back(Combine(Hash("first", i == 0), shape_hash));
  out->push_back(Combine(Hash("caps", p.all_capitals), shape_hash));
  out->push_back(Combine(Hash("rg", p.results), Combine(shape_hash, Hash("", gaz(i)))));
  out->push_back(Combine(Hash("rk", p.results), Hash("", k0)));
  out->push_back(Combine(Hash("capsw", p.all_capitals), Hash("", k0)));
  if (clusters_ == nullptr || clusters_->empty()) return;
  // The clusters of the word and its neighbours at every level.
  const int levels = clusters_->level_count();
  for (int offset = -2; offset <= 2; ++offset) {
    const int k = i + offset;
    const uint16_t* ids = k < 0 || k >= n ? nullptr : p.clusters[k];
    if (ids == nullptr) {
      out->push_back(Hash("c?", offset * 2 + (k < 0 || k >= n)));
      continue;
    }
    for (int l = 0; l < levels; ++l) {
      out->push_back(Combine(Hash("c", offset * 16 + l), ids[l]));
    }
  }
  if (const uint16_t* ids = p.clusters[i]) {
    for (int l = 0; l < levels; ++l) {
      out->push_back(Combine(Hash("cs", l), Combine(shape_hash, ids[l])));
    }
    // Pairs of neighbouring clusters, at the second level.
    const int l = std::min(1, levels - 1);
    const uint16_t* before = i > 0 ? p.clusters[i - 1] : nullptr;
    const uint16_t* after = i + 1 < n ? p.clusters[i + 1] : nullptr;
    out->push_back(Combine(Hash("c-1c", before ? before[l] : -1), ids[l]));
    out->push_back(Combine(Hash("cc+1", after ? after[l] : -1), ids[l]));
  }
}

void PerceptronTagger::DynamicFeatures(const Prepared& p, int i, int t1, int t2, int seen,
                                       std::vector<uint64_t>* out) const {
  const absl::string_view k0 = p.keys[i];
  const uint64_t shape_hash = Hash("", p.shapes[i]);
  const int gaz = p.gazetteer[i];
  out->push_back(Hash("t-1", t1));
  out->push_back(Combine(Hash("t-2t-1", t2), Hash("", t1)));
  out->push_back(Combine(Hash("t-1k", t1), Hash("", k0)));
  out->push_back(Combine(Hash("t-1s", t1), shape_hash));
  out->push_back(Combine(Hash("gt-1", gaz), Hash("", t1)));
  // The type this word got most often earlier in the document.
  out->push_back(Hash("h", seen));
  out->push_back(Combine(Hash("hs", seen), shape_hash));
  if (clusters_ == nullptr || clusters_->empty()) return;
  if (const uint16_t* ids = p.clusters[i]) {
    for (int l = 0; l < clusters_->level_count(); ++l) {
      out->push_back(Combine(Hash("ct-1", l * 16 + t1), ids[l]));
    }
  }
}

int PerceptronTagger::Seen(const std::array<int, 5>& counts) {
  int best = -1;
  for (int t = 0; t < 5; ++t) {
    if (counts[t] > 0 && (best < 0 || counts[t] > counts[best])) best = t;
  }
  return best;
}

void PerceptronTagger::Features(const Prepared& p, int i, const std::vector<int>& tags,
                                const History& history, std::vector<uint64_t>* out) const {
  StaticFeatures(p, i, out);
  int seen = -1;
  if (auto it = history.find(p.keys[i]); it != history.end()) seen = Seen(it->second);
  DynamicFeatures(p, i, i > 0 ? tags[i - 1] : -1, i > 1 ? tags[i - 2] : -1, seen, out);
}

void PerceptronTagger::Score(const std::vector<uint64_t>& features, float* scores) const {
  for (const uint64_t f : features) {
    auto it = weights_.find(f);
    if (it == weights_.end()) continue;
    for (int t = 0; t < tag_count_; ++t) scores[t] += it->second.w[t];
  }
}

int PerceptronTagger::Best(const std::vector<uint64_t>& features) const {
  float scores[kMaxTags] = {};
  Score(features, scores);
  return static_cast<int>(std::max_element(scores, scores + tag_count_) - scores);
}

// Beam search over valid tag sequences, scoring each sequence by the sum of
// its words' scores. The features of the tags before a word and of the
// word's earlier types in the document follow each hypothesis.
std::vector<int> PerceptronTagger::TagSentence(const Prepared& p, const History& history,
                                               std::vector<uint64_t>* features) const {
  struct Hypothesis {
    std::vector<int> tags;
    double score = 0;
  };
  const int n = static_cast<int>(p.words.size());
  std::vector<Hypothesis> beam(1), next;
  struct Candidate {
    int from;
    int tag;
    double score;
  };
  std::vector<Candidate> candidates;
  std::array<std::array<int, 3>, kBeamSize> contexts;
  std::array<std::array<float, kMaxTags>, kBeamSize> hypothesis_scores;
  for (int i = 0; i < n; ++i) {
    float static_scores[kMaxTags] = {};
    StaticFeatures(p, i, features);
    Score(*features, static_scores);
    // What history says of this word, before this sentence.
    std::array<int, 5> before = {};
    if (auto it = history.find(p.keys[i]); it != history.end()) before = it->second;
    candidates.clear();
    for (int h = 0; h < static_cast<int>(beam.size()); ++h) {
      const std::vector<int>& tags = beam[h].tags;
      std::array<int, 5> counts = before;
      for (int k = p.same_before[i]; k >= 0; k = p.same_before[k]) {
        if (p.in_document[k] != 0 || tags[k] != 0) ++counts[TypeOf(tags[k])];
      }
      // Hypotheses that agree on what the tag features read score alike.
      const std::array<int, 3> context = {i > 0 ? tags[i - 1] : -1, i > 1 ? tags[i - 2] : -1,
                                          Seen(counts)};
      int same = 0;
      while (same < h && contexts[same] != context) ++same;
      float* scores = hypothesis_scores[h].data();
      contexts[h] = context;
      if (same < h) {
        std::copy(hypothesis_scores[same].begin(), hypothesis_scores[same].end(), scores);
      } else {
        features->clear();
        DynamicFeatures(p, i, context[0], context[1], context[2], features);
        std::copy(static_scores, static_scores + kMaxTags, scores);
        Score(*features, scores);
      }
      for (int t = 0; t < tag_count_; ++t) {
        if (Allowed(i > 0 ? tags[i - 1] : -1, t, i + 1 == n)) {
          candidates.push_back({h, t, beam[h].score + scores[t]});
        }
      }
    }
    const size_t keep = std::min<size_t>(kBeamSize, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(),
                      [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    next.clear();
    for (size_t c = 0; c < keep; ++c) {
      Hypothesis& hypothesis = next.emplace_back();
      hypothesis.tags = beam[candidates[c].from].tags;
      hypothesis.tags.push_back(candidates[c].tag);
      hypothesis.score = candidates[c].score;
    }
    beam.swap(next);
  }
  return beam.empty() ? std::vector<int>() : beam[0].tags;
}

std::vector<std::vector<int>> PerceptronTagger::Tag(const Document& document) const {
  std::vector<std::vector<int>> out;
  std::vector<uint64_t> features;
  History history;
  for (const Prepared& sentence : Prepare(document)) {
    const std::vector<int> tags = TagSentence(sentence, history, &features);
    for (int i = 0; i < static_cast<int>(tags.size()); ++i) {
      Remember(sentence, i, tags[i], &history);
    }
    out.push_back(Decode(tags));
  }
  return out;
}

// Averaged-perceptron training: every weight also keeps the sum of its
// values over all updates so far, so the averaged model costs one pass.
class PerceptronTrainer {
 public:
  PerceptronTrainer(const entities::EntityLexicon* lexicon, const WordList* word_list,
                    std::shared_ptr<const WordClusters> clusters, int tag_count)
      : model_(new PerceptronTagger(lexicon, word_list, std::move(clusters), tag_count)) {}

  void Learn(const TaggedDocument& document) {
    Document words;
    for (const TaggedSentence& sentence : document) {
      words.emplace_back(sentence.words.begin(), sentence.words.end());
    }
    const std::vector<PerceptronTagger::Prepared> prepared = model_->Prepare(words);
    std::vector<uint64_t> features;
    PerceptronTagger::History history;
    for (size_t s = 0; s < document.size(); ++s) {
      std::vector<int> tags;
      const std::vector<int> truths = model_->Encode(document[s].tags);
      const int n = static_cast<int>(document[s].words.size());
      for (int i = 0; i < n; ++i) {
        model_->Features(prepared[s], i, tags, history, &features);
        const int guess = model_->Best(features);
        const int truth = truths[i];
        ++step_;
        if (guess != truth) {
          for (const uint64_t f : features) {
            Update(f, truth, 1);
            Update(f, guess, -1);
          }
        }
        tags.push_back(guess);
        model_->Remember(prepared[s], i, guess, &history);
      }
    }
  }

  std::unique_ptr<PerceptronTagger> Averaged() const {
    std::unique_ptr<PerceptronTagger> out(
        new PerceptronTagger(model_->lexicon_, model_->word_list_, model_->clusters_,
                             model_->tag_count_));
    for (const auto& [feature, weights] : model_->weights_) {
      const Totals& totals = totals_.at(feature);
      PerceptronTagger::Weights averaged;
      bool any = false;
      for (int t = 0; t < model_->tag_count_; ++t) {
        const double total = totals.sum[t] + (step_ - totals.stamp[t]) * weights.w[t];
        averaged.w[t] = static_cast<float>(total / std::max<int64_t>(step_, 1));
        any = any || averaged.w[t] != 0;
      }
      if (any) out->weights_.emplace(feature, averaged);
    }
    return out;
  }

 private:
  struct Totals {
    double sum[PerceptronTagger::kMaxTags] = {};
    int64_t stamp[PerceptronTagger::kMaxTags] = {};
  };

  void Update(uint64_t feature, int tag, float delta) {
    float& w = model_->weights_[feature].w[tag];
    Totals& totals = totals_[feature];
    totals.sum[tag] += (step_ - totals.stamp[tag]) * w;
    totals.stamp[tag] = step_;
    w += delta;
  }

  std::unique_ptr<PerceptronTagger> model_;
  absl::flat_hash_map<uint64_t, Totals> totals_;
  int64_t step_ = 0;
};

std::unique_ptr<PerceptronTagger> PerceptronTagger::Train(
    const std::vector<TaggedDocument>& sentences, const entities::EntityLexicon* lexicon,
    const WordList* word_list, const PerceptronTrainingOptions& options) {
  PerceptronTrainer trainer(lexicon, word_list, options.clusters,
                            options.bilou ? kBilouTags : kIob2Tags);
  std::vector<int> order(sentences.size());
  for (size_t s = 0; s < order.size(); ++s) order[s] = static_cast<int>(s);
  std::mt19937 random(options.shuffle_seed);
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), random);
    for (const int s : order) trainer.Learn(sentences[s]);
    if (options.after_epoch) options.after_epoch(epoch, *trainer.Averaged());
  }
  return trainer.Averaged();
}

absl::Status PerceptronTagger::Save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  out.write(kMagic, sizeof(kMagic) - 1);
  const uint32_t tag_count = tag_count_;
  out.write(reinterpret_cast<const char*>(&tag_count), sizeof(tag_count));
  const uint64_t count = weights_.size();
  out.write(reinterpret_cast<const char*>(&count), sizeof(count));
  for (const auto& [feature, weights] : weights_) {
    out.write(reinterpret_cast<const char*>(&feature), sizeof(feature));
    out.write(reinterpret_cast<const char*>(weights.w), tag_count_ * sizeof(float));
  }
  clusters().Write(out);
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PerceptronTagger>> PerceptronTagger::Load(
    const std::string& path, const entities::EntityLexicon* lexicon,
    const WordList* word_list) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read entity model ", path));
  char magic[sizeof(kMagic) - 1];
  uint64_t count = 0;
  if (!in.read(magic, sizeof(magic))) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an entity model made by newsdesk-train-entities"));
  }
  const bool with_clusters = std::memcmp(magic, kMagic, sizeof(magic)) == 0;
  if (!with_clusters && std::memcmp(magic, kMagicWithoutClusters, sizeof(magic)) != 0) {
    constexpr absl::string_view kPrefix = "newsdesk-ner-perceptron-";
    if (absl::string_view(magic, sizeof(magic)).substr(0, kPrefix.size()) == kPrefix) {
      return absl::InvalidArgumentError(absl::StrCat(
          "entity model ", path, " has format ",
          absl::string_view(magic, sizeof(magic)).substr(kPrefix.size(), 1),
          ", which this build does not read (it reads 3 and 4): train it again with "
          "newsdesk-train-entities"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an entity model made by newsdesk-train-entities"));
  }
  uint32_t tag_count = kIob2Tags;
  if (with_clusters && (!in.read(reinterpret_cast<char*>(&tag_count), sizeof(tag_count)) ||
                        (tag_count != kIob2Tags && tag_count != kBilouTags))) {
    return absl::InvalidArgumentError(
        absl::StrCat("entity model ", path, " is damaged: bad tag count"));
  }
  if (!in.read(reinterpret_cast<char*>(&count), sizeof(count)) || count > kMaxFeatures) {
    return absl::InvalidArgumentError(
        absl::StrCat("entity model ", path, " is damaged: bad feature count"));
  }
  std::vector<std::pair<uint64_t, Weights>> weights;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t feature = 0;
    Weights w;
    if (!in.read(reinterpret_cast<char*>(&feature), sizeof(feature)) ||
        !in.read(reinterpret_cast<char*>(w.w), tag_count * sizeof(float))) {
      return absl::InvalidArgumentError(
          absl::StrCat("entity model ", path, " is truncated after ", i, " features"));
    }
    weights.emplace_back(feature, w);
  }
  std::shared_ptr<const WordClusters> clusters;
  if (with_clusters) {
    absl::StatusOr<WordClusters> read = WordClusters::Read(in);
    if (!read.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("entity model ", path, ": ", read.status().message()));
    }
    if (!read->empty()) clusters = std::make_shared<const WordClusters>(*std::move(read));
  }
  std::unique_ptr<PerceptronTagger> tagger(
      new PerceptronTagger(lexicon, word_list, std::move(clusters), tag_count));
  tagger->weights_.reserve(weights.size());
  for (const auto& [feature, w] : weights) tagger->weights_.emplace(feature, w);
  return tagger;
}

const WordClusters& PerceptronTagger::clusters() const {
  static const WordClusters* const kNone = new WordClusters();
  return clusters_ != nullptr ? *clusters_ : *kNone;
}

}  // namespace newsdesk::ingest
