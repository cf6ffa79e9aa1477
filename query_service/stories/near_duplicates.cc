#include "query_service/stories/near_duplicates.h"

#include <algorithm>
#include <limits>

#include "absl/strings/ascii.h"
#include "common/status/status_macros.h"
#include "query_service/index/article_index.h"

namespace newsdesk::query {
namespace {

// splitmix64: a fixed bijective mixer, the same in every process.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a of a word, ASCII lower-cased.
uint64_t WordHash(absl::string_view word) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : word) {
    h ^= static_cast<unsigned char>(absl::ascii_tolower(static_cast<unsigned char>(c)));
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

NearDuplicateDetector::NearDuplicateDetector(NearDuplicateOptions options)
    : options_(options) {
  const int hashes = options_.bands * options_.rows;
  for (int i = 0; i < hashes; ++i) seeds_.push_back(Mix(0x5eed0000ULL + i));
}

std::vector<uint64_t> NearDuplicateDetector::Shingles(const Article& article) const {
  std::vector<uint64_t> out;
  const size_t n = static_cast<size_t>(std::max(options_.shingle_words, 1));
  std::vector<uint64_t> words;
  // The standfirst is body text too: parsers and outlets differ on whether
  // a short first paragraph is one.
  std::vector<const std::string*> texts = {&article.standfirst};
  for (const std::string& paragraph : article.paragraphs) texts.push_back(&paragraph);
  for (const std::string* paragraph : texts) {
    words.clear();
    ArticleIndex::ForEachWord(*paragraph, [&words](absl::string_view word, size_t) {
      words.push_back(WordHash(word));
    });
    if (words.empty()) continue;
    const size_t count = words.size() < n ? 1 : words.size() - n + 1;
    for (size_t i = 0; i < count; ++i) {
      uint64_t h = 0;
      for (size_t j = i; j < std::min(i + n, words.size()); ++j) h = Mix(h ^ words[j]);
      out.push_back(h);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<NearDuplicateDetector::Figure> NearDuplicateDetector::Figures(
    const Article& article) const {
  constexpr uint64_t kMasked = 0x6e756d626572ULL;  // a figure among the context words
  std::vector<Figure> out;
  std::vector<uint64_t> words;
  std::vector<bool> figure;
  std::vector<const std::string*> texts = {&article.standfirst};
  for (const std::string& paragraph : article.paragraphs) texts.push_back(&paragraph);
  for (const std::string* paragraph : texts) {
    words.clear();
    figure.clear();
    ArticleIndex::ForEachWord(*paragraph, [&](absl::string_view word, size_t) {
      words.push_back(WordHash(word));
      figure.push_back(std::any_of(word.begin(), word.end(), absl::ascii_isdigit));
    });
    for (size_t i = 0; i < words.size(); ++i) {
      if (!figure[i]) continue;
      uint64_t context = 0;
      for (size_t j = i < 2 ? 0 : i - 2; j <= i + 2 && j < words.size(); ++j) {
        if (j == i) {
          context = Mix(context ^ 0x5e1fULL);
          continue;
        }
        context = Mix(context ^ (figure[j] ? kMasked : words[j]));
      }
      out.emplace_back(context, words[i]);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

NearDuplicateDetector::FigureComparison NearDuplicateDetector::CompareFigures(
    const std::vector<Figure>& a, const std::vector<Figure>& b) {
  FigureComparison result;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      // The figures both bodies put in this context: the same when they
      // share one.
      const uint64_t context = a[i].first;
      size_t i_end = i, j_end = j;
      while (i_end < a.size() && a[i_end].first == context) ++i_end;
      while (j_end < b.size() && b[j_end].first == context) ++j_end;
      bool same = false;
      for (size_t x = i, y = j; x < i_end && y < j_end;) {
        if (a[x].second < b[y].second) {
          ++x;
        } else if (b[y].second < a[x].second) {
          ++y;
        } else {
          same = true;
          break;
        }
      }
      ++result.shared;
      if (!same) ++result.differing;
      i = i_end;
      j = j_end;
    }
  }
  return result;
}

bool NearDuplicateDetector::FiguresAgree(const std::vector<Figure>& figures,
                                         const Article& other) const {
  const FigureComparison compared = CompareFigures(figures, Figures(other));
  return compared.differing <= options_.max_figure_disagreement * compared.shared;
}

double NearDuplicateDetector::Containment(const std::vector<uint64_t>& a,
                                          const std::vector<uint64_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(std::min(a.size(), b.size()));
}

std::vector<uint32_t> NearDuplicateDetector::Signature(
    const std::vector<uint64_t>& shingles) const {
  std::vector<uint32_t> signature(seeds_.size(), std::numeric_limits<uint32_t>::max());
  for (const uint64_t s : shingles) {
    for (size_t k = 0; k < seeds_.size(); ++k) {
      signature[k] = std::min(signature[k], static_cast<uint32_t>(Mix(s ^ seeds_[k])));
    }
  }
  return signature;
}

absl::StatusOr<std::optional<CopyMatch>> NearDuplicateDetector::Add(
    const Article& article, const ArticleLinker::EarlierArticle& earlier) {
  const std::vector<uint64_t> shingles = Shingles(article);
  Entry entry;
  entry.id = article.id;
  entry.root = static_cast<uint32_t>(entries_.size());
  entry.shingles = static_cast<uint32_t>(shingles.size());
  const uint32_t self = static_cast<uint32_t>(entries_.size());
  std::optional<CopyMatch> best;
  uint32_t best_root = 0;  // the entry of best->original_id
  if (static_cast<int>(shingles.size()) >= options_.min_shingles) {
    entry.signature = Signature(shingles);
    std::vector<uint64_t> keys;
    for (int b = 0; b < options_.bands; ++b) {
      uint64_t key = Mix(static_cast<uint64_t>(b));
      for (int r = 0; r < options_.rows; ++r) key = Mix(key ^ entry.signature[b * options_.rows + r]);
      keys.push_back(key);
    }
    // Candidates in the order they were added, each once.
    std::vector<uint32_t> candidates;
    for (const uint64_t key : keys) {
      auto it = band_last_.find(key);
      if (it == band_last_.end()) continue;
      for (uint32_t slot = it->second; slot != kNoSlot; slot = slot_before_[slot]) {
        candidates.push_back(slot_entry_[slot]);
      }
    }
    // Each once, with the number of bands it agrees on; when there are many
    // (text full of common phrases), those agreeing on the most bands.
    std::sort(candidates.begin(), candidates.end());
    std::vector<std::pair<int, uint32_t>> by_bands;  // (-bands, entry)
    for (size_t i = 0; i < candidates.size();) {
      size_t j = i;
      while (j < candidates.size() && candidates[j] == candidates[i]) ++j;
      by_bands.emplace_back(-static_cast<int>(j - i), candidates[i]);
      i = j;
    }
    if (static_cast<int>(by_bands.size()) > options_.max_candidates) {
      std::partial_sort(by_bands.begin(), by_bands.begin() + options_.max_candidates,
                        by_bands.end());
      by_bands.resize(options_.max_candidates);
    }
    candidates.clear();
    for (const auto& [bands, c] : by_bands) candidates.push_back(c);
    // The candidates whose estimate comes near the threshold, best first,
    // one per original: only a few are confirmed exactly.
    const double slack = 0.15;  // the estimate's error at this signature size
    std::vector<std::pair<double, uint32_t>> likely;
    for (const uint32_t c : candidates) {
      const Entry& other = entries_[c];
      const double small = std::min(entry.shingles, other.shingles);
      const double large = std::max(entry.shingles, other.shingles);
      if (small < options_.min_size_ratio * large) continue;
      int agree = 0;
      for (size_t k = 0; k < seeds_.size(); ++k) agree += entry.signature[k] == other.signature[k];
      const double jaccard = static_cast<double>(agree) / static_cast<double>(seeds_.size());
      const double estimate = jaccard * (small + large) / (1 + jaccard) / small;
      if (estimate >= options_.min_similarity - slack) likely.emplace_back(-estimate, c);
    }
    std::sort(likely.begin(), likely.end());
    std::vector<uint32_t> tried;  // originals confirmed or refuted
    std::optional<std::vector<Figure>>
        figures;  // the article's, once a candidate needs them
    for (const auto& [negative_estimate, c] : likely) {
      const Entry& other = entries_[c];
      if (static_cast<int>(tried.size()) >= options_.max_confirmations) break;
      if (std::find(tried.begin(), tried.end(), other.root) != tried.end()) continue;
      tried.push_back(other.root);
      ASSIGN_OR_RETURN(const Article* text, earlier(other.id));
      if (text == nullptr) continue;
      const double similarity = Containment(shingles, Shingles(*text));
      if (similarity < options_.min_similarity) continue;
      // The same text with other figures is another report. A copy of a
      // copy is linked to the first article, so its figures must agree
      // with that one's too.
      if (!figures) figures = Figures(article);
      if (!FiguresAgree(*figures, *text)) continue;
      if (other.root != c) {
        ASSIGN_OR_RETURN(const Article* root, earlier(entries_[other.root].id));
        if (root != nullptr && !FiguresAgree(*figures, *root)) continue;
      }
      if (!best || similarity > best->similarity) {
        best = CopyMatch{entries_[other.root].id, similarity};
        best_root = other.root;
      }
    }
    for (const uint64_t key : keys) {
      auto [it, inserted] = band_last_.try_emplace(key, kNoSlot);
      slot_entry_.push_back(self);
      slot_before_.push_back(it->second);
      it->second = static_cast<uint32_t>(slot_entry_.size() - 1);
    }
  }
  if (best) entry.root = best_root;
  entries_.push_back(std::move(entry));
  return best;
}

}  // namespace newsdesk::query
