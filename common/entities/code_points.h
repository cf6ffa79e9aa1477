// What name matching needs to know about single Unicode code points: UTF-8
// decoding, which code points belong to words, which are upper case, and the
// ASCII spelling of the Latin letters of the Latin-1 Supplement and Latin
// Extended-A blocks (plus the Romanian comma-below letters). NameKey and the
// article tokenizer both build on these, so they agree on what a word is.
#ifndef COMMON_ENTITIES_CODE_POINTS_H_
#define COMMON_ENTITIES_CODE_POINTS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace newsdesk::entities {

// Decodes the code point that starts at s[*pos] and advances *pos past it.
// A malformed or truncated sequence decodes as U+FFFD and advances one byte.
// Requires *pos < s.size().
char32_t DecodeUtf8(absl::string_view s, size_t* pos);

// The lower-case ASCII spelling of a Latin letter or digit: "a" for 'A' and
// for 'á', "ss" for 'ß', "ae" for 'Æ', "7" for '7'. Empty for anything else,
// including letters of other scripts.
absl::string_view FoldLatin(char32_t c);

// True for the upper-case letters of ASCII, Latin-1, Latin Extended-A, Greek
// and Cyrillic.
bool IsUpperCase(char32_t c);

// True for code points that make up words: letters, digits and combining
// marks of any script. False for spaces, punctuation, symbols and emoji.
bool IsWordChar(char32_t c);

// True for combining diacritical marks (U+0300..U+036F), which a name key
// drops so decomposed "e\u0301" matches "é".
inline bool IsCombiningMark(char32_t c) { return c >= 0x300 && c <= 0x36F; }

// ' ’ ‘ ʼ ` ´
bool IsApostrophe(char32_t c);

// Hyphens, dashes and the minus sign.
bool IsDash(char32_t c);

// True when `word` has at least one upper-case letter and no lower-case ASCII
// or Latin letter: "NATO", "U.S.", "80TH".
bool IsAllCapitals(absl::string_view word);

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_CODE_POINTS_H_
