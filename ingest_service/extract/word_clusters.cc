#include "ingest_service/extract/word_clusters.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "glog/logging.h"

namespace newsdesk::ingest {

// ---------------------------------------------------------------- WordClusters

WordClusters::WordClusters(std::vector<int> levels, std::vector<std::string> words,
                           std::vector<uint16_t> ids)
    : levels_(std::move(levels)), words_(std::move(words)), ids_(std::move(ids)) {
  CHECK_EQ(ids_.size(), words_.size() * levels_.size());
  index_.reserve(words_.size());
  for (size_t w = 0; w < words_.size(); ++w) index_.emplace(words_[w], static_cast<int>(w));
}

const uint16_t* WordClusters::FindExact(absl::string_view word) const {
  auto it = index_.find(word);
  return it == index_.end() ? nullptr : &ids_[it->second * levels_.size()];
}

const uint16_t* WordClusters::Find(absl::string_view word) const {
  if (const uint16_t* ids = FindExact(word)) return ids;
  std::string lower = absl::AsciiStrToLower(word);
  if (lower == word) return nullptr;
  if (const uint16_t* ids = FindExact(lower)) return ids;
  lower[0] = absl::ascii_toupper(lower[0]);
  return lower == word ? nullptr : FindExact(lower);
}

namespace {

template <typename T>
void Put(std::ostream& out, T value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
bool Get(std::istream& in, T* value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(value), sizeof(*value)));
}

absl::Status Damaged(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("word clusters in the model are damaged: ", what));
}

}  // namespace

void WordClusters::Write(std::ostream& out) const {
  Put<uint32_t>(out, levels_.size());
  for (const int level : levels_) Put<uint32_t>(out, level);
  Put<uint32_t>(out, words_.size());
  for (size_t w = 0; w < words_.size(); ++w) {
    Put<uint16_t>(out, words_[w].size());
    out.write(words_[w].data(), words_[w].size());
    out.write(reinterpret_cast<const char*>(&ids_[w * levels_.size()]),
              levels_.size() * sizeof(uint16_t));
  }
}

absl::StatusOr<WordClusters> WordClusters::Read(std::istream& in) {
  uint32_t level_count = 0, word_count = 0;
  if (!Get(in, &level_count)) return Damaged("truncated");
  if (level_count > kMaxLevels) return Damaged(absl::StrCat(level_count, " levels"));
  std::vector<int> levels(level_count);
  for (int& level : levels) {
    uint32_t size = 0;
    if (!Get(in, &size)) return Damaged("truncated");
    if (size < 1 || size > kMaxClusters) return Damaged(absl::StrCat(size, " clusters"));
    level = static_cast<int>(size);
  }
  if (!Get(in, &word_count)) return Damaged("truncated");
  if (word_count > kMaxWords || (word_count > 0 && level_count == 0)) {
    return Damaged(absl::StrCat(word_count, " words"));
  }
  std::vector<std::string> words(word_count);
  std::vector<uint16_t> ids(static_cast<size_t>(word_count) * level_count);
  absl::flat_hash_map<absl::string_view, int> seen;
  for (uint32_t w = 0; w < word_count; ++w) {
    uint16_t size = 0;
    if (!Get(in, &size)) return Damaged(absl::StrCat("truncated after ", w, " words"));
    if (size == 0 || size > kMaxWordBytes) return Damaged(absl::StrCat("a word of ", size, " bytes"));
    words[w].resize(size);
    uint16_t* word_ids = &ids[static_cast<size_t>(w) * level_count];
    if (!in.read(words[w].data(), size) ||
        !in.read(reinterpret_cast<char*>(word_ids), level_count * sizeof(uint16_t))) {
      return Damaged(absl::StrCat("truncated after ", w, " words"));
    }
    for (uint32_t l = 0; l < level_count; ++l) {
      if (word_ids[l] >= levels[l]) return Damaged(absl::StrCat("cluster id ", word_ids[l]));
    }
  }
  WordClusters clusters(std::move(levels), std::move(words), std::move(ids));
  if (clusters.index_.size() != clusters.words_.size()) return Damaged("a word twice");
  return clusters;
}

// ---------------------------------------------------------------- splitting

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The length of a quote or bracket at the start (leading) or end of `s`: an
// ASCII one or a UTF-8 curly quote; 0 if none.
size_t LeadingMark(absl::string_view s) {
  if (s.empty()) return 0;
  if (absl::StrContains("\"'([{`", s[0])) return 1;
  if (absl::StartsWith(s, "\xE2\x80\x9C") || absl::StartsWith(s, "\xE2\x80\x98")) return 3;
  return 0;
}

