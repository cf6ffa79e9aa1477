#include "common/entities/code_points.h"

#include <cstdint>

namespace newsdesk::entities {
namespace {

// One character per code point from U+00C0 to U+017F: the ASCII letter it
// folds to, '_' for the two symbols in the range, and upper-case codes for
// the letters that fold to two ASCII letters (see kDigraphs).
constexpr absl::string_view kLatinFold =
    // U+00C0..U+00DF
    "aaaaaaAceeeeiiiidnooooo_ouuuuyTS"
    // U+00E0..U+00FF
    "aaaaaaAceeeeiiiidnooooo_ouuuuyTy"
    // U+0100..U+017F
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkkllllllllll"
    "nnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
constexpr char32_t kLatinFirst = 0xC0;
static_assert(kLatinFold.size() == 0x180 - kLatinFirst, "one entry per code point");

constexpr absl::string_view kAsciiLetters = "abcdefghijklmnopqrstuvwxyz";
constexpr absl::string_view kAsciiDigits = "0123456789";

absl::string_view Digraph(char code) {
  switch (code) {
    case 'A':
      return "ae";
    case 'O':
      return "oe";
    case 'J':
      return "ij";
    case 'T':
      return "th";
    case 'S':
      return "ss";
    default:
      return {};
  }
}

}  // namespace

char32_t DecodeUtf8(absl::string_view s, size_t* pos) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = *pos;
  const uint8_t b0 = p[i];
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  int len = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return 0xFFFD;
  }
  if (i + len > n) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const uint8_t b = p[i + k];
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    *pos = i + 1;
    return 0xFFFD;
  }
  *pos = i + len;
  return c;
}

absl::string_view FoldLatin(char32_t c) {
  if (c < 0x80) {
    if (c >= 'a' && c <= 'z') return kAsciiLetters.substr(c - 'a', 1);
    if (c >= 'A' && c <= 'Z') return kAsciiLetters.substr(c - 'A', 1);
    if (c >= '0' && c <= '9') return kAsciiDigits.substr(c - '0', 1);
    return {};
  }
  char code = 0;
  if (c >= kLatinFirst && c < 0x180) {
    code = kLatinFold[c - kLatinFirst];
  } else if (c >= 0x218 && c <= 0x21B) {  // Ș ș Ț ț
    code = c < 0x21A ? 's' : 't';
  }
  if (code >= 'a' && code <= 'z') return kAsciiLetters.substr(code - 'a', 1);
  return Digraph(code);
}

bool IsUpperCase(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c < 0xC0) return false;
  if (c <= 0xDE) return c != 0xD7;
  if (c < 0x100) return false;
  // Latin Extended-A alternates upper and lower case, with the parity
  // switching twice around the letters that have no case partner.
  if (c <= 0x137) return c % 2 == 0;  // includes İ (U+0130) / ı (U+0131)
  if (c <= 0x148) return c != 0x138 && c % 2 == 1;
  if (c <= 0x177) return c != 0x149 && c % 2 == 0;
  if (c <= 0x17E) return c == 0x178 || c % 2 == 1;
  if (c == 0x218 || c == 0x21A) return true;
  if (c >= 0x391 && c <= 0x3A9) return c != 0x3A2;  // Greek
  return c >= 0x400 && c <= 0x42F;                  // Cyrillic
}

bool IsApostrophe(char32_t c) {
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x2BC || c == '`' || c == 0xB4;
}

bool IsDash(char32_t c) {
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

bool IsWordChar(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  if (c < 0xC0) return false;                    // Latin-1 punctuation and symbols
  if (c == 0xD7 || c == 0xF7) return false;      // × ÷
  if (c < 0x2000) return !IsApostrophe(c);       // Latin, Greek, Cyrillic, ... scripts
  if (c < 0x2C00) return false;                  // punctuation, symbols, arrows
  if (c < 0x2E00) return true;                   // Glagolitic, Latin Extended-C, ...
  if (c < 0x2E80) return false;                  // supplemental punctuation
  if (c >= 0x3000 && c < 0x3040) return false;   // CJK punctuation
  if (c >= 0xFE30 && c < 0xFE70) return false;   // CJK compatibility forms
  if (c >= 0xFF00 && c < 0xFF10) return false;   // full-width punctuation
  if (c >= 0xFFF0 && c <= 0xFFFF) return false;  // specials, U+FFFD
  return c < 0x1F000 || c >= 0x20000;            // not emoji or flags
}

bool IsAllCapitals(absl::string_view word) {
  bool upper = false;
  for (size_t pos = 0; pos < word.size();) {
    const char32_t c = DecodeUtf8(word, &pos);
    if (IsUpperCase(c)) {
      upper = true;
    } else if (!FoldLatin(c).empty() && !(c >= '0' && c <= '9')) {
      return false;  // a lower-case Latin letter
    }
  }
  return upper;
}

}  // namespace newsdesk::entities
