// Detects the language an article is written in, without any model trained
// on a corpus: the Unicode script of its letters decides first (Greek,
// Hebrew, Arabic, Han, Kana, Hangul, Devanagari, Thai...), and within the
// Latin and Cyrillic scripts the most frequent function words of each
// language ("the", "und", "que"...), written by hand from general
// linguistic knowledge, decide between English, French, German, Spanish,
// Italian, Portuguese, Dutch, Polish, Swedish, Turkish and Indonesian, or
// between Russian and Ukrainian (helped by the letters only one of them has:
// і ї є ґ against ы э ъ ё).
//
// Text that is too short or too mixed to tell gives "und" (undetermined)
// rather than a guess.
#ifndef INGEST_SERVICE_PARSE_LANGUAGE_DETECTOR_H_
#define INGEST_SERVICE_PARSE_LANGUAGE_DETECTOR_H_

#include <array>
#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

// A detection: a BCP 47 primary language subtag ("en", "uk", "zh") or "und",
// and how sure the detector is, in [0, 1] (0 for "und").
struct DetectedLanguage {
  std::string tag = "und";
  double confidence = 0;
};

// Accumulates text, then says its language. Feed the parts of an article in
// reading order with Add(); it reads at most kMaxSampleBytes in all, and
// stops reading early once the evidence is overwhelming, so detection costs
// little whatever the article's length. Not thread-safe; cheap to construct.
class LanguageDetector {
 public:
  // The most text read, in bytes.
  static constexpr size_t kMaxSampleBytes = 4096;

  // Reads `utf8_text` (any bytes; invalid UTF-8 is skipped). A word never
  // spans two calls.
  void Add(absl::string_view utf8_text);

  // False once more text would not change the result.
  bool WantsMore() const;

  DetectedLanguage Result() const;

 private:
  // The scripts told apart.
  enum Script {
    kLatin,
    kCyrillic,
    kGreek,
    kArabic,
    kHebrew,
    kHan,
    kKana,
    kHangul,
    kDevanagari,
    kThai,
    kOtherScript,
    kScriptCount
  };

  void AddWord(absl::string_view lowercase_word);
  void AddLetter(char32_t lowercase_letter);

  size_t bytes_read_ = 0;
  std::array<int, kScriptCount> letters_{};
  int persian_letters_ = 0;  // پ چ ژ گ ک ی: Persian rather than Arabic
  // Function-word (and telling letter) evidence per language, in the order
  // of the detector's language table.
  static constexpr int kLanguages = 13;
  std::array<double, kLanguages> scores_{};
};

// The language of `utf8_text` alone.
DetectedLanguage DetectLanguage(absl::string_view utf8_text);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_LANGUAGE_DETECTOR_H_