size_t TrailingMark(absl::string_view s) {
  if (s.empty()) return 0;
  if (absl::StrContains("\"')]},;:!?", s.back())) return 1;
  if (absl::EndsWith(s, "\xE2\x80\x9D") || absl::EndsWith(s, "\xE2\x80\x99")) return 3;
  if (s.back() == '.') {
    // "U.S." and "Mr." keep their dot; a sentence's last word does not.
    const absl::string_view rest = s.substr(0, s.size() - 1);
    const bool abbreviation =
        absl::StrContains(rest, '.') ||
        (rest.size() >= 2 && rest.size() <= 3 && absl::ascii_isupper(rest[0]) &&
         absl::ascii_islower(rest[1]));
    return abbreviation ? 0 : 1;
  }
  return 0;
}

void SplitChunk(absl::string_view chunk, std::vector<absl::string_view>* out) {
  while (size_t n = LeadingMark(chunk)) {
    if (n == chunk.size()) break;
    out->push_back(chunk.substr(0, n));
    chunk.remove_prefix(n);
  }
  std::vector<absl::string_view> trailing;
  while (size_t n = TrailingMark(chunk)) {
    if (n == chunk.size()) break;
    trailing.push_back(chunk.substr(chunk.size() - n));
    chunk.remove_suffix(n);
  }
  for (absl::string_view suffix : {"'s", "\xE2\x80\x99s", "n't"}) {
    if (chunk.size() > suffix.size() && absl::EndsWith(chunk, suffix)) {
      out->push_back(chunk.substr(0, chunk.size() - suffix.size()));
      chunk = chunk.substr(chunk.size() - suffix.size());
      break;
    }
  }
  out->push_back(chunk);
  out->insert(out->end(), trailing.rbegin(), trailing.rend());
}

}  // namespace

std::vector<absl::string_view> SplitPlainText(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    const size_t begin = pos;
    while (pos < text.size() && !IsSpace(text[pos])) ++pos;
    if (pos > begin) SplitChunk(text.substr(begin, pos - begin), &out);
  }
  return out;
}

// ---------------------------------------------------------------- learning

WordClusterLearner::WordClusterLearner(WordClusteringOptions options)
    : options_(std::move(options)) {}

absl::Status WordClusterLearner::AddText(absl::string_view text) {
  stream_.push_back(kBoundary);
  size_t line_begin = 0;
  while (line_begin < text.size()) {
    size_t line_end = text.find('\n', line_begin);
    if (line_end == absl::string_view::npos) line_end = text.size();
    const absl::string_view line = text.substr(line_begin, line_end - line_begin);
    line_begin = line_end + 1;
    const std::vector<absl::string_view> words = SplitPlainText(line);
    if (words.empty()) {  // a blank line ends a passage
      if (stream_.back() != kBoundary) stream_.push_back(kBoundary);
      continue;
    }
    if (static_cast<int64_t>(stream_.size() + words.size()) > options_.max_words) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the unlabelled text has more than ", options_.max_words,
                       " words, the most word clustering reads"));
    }
    for (absl::string_view word : words) {
      if (word.size() > WordClusters::kMaxWordBytes) {  // no word: a boundary
        stream_.push_back(kBoundary);
        continue;
      }
      auto [it, added] = ids_.try_emplace(word, static_cast<int32_t>(spellings_.size()));
      if (added) {
        spellings_.emplace_back(word);
        counts_.push_back(0);
      }
      ++counts_[it->second];
      stream_.push_back(it->second);
    }
  }
  stream_.push_back(kBoundary);
  return absl::OkStatus();
}

absl::Status WordClusterLearner::AddPath(const std::string& path) {
  std::error_code error;
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path, error)) {
    for (auto it = std::filesystem::recursive_directory_iterator(path, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (it->is_regular_file(error)) files.push_back(it->path().string());
    }
    if (error) return absl::NotFoundError(absl::StrCat("cannot list ", path, ": ", error.message()));
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::is_regular_file(path, error)) {
    files.push_back(path);
  } else {
    return absl::NotFoundError(absl::StrCat("no unlabelled text at ", path));
  }
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    if (!in || !(text << in.rdbuf())) {
      // An empty file reads as a failed copy; it adds nothing either way.
      if (std::filesystem::file_size(file, error) == 0 && !error) continue;
      return absl::NotFoundError(absl::StrCat("cannot read ", file));
    }
    if (absl::Status added = AddText(text.str()); !added.ok()) return added;
  }
  return absl::OkStatus();
}

namespace {

// Items (words, or the classes of a finer level) with their counts and the
// counts of each pair of items in sequence.
struct BigramGraph {
  std::vector<int64_t> count;
  std::vector<std::vector<std::pair<int, int64_t>>> next, previous;
};

// x log x, from a table for the small counts that dominate.
class XLogX {
 public:
  explicit XLogX(int64_t largest) {
    table_.resize(std::min<int64_t>(largest + 1, int64_t{1} << 23));
    for (size_t x = 1; x < table_.size(); ++x) table_[x] = x * std::log(static_cast<double>(x));
  }
  double operator()(int64_t x) const {
    return x < static_cast<int64_t>(table_.size()) ? table_[x]
                                                   : x * std::log(static_cast<double>(x));
  }

