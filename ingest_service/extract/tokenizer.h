// Splits article text into words for the entity extractor and the topic
// classifier. UTF-8 aware (word characters as common/entities/code_points.h
// defines them), and aware of what English news prose does around names:
// abbreviations keep their dot ("Mr.", "U.S."), possessives are split off
// ("Kyiv’s"), hyphenated compounds are separate words marked as joined
// ("Russia-controlled"), and sentence starts are marked.
#ifndef INGEST_SERVICE_EXTRACT_TOKENIZER_H_
#define INGEST_SERVICE_EXTRACT_TOKENIZER_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

enum TokenFlag : uint16_t {
  kCapitalised = 1 << 0,    // starts with an upper-case letter
  kAllCapitals = 1 << 1,    // has capitals and no lower-case letter: "NATO"
  kNumeric = 1 << 2,        // starts with a digit: "80th", "2023"
  kSentenceStart = 1 << 3,  // first word of the text, a line, a sentence or an item
  kPossessive = 1 << 4,     // followed by "'s", or ends in s and a bare apostrophe
  kHyphenAfter = 1 << 5,    // joined to the next word by a hyphen
  kBreakAfter = 1 << 6,     // punctuation or a line end follows
  kCommaAfter = 1 << 7,     // ... and that punctuation starts with a comma
};

struct Token {
  // The word as written: a view into the tokenized text, which must outlive
  // the token. Excludes a possessive "'s"; includes the dot of "Mr." and
  // "U.S.".
  absl::string_view text;
  uint16_t flags = 0;

  bool Has(uint16_t flag) const { return (flags & flag) != 0; }
  // No punctuation and no possessive between this word and the next.
  bool JoinsNext() const { return (flags & (kBreakAfter | kPossessive)) == 0; }
};

// Appends the words of `text` to *tokens, which it does not clear. The last
// word gets kBreakAfter, so words of separately tokenized texts never join.
void Tokenize(absl::string_view text, std::vector<Token>* tokens);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_TOKENIZER_H_
