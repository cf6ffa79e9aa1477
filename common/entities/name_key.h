// Matching keys for names. Two spellings of a name that a reader would take
// for the same name get the same key: "Zelenskyy's", "ZELENSKIY" and
// "Zelensky" all become "zelensky"; "U.S." and "US" become "us". Spellings
// that differ by more than transliteration habit keep different keys ("Kiev"
// and "Kyiv"); the entity lexicon joins those through aliases.
//
// A key is built in one pass over the bytes, with no allocation beyond the
// output: it runs on every candidate name of every article.
#ifndef COMMON_ENTITIES_NAME_KEY_H_
#define COMMON_ENTITIES_NAME_KEY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::entities {

// The spelling of `name` with case, diacritics and punctuation removed:
//  - letters lower-cased; Latin letters with diacritics folded to ASCII
//    ("ğ" -> "g", "ß" -> "ss", "Ł" -> "l"); other scripts kept as written;
//  - a possessive "'s" (or trailing "'") dropped; other apostrophes and dots
//    removed ("O'Brien" -> "obrien", "U.S." -> "us");
//  - "&" spelled "and";
//  - every run of spaces, hyphens and other punctuation made one space, with
//    none at either end ("Rolls-Royce" -> "rolls royce").
std::string FoldName(absl::string_view name);

// FoldName plus rules that merge the common romanisations of one name. At
// the end of each word of five letters or more, "yy", "iy", "ii", "ij" and
// "yi" become "y" (Zelenskyy, Zelenskiy, Zelenskii -> zelensky); at the end
// of a word of four letters or more, "ey" becomes "ei" (Sergey -> sergei)
// and "iv" after a consonant becomes "ov" (Kharkiv -> kharkov, Lviv -> lvov).
std::string NameKey(absl::string_view name);

// Appends NameKey(name) to *out.
void AppendNameKey(absl::string_view name, std::string* out);

}  // namespace newsdesk::entities

#endif  // COMMON_ENTITIES_NAME_KEY_H_