 private:
  std::vector<double> table_;
};

// The exchange algorithm: assigns the graph's items to `k` classes so as to
// maximise the likelihood of the class-bigram model,
//   sum over class pairs of N(c,d) log N(c,d) - 2 sum over classes N(c) log N(c).
// Items start in class (rank by count) mod k and are visited by rank.
std::vector<int> Exchange(const BigramGraph& graph, int k, int iterations, int64_t total) {
  const int n = static_cast<int>(graph.count.size());
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return graph.count[a] > graph.count[b]; });
  std::vector<int> cls(n);
  for (int r = 0; r < n; ++r) cls[order[r]] = r % k;

  // N[c * k + d]: pairs with the first in class c and the second in d; T is
  // its transpose, so both a row and a column read contiguously.
  std::vector<int64_t> pairs(static_cast<size_t>(k) * k), transposed(pairs.size()), size(k);
  for (int w = 0; w < n; ++w) {
    size[cls[w]] += graph.count[w];
    for (const auto& [u, c] : graph.next[w]) {
      pairs[static_cast<size_t>(cls[w]) * k + cls[u]] += c;
      transposed[static_cast<size_t>(cls[u]) * k + cls[w]] += c;
    }
  }
  const XLogX f(total);
  std::vector<int64_t> right(k), left(k);  // pair counts of the moving item
  std::vector<int> right_classes, left_classes;
  for (int iteration = 1; iteration <= iterations; ++iteration) {
    int moved = 0;
    for (const int w : order) {
      const int from = cls[w];
      int64_t self = 0;
      for (const auto& [u, c] : graph.next[w]) {
        if (u == w) {
          self += c;
        } else {
          if (right[cls[u]] == 0) right_classes.push_back(cls[u]);
          right[cls[u]] += c;
        }
      }
      for (const auto& [u, c] : graph.previous[w]) {
        if (u == w) continue;
        if (left[cls[u]] == 0) left_classes.push_back(cls[u]);
        left[cls[u]] += c;
      }
      // Take w out of its class, then put it where the likelihood gains most.
      auto move = [&](int to, int sign) {
        for (const int d : right_classes) {
          pairs[static_cast<size_t>(to) * k + d] += sign * right[d];
          transposed[static_cast<size_t>(d) * k + to] += sign * right[d];
        }
        for (const int c : left_classes) {
          pairs[static_cast<size_t>(c) * k + to] += sign * left[c];
          transposed[static_cast<size_t>(to) * k + c] += sign * left[c];
        }
        pairs[static_cast<size_t>(to) * k + to] += sign * self;
        transposed[static_cast<size_t>(to) * k + to] += sign * self;
        size[to] += sign * graph.count[w];
      };
      move(from, -1);
      const int64_t count = graph.count[w];
      auto gain = [&](int to) {
        const int64_t* row = &pairs[static_cast<size_t>(to) * k];
        const int64_t* column = &transposed[static_cast<size_t>(to) * k];
        double g = 0;
        for (const int d : right_classes) g += f(row[d] + right[d]) - f(row[d]);
        for (const int c : left_classes) g += f(column[c] + left[c]) - f(column[c]);
        // The (to, to) cell was counted by both sums with half its change.
        const int64_t x = row[to];
        g += f(x + right[to] + left[to] + self) - f(x + right[to]) - f(x + left[to]) + f(x);
        return g - 2 * (f(size[to] + count) - f(size[to]));
      };
      int best = from;
      double best_gain = gain(from);
      for (int to = 0; to < k; ++to) {
        if (to == from) continue;
        const double g = gain(to);
        if (g > best_gain + 1e-9) {
          best_gain = g;
          best = to;
        }
      }
      move(best, +1);
      if (best != from) {
        cls[w] = best;
        ++moved;
      }
      for (const int d : right_classes) right[d] = 0;
      for (const int c : left_classes) left[c] = 0;
      right_classes.clear();
      left_classes.clear();
    }
    VLOG(1) << "word clusters: " << k << " classes, pass " << iteration << ", " << moved
            << " of " << n << " items moved";
    if (moved * 1000 < n) break;  // fewer than 0.1% moved
  }
  return cls;
}

