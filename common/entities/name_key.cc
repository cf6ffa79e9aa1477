#include "common/entities/name_key.h"

#include "common/entities/code_points.h"

namespace newsdesk::entities {
namespace {

bool IsAsciiVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Applies the romanisation rules of NameKey to the word that starts at
// out[start].
void CollapseVariants(size_t start, std::string* out) {
  const size_t len = out->size() - start;
  if (len < 4) return;
  const absl::string_view word = absl::string_view(*out).substr(start);
  const absl::string_view tail = word.substr(len - 2);
  if (len >= 5 &&
      (tail == "yy" || tail == "iy" || tail == "ii" || tail == "ij" || tail == "yi")) {
    out->resize(out->size() - 2);
    out->push_back('y');
  } else if (tail == "ey") {
    out->back() = 'i';
  } else if (tail == "iv" && !IsAsciiVowel(word[len - 3])) {
    (*out)[out->size() - 2] = 'o';
  }
}

// The shared pass of FoldName and NameKey.
void AppendFolded(absl::string_view name, bool collapse_variants, std::string* out) {
  const size_t begin = out->size();
  size_t word_start = std::string::npos;  // start of the word being written
  bool separator = false;                 // a space is due before the next word
  auto end_word = [&]() {
    if (word_start == std::string::npos) return;
    if (collapse_variants) CollapseVariants(word_start, out);
    word_start = std::string::npos;
    separator = true;
  };
  auto start_word = [&]() {
    if (word_start != std::string::npos) return;
    if (separator && out->size() > begin) out->push_back(' ');
    separator = false;
    word_start = out->size();
  };

  size_t pos = 0;
  while (pos < name.size()) {
    const size_t char_start = pos;
    const char32_t c = DecodeUtf8(name, &pos);
    if (const absl::string_view folded = FoldLatin(c); !folded.empty()) {
      start_word();
      out->append(folded.data(), folded.size());
    } else if (IsApostrophe(c)) {
      // A possessive "'s" ends the word; any other apostrophe vanishes.
      if (pos < name.size() && (name[pos] == 's' || name[pos] == 'S')) {
        size_t after = pos + 1;
        if (after == name.size() || !IsWordChar(DecodeUtf8(name, &after))) {
          ++pos;
        }
      }
    } else if (c == '.' || IsCombiningMark(c)) {
      // Removed without ending the word: "U.S." -> "us", "e\u0301" -> "e".
    } else if (c == '&') {
      end_word();
      start_word();
      out->append("and");
      end_word();
    } else if (IsWordChar(c)) {
      start_word();
      out->append(name.data() + char_start, pos - char_start);
    } else {
      end_word();
    }
  }
  end_word();
}

}  // namespace

std::string FoldName(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  AppendFolded(name, /*collapse_variants=*/false, &out);
  return out;
}

void AppendNameKey(absl::string_view name, std::string* out) {
  AppendFolded(name, /*collapse_variants=*/true, out);
}

std::string NameKey(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  AppendNameKey(name, &out);
  return out;
}

}  // namespace newsdesk::entities
