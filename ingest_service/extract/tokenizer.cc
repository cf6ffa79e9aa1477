#include "ingest_service/extract/tokenizer.h"

#include "absl/strings/ascii.h"
#include "common/entities/code_points.h"

namespace newsdesk::ingest {
namespace {

using ::newsdesk::entities::DecodeUtf8;
using ::newsdesk::entities::IsAllCapitals;
using ::newsdesk::entities::IsApostrophe;
using ::newsdesk::entities::IsDash;
using ::newsdesk::entities::IsUpperCase;
using ::newsdesk::entities::IsWordChar;

// Words whose following dot marks an abbreviation, not a sentence end.
bool IsAbbreviation(absl::string_view word) {
  static constexpr absl::string_view kAbbreviations[] = {
      "mr",   "mrs", "ms",  "dr",   "prof", "st",   "jr",  "sr",   "gen", "lt",  "col",
      "capt", "sgt", "maj", "adm",  "cmdr", "gov",  "sen", "rep",  "rev", "hon", "mt",
      "ft",   "inc", "ltd", "corp", "co",   "bros", "vs",  "dept", "jan", "feb", "mar",
      "apr",  "jun", "jul", "aug",  "sep",  "sept", "oct", "nov",  "dec"};
  if (word.size() > 4) return false;
  char lower[4];
  for (size_t i = 0; i < word.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(word[i]));
  }
  const absl::string_view key(lower, word.size());
  for (absl::string_view abbreviation : kAbbreviations) {
    if (key == abbreviation) return true;
  }
  return false;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); }

// The code point at `pos`, or 0 at the end.
char32_t PeekAt(absl::string_view text, size_t pos) {
  return pos < text.size() ? DecodeUtf8(text, &pos) : 0;
}

bool EndsSentence(char32_t c) {
  return c == '.' || c == '!' || c == '?' || c == ':' || c == 0x2022 /* • */ ||
         c == '*' || c == '|';
}

}  // namespace

void Tokenize(absl::string_view text, std::vector<Token>* tokens) {
  const size_t first_token = tokens->size();
  bool sentence_start = true;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8(text, &pos);
    if (!IsWordChar(c)) {
      if (c == ' ' || c == '\t' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
          c == 0x202F || c == 0x3000) {
        continue;
      }
      if (tokens->size() > first_token) {
        Token& last = tokens->back();
        if (!last.Has(kBreakAfter) && c == ',') last.flags |= kCommaAfter;
        last.flags |= kBreakAfter;
      }
      if (c == '\n' || c == '\r' || EndsSentence(c)) sentence_start = true;
      continue;
    }

    // A word: word characters, plus apostrophes inside it ("O'Brien"), the
    // dots of dotted acronyms ("U.S.") and the separators of numbers ("1.5").
    Token token;
    size_t end = pos;
    size_t segment_start = start;  // start of the part after the last dot
    bool dotted = false;
    while (end < text.size()) {
      size_t next = end;
      const char32_t d = DecodeUtf8(text, &next);
      if (IsWordChar(d)) {
        end = next;
        continue;
      }
      if (IsApostrophe(d)) {
        size_t after = next;
        const char32_t e = PeekAt(text, after);
        if (e == 's' || e == 'S') {
          ++after;
          if (!IsWordChar(PeekAt(text, after))) {  // possessive 's
            token.flags |= kPossessive;
            pos = after;
            break;
          }
        }
        if (IsWordChar(e)) {  // an apostrophe inside the word
          end = next;
          continue;
        }
        if (text[end - 1] == 's' || text[end - 1] == 'S') {  // Reuters'
          token.flags |= kPossessive;
          pos = next;
        }
        break;
      }
      if (d == '.') {
        const bool single_letter =
            end - segment_start == 1 && IsAsciiAlpha(text[segment_start]);
        if (single_letter && next + 1 < text.size() && IsAsciiAlpha(text[next]) &&
            text[next + 1] == '.') {  // U.S -> continue with the S
          dotted = true;
          segment_start = next;
          end = next + 1;
          continue;
        }
        if (IsAsciiDigit(text[end - 1]) && IsAsciiDigit(PeekAt(text, next))) {
          end = next;  // 1.5
          continue;
        }
        const absl::string_view word = text.substr(start, end - start);
        // An initial before a capitalised word: "C. Lewis", "George W. Bush".
        const bool initial = single_letter && !dotted && IsUpperCase(c) &&
                             next + 1 < text.size() && text[next] == ' ' &&
                             IsUpperCase(PeekAt(text, next + 1));
        if ((dotted && single_letter) || initial || IsAbbreviation(word)) {
          end = next;  // keep the dot: "U.S.", "Mr.", "C."
        }
        break;
      }
      if (d == ',' && IsAsciiDigit(text[end - 1]) && IsAsciiDigit(PeekAt(text, next))) {
        end = next;  // 2,000
        continue;
      }
      if (IsDash(d) && IsWordChar(PeekAt(text, next))) {
        token.flags |= kHyphenAfter;
        pos = next;
        break;
      }
      break;
    }
    if (!token.Has(kPossessive) && !token.Has(kHyphenAfter)) pos = end;
    token.text = text.substr(start, end - start);
    if (IsUpperCase(c)) token.flags |= kCapitalised;
    if (c >= '0' && c <= '9') token.flags |= kNumeric;
    if (IsAllCapitals(token.text)) token.flags |= kAllCapitals;
    if (sentence_start) token.flags |= kSentenceStart;
    sentence_start = false;
    tokens->push_back(token);
  }
  if (tokens->size() > first_token) tokens->back().flags |= kBreakAfter;
}

}  // namespace newsdesk::ingest
