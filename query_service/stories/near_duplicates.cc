#include "query_service/stories/near_duplicates.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "common/status/status_macros.h"
#include "glog/logging.h"
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
    : options_(options),
      hashes_(static_cast<size_t>(std::max(options_.bands, 1) * std::max(options_.rows, 1))),
      prints_(options_.print_cache_bytes) {
  for (size_t i = 0; i < hashes_; ++i) seeds_.push_back(Mix(0x5eed0000ULL + i));
}

CopyPrint NearDuplicateDetector::Print(const Article& article, bool shingles, bool figures) const {
  constexpr uint64_t kMasked = 0x6e756d626572ULL;  // a figure among the context words
  CopyPrint out;
  const size_t n = static_cast<size_t>(std::max(options_.shingle_words, 1));
  std::vector<uint64_t> words;
  std::vector<bool> figure;
  // The standfirst is body text too: parsers and outlets differ on whether
  // a short first paragraph is one.
  std::vector<const std::string*> texts = {&article.standfirst};
  for (const std::string& paragraph : article.paragraphs) texts.push_back(&paragraph);
  for (const std::string* paragraph : texts) {
    words.clear();
    figure.clear();
    ArticleIndex::ForEachWord(*paragraph, [&](absl::string_view word, size_t) {
      words.push_back(WordHash(word));
      figure.push_back(std::any_of(word.begin(), word.end(), absl::ascii_isdigit));
    });
    if (words.empty()) continue;
    if (shingles) {
      const size_t count = words.size() < n ? 1 : words.size() - n + 1;
      for (size_t i = 0; i < count; ++i) {
        uint64_t h = 0;
        for (size_t j = i; j < std::min(i + n, words.size()); ++j) h = Mix(h ^ words[j]);
        out.shingles.push_back(h);
      }
    }
    for (size_t i = 0; figures && i < words.size(); ++i) {
      if (!figure[i]) continue;
      uint64_t context = 0;
      for (size_t j = i < 2 ? 0 : i - 2; j <= i + 2 && j < words.size(); ++j) {
        if (j == i) {
          context = Mix(context ^ 0x5e1fULL);
          continue;
        }
        context = Mix(context ^ (figure[j] ? kMasked : words[j]));
      }
      out.figures.emplace_back(context, words[i]);
    }
  }
  std::sort(out.shingles.begin(), out.shingles.end());
  out.shingles.erase(std::unique(out.shingles.begin(), out.shingles.end()), out.shingles.end());
  std::sort(out.figures.begin(), out.figures.end());
  out.figures.erase(std::unique(out.figures.begin(), out.figures.end()), out.figures.end());
  return out;
}

std::vector<uint64_t> NearDuplicateDetector::Shingles(const Article& article) const {
  return Print(article, /*shingles=*/true, /*figures=*/false).shingles;
}