// The graph whose items are the classes of `graph` under `cls`.
BigramGraph Coarsen(const BigramGraph& graph, const std::vector<int>& cls, int k) {
  std::vector<int64_t> pairs(static_cast<size_t>(k) * k);
  BigramGraph out;
  out.count.assign(k, 0);
  for (size_t w = 0; w < graph.count.size(); ++w) {
    out.count[cls[w]] += graph.count[w];
    for (const auto& [u, c] : graph.next[w]) pairs[static_cast<size_t>(cls[w]) * k + cls[u]] += c;
  }
  out.next.resize(k);
  out.previous.resize(k);
  for (int c = 0; c < k; ++c) {
    for (int d = 0; d < k; ++d) {
      if (const int64_t count = pairs[static_cast<size_t>(c) * k + d]) {
        out.next[c].emplace_back(d, count);
        out.previous[d].emplace_back(c, count);
      }
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<WordClusters> WordClusterLearner::Learn() const {
  const std::vector<int>& levels = options_.clusters;
  if (levels.empty() || static_cast<int>(levels.size()) > WordClusters::kMaxLevels) {
    return absl::InvalidArgumentError(absl::StrCat(
        "word clustering needs 1 to ", WordClusters::kMaxLevels, " levels of clusters"));
  }
  for (size_t l = 0; l < levels.size(); ++l) {
    if (levels[l] < 2 || levels[l] > WordClusters::kMaxClusters ||
        (l > 0 && levels[l] >= levels[l - 1])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cluster counts must lie in [2, ", WordClusters::kMaxClusters,
          "] and fall from the finest level to the coarsest; level ", l, " has ", levels[l]));
    }
  }
  if (options_.min_count < 1 || options_.max_vocabulary < 1 || options_.iterations < 0 ||
      options_.max_vocabulary > WordClusters::kMaxWords) {
    return absl::InvalidArgumentError(absl::StrCat(
        "word clustering needs min_count >= 1, iterations >= 0 and a vocabulary of 1 to ",
        WordClusters::kMaxWords, " words"));
  }
  // The vocabulary: frequent words by count, then spelling.
  std::vector<int32_t> kept;
  for (size_t id = 0; id < counts_.size(); ++id) {
    if (counts_[id] >= options_.min_count) kept.push_back(static_cast<int32_t>(id));
  }
  std::sort(kept.begin(), kept.end(), [&](int32_t a, int32_t b) {
    return counts_[a] != counts_[b] ? counts_[a] > counts_[b] : spellings_[a] < spellings_[b];
  });
  if (static_cast<int>(kept.size()) > options_.max_vocabulary) kept.resize(options_.max_vocabulary);
  const int vocabulary = static_cast<int>(kept.size());
  if (vocabulary < levels[0]) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the unlabelled text has ", vocabulary, " distinct words seen at least ",
        options_.min_count, " times, fewer than the ", levels[0],
        " clusters asked for: give more text or ask for fewer clusters"));
  }
  // Items: the words, then one for all rarer words and one for passage ends.
  const int rare = vocabulary, boundary = vocabulary + 1;
  std::vector<int> item(counts_.size(), rare);
  for (int r = 0; r < vocabulary; ++r) item[kept[r]] = r;
  BigramGraph graph;
  graph.count.assign(vocabulary + 2, 0);
  absl::flat_hash_map<uint64_t, int64_t> bigrams;
  int previous = -1;
  for (const int32_t id : stream_) {
    const int current = id == kBoundary ? boundary : item[id];
    ++graph.count[current];
    if (previous >= 0) ++bigrams[(static_cast<uint64_t>(previous) << 32) | current];
    previous = current;
  }
  graph.next.resize(graph.count.size());
  graph.previous.resize(graph.count.size());
  std::vector<std::pair<uint64_t, int64_t>> sorted(bigrams.begin(), bigrams.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [key, count] : sorted) {
    const int a = static_cast<int>(key >> 32), b = static_cast<int>(key & 0xffffffffu);
    graph.next[a].emplace_back(b, count);
    graph.previous[b].emplace_back(a, count);
  }
  const int64_t total = static_cast<int64_t>(stream_.size());

  std::vector<uint16_t> ids(static_cast<size_t>(vocabulary) * levels.size());
  std::vector<int> of_item(graph.count.size());  // each item's class at this level
  for (size_t i = 0; i < of_item.size(); ++i) of_item[i] = static_cast<int>(i);
  BigramGraph level_graph = std::move(graph);
  for (size_t l = 0; l < levels.size(); ++l) {
    const std::vector<int> cls = Exchange(level_graph, levels[l], options_.iterations, total);
    for (int& c : of_item) c = cls[c];
    for (int w = 0; w < vocabulary; ++w) ids[w * levels.size() + l] = of_item[w];
    if (l + 1 < levels.size()) level_graph = Coarsen(level_graph, cls, levels[l]);
  }
  std::vector<std::string> words;
  words.reserve(vocabulary);
  for (const int32_t id : kept) words.push_back(spellings_[id]);
  return WordClusters(levels, std::move(words), std::move(ids));
}

}  // namespace newsdesk::ingest