std::vector<NearDuplicateDetector::Figure> NearDuplicateDetector::Figures(
    const Article& article) const {
  return Print(article, /*shingles=*/false, /*figures=*/true).figures;
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

bool NearDuplicateDetector::FiguresAgree(const std::vector<Figure>& a,
                                         const std::vector<Figure>& b) const {
  const FigureComparison compared = CompareFigures(a, b);
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

std::vector<uint16_t> NearDuplicateDetector::Signature(
    const std::vector<uint64_t>& shingles) const {
  std::vector<uint32_t> full(hashes_, std::numeric_limits<uint32_t>::max());
  for (const uint64_t s : shingles) {
    for (size_t k = 0; k < hashes_; ++k) {
      full[k] = std::min(full[k], static_cast<uint32_t>(Mix(s ^ seeds_[k])));
    }
  }
  return std::vector<uint16_t>(full.begin(), full.end());  // the low 16 bits
}

size_t NearDuplicateDetector::BandStart(int band, const uint16_t* rows, size_t cells) const {
  uint64_t h = Mix(static_cast<uint64_t>(band));
  for (int r = 0; r < options_.rows; ++r) h = Mix(h ^ rows[r]);
  return static_cast<size_t>(h % cells);  // any table size, not only powers of two
}

void NearDuplicateDetector::Insert(uint32_t slot) {
  const uint32_t bands = static_cast<uint32_t>(options_.bands);
  const int band = static_cast<int>(slot % bands);
  size_t at = BandStart(band, SignatureOf(slot / bands) + band * options_.rows, table_.size());
  while (table_[at] != kEmpty) at = Next(at);
  table_[at] = slot;
  ++table_used_;
}

absl::StatusOr<std::optional<CopyMatch>> NearDuplicateDetector::Add(const Article& article,
                                                                    const ReadEarlier& earlier) {
  // The article's print; its figures from the same pass over its words when
  // the print will be cached, else only once a candidate needs them.
  const bool keep_print = options_.print_cache_bytes > 0;
  CopyPrint own = Print(article, /*shingles=*/true, /*figures=*/keep_print);
  bool has_figures = keep_print;
  const std::vector<uint64_t>& shingles = own.shingles;
  const uint32_t self = static_cast<uint32_t>(entries_.size());
  Entry entry;
  entry.root = self;
  entry.shingles = static_cast<uint32_t>(shingles.size());
  const bool sign = static_cast<int>(shingles.size()) >= options_.min_shingles;
  const int bands = options_.bands;
  const int rows = options_.rows;
  std::optional<CopyMatch> best;
  std::vector<uint16_t> signature;
  // The prints of the candidates read for this article (cached once it is
  // added): a candidate's, and its root's when it is a copy.
  std::vector<std::pair<uint32_t, std::unique_ptr<CopyPrint>>> read;
  auto print_of = [&](uint32_t n) -> absl::StatusOr<const CopyPrint*> {
    if (const CopyPrint* held = prints_.Get(n)) return held;
    for (const auto& [m, print] : read) {
      if (m == n) return print.get();
    }
    ++reads_;
    ASSIGN_OR_RETURN(const Article* text, earlier(n));
    if (text == nullptr) return nullptr;
    read.emplace_back(
        n, std::make_unique<CopyPrint>(Print(*text, /*shingles=*/true, /*figures=*/true)));
    return read.back().second.get();
  };
  if (sign) {
    if ((signed_.size() + 1) * static_cast<size_t>(bands) > kEmpty) {
      return absl::ResourceExhaustedError(
          "the near-copy detector holds as many articles as its band table can number");
    }
    signature = Signature(shingles);
    // Candidates (signed articles) once per band they agree on, in the
    // order they were added.
    std::vector<uint32_t> candidates;
    std::vector<int> agreeing(static_cast<size_t>(bands), 0);  // per band
    if (!table_.empty()) {
      for (int b = 0; b < bands; ++b) {
        const uint16_t* mine = &signature[static_cast<size_t>(b) * rows];
        for (size_t at = BandStart(b, mine, table_.size()); table_[at] != kEmpty; at = Next(at)) {
          const uint32_t slot = table_[at];
          if (static_cast<int>(slot % bands) != b) continue;
          const uint32_t s = slot / bands;
          if (std::equal(mine, mine + rows, SignatureOf(s) + b * rows)) {
            candidates.push_back(s);
            ++agreeing[static_cast<size_t>(b)];
          }
        }
      }
    }
    // Each once, with the number of bands it agrees on; when there are many
    // (text full of common phrases), those agreeing on the most bands.
    std::sort(candidates.begin(), candidates.end());
    std::vector<std::pair<int, uint32_t>> by_bands;  // (-bands, signed article)
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
    // The candidates whose estimate comes near the threshold, best first,
    // one per original: only a few are confirmed exactly.
    const double slack = 0.15;                        // the estimate's error at this signature size
    std::vector<std::pair<double, uint32_t>> likely;  // (-estimate, article)
    for (const auto& [negative_bands, s] : by_bands) {
      const uint32_t c = signed_[s];
      const Entry& other = entries_[c];
      const double small = std::min(entry.shingles, other.shingles);
      const double large = std::max(entry.shingles, other.shingles);
      if (small < options_.min_size_ratio * large) continue;
      const uint16_t* theirs = SignatureOf(s);
      int agree = 0;
      for (size_t k = 0; k < hashes_; ++k) agree += signature[k] == theirs[k];
      const double jaccard = static_cast<double>(agree) / static_cast<double>(hashes_);
      const double estimate = jaccard * (small + large) / (1 + jaccard) / small;
      if (estimate >= options_.min_similarity - slack) likely.emplace_back(-estimate, c);
    }
    std::sort(likely.begin(), likely.end());
    std::vector<uint32_t> tried;  // originals confirmed or refuted
    for (const auto& [negative_estimate, c] : likely) {
      const Entry& other = entries_[c];
      if (static_cast<int>(tried.size()) >= options_.max_confirmations) break;
      if (std::find(tried.begin(), tried.end(), other.root) != tried.end()) continue;
      tried.push_back(other.root);
      ASSIGN_OR_RETURN(const CopyPrint* print, print_of(c));
      if (print == nullptr) continue;
      const double similarity = Containment(shingles, print->shingles);
      if (similarity < options_.min_similarity) continue;
      // The same text with other figures is another report. A copy of a
      // copy is linked to the first article, so its figures must agree
      // with that one's too.
      if (!has_figures) {
        own.figures = Figures(article);
        has_figures = true;
      }
      if (!FiguresAgree(own.figures, print->figures)) continue;
      if (other.root != c) {
        ASSIGN_OR_RETURN(const CopyPrint* root, print_of(other.root));
        if (root != nullptr && !FiguresAgree(own.figures, root->figures)) continue;
      }
      if (!best || similarity > best->similarity) best = CopyMatch{other.root, similarity};
    }

    // Remembered: its signature and its bands, the table grown by half
    // first when they would fill more than kMaxLoad of it. A probe passes
    // over other bands' slots by their number alone, without reading their
    // signatures, so a full table costs little. Two kinds of band are left
    // out, so that a lookup never reads the signatures of a crowd:
    // - a copy's band equal to its original's: a later article agreeing on
    //   it finds the original there, and the copy would only be confirmed
    //   for the same original (one per original, above); a story sent again
    //   and again (a wire story in every outlet) so keeps about one slot
    //   per band;
    // - a band already held by max_articles_per_band earlier articles (the
    //   common text of a template filled in again and again with other
    //   figures, which are no copies): a later article agreeing on it finds
    //   those, and its copies find it by the bands of its own text.
    const uint32_t s = static_cast<uint32_t>(signed_.size());
    signed_.push_back(self);
    if (signatures_.capacity() < signatures_.size() + hashes_) {
      signatures_.reserve(signatures_.size() + signatures_.size() / 4 + 16 * hashes_);
    }
    signatures_.insert(signatures_.end(), signature.begin(), signature.end());
    const uint16_t* original = nullptr;
    if (best) {
      // Originals are signed (only signed articles are candidates), and
      // signed_ is in the order added.
      const auto at = std::lower_bound(signed_.begin(), signed_.end(), best->original);
      CHECK(at != signed_.end() && *at == best->original) << "an original without a signature";
      original = SignatureOf(static_cast<uint32_t>(at - signed_.begin()));
    }
    std::vector<uint32_t> slots;
    slots.reserve(static_cast<size_t>(bands));
    for (int b = 0; b < bands; ++b) {
      const size_t row = static_cast<size_t>(b) * rows;
      if (original != nullptr &&
          std::equal(original + row, original + row + rows, signature.begin() + row)) {
        continue;
      }
      if (agreeing[static_cast<size_t>(b)] >= options_.max_articles_per_band) continue;
      slots.push_back(s * bands + b);
    }
    const size_t used = table_used_ + slots.size();
    if (static_cast<double>(used) > kMaxLoad * static_cast<double>(table_.size())) {
      size_t cells = std::max<size_t>(table_.size(), 1024);
      while (static_cast<double>(used) > kMaxLoad * static_cast<double>(cells)) {
        cells += cells / 2;
      }
      std::vector<uint32_t> old(cells, kEmpty);
      old.swap(table_);
      table_used_ = 0;
      for (const uint32_t slot : old) {
        if (slot != kEmpty) Insert(slot);
      }
    }
    for (const uint32_t slot : slots) Insert(slot);
  }
  if (best) entry.root = best->original;
  entries_.push_back(entry);
  for (auto& [n, print] : read) prints_.Put(n, std::move(*print));
  if (sign && keep_print) prints_.Put(self, std::move(own));
  return best;
}

}  // namespace newsdesk::query
