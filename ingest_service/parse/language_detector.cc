#include "ingest_service/parse/language_detector.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"

namespace newsdesk::ingest {
namespace {

// The languages told apart by function words, Latin script first.
enum Language {
  kEnglish,
  kFrench,
  kGerman,
  kSpanish,
  kItalian,
  kPortuguese,
  kDutch,
  kPolish,
  kSwedish,
  kTurkish,
  kIndonesian,
  kRussian,
  kUkrainian,
  kLanguageCount
};
static_assert(kLanguageCount == 13, "LanguageDetector::kLanguages");
constexpr int kFirstLatin = kEnglish;
constexpr int kLastLatin = kIndonesian;
constexpr int kFirstCyrillic = kRussian;
constexpr int kLastCyrillic = kUkrainian;

constexpr const char* kTags[kLanguageCount] = {"en", "fr", "de", "es", "it", "pt", "nl",
                                               "pl", "sv", "tr", "id", "ru", "uk"};

// The most frequent function words of each language (articles,
// prepositions, conjunctions, pronouns, auxiliaries), lower case, NFC. A
// word several languages share counts for each of them in part.
constexpr const char* kFunctionWords[kLanguageCount] = {
    // English
    "the of and to a in is that for it was on with as he she by at from his her they "
    "have has had are were be been this which but not or an said would will their its "
    "who after about than there also",
    // French
    "le la les de des du et est un une dans pour que qui pas sur au aux avec ce cette "
    "il elle ils sont par plus ne se son sa ses mais ont été à où leur nous vous comme "
    "l d qu y en a",
    // German
    "der die das und ist nicht ein eine einen dem den des mit von zu auf für sich auch "
    "im es sie er wir sind wurde werden hat haben nach bei aus noch wie über aber oder "
    "dass durch einer vor zum zur in",
    // Spanish
    "el la los las de del y en que es un una por con para no se su sus al lo como más "
    "pero fue ha han este esta sobre también entre cuando muy sin hasta desde ya o le",
    // Italian
    "il lo la gli le di del della dei delle e è un una che non per con su sono nel "
    "nella al alla da dal anche come più ma si ha hanno questo questa stato essere tra "
    "fra se in l dell",
    // Portuguese
    "o a os as de do da dos das e é um uma que não em no na nos nas para com por se "
    "mais mas como foi ao à pelo pela seu sua são também ele ela já entre isso está",
    // Dutch
    "de het een en van is dat die niet in op te voor met zijn er maar ook als aan bij "
    "om door naar dan nog heeft hebben werd wordt uit over ze hij wij dit deze kan tot "
    "geen",
    // Polish
    "i w z na nie się to że do jest o jak po od za ale co tak przez dla jego jej są "
    "był była było już tylko także oraz ten ta tego może przy gdy który która które czy",
    // Swedish
    "och i att det som en på är av för med till den har de inte om ett var jag han "
    "hon men från kan vi så sig efter vid eller när också skulle detta under sina hade "
    "ska",
    // Turkish
    "ve bir bu da de için ile olarak çok daha ne o gibi en ama kadar sonra olan her "
    "değil var yok ise ya veya şu ki mi diye göre tarafından oldu olduğu ancak ayrıca "
    "bunu onun",
    // Indonesian
    "yang dan di ke dari ini itu dengan untuk tidak dalam akan pada juga adalah oleh "
    "ada sebagai karena bisa telah sudah atau saat kata mereka kami kita tersebut lebih "
    "namun hanya seperti bahwa masih belum",
    // Russian
    "и в не на что с по это как он она они а но из к у за о от для же так было был "
    "была были его её ее который которые также только еще ещё уже при если бы чтобы "
    "или мы вы",
    // Ukrainian
    "і й в у не на що з до це як він вона вони а але за про від для та так було був "
    "була були його її який які також тільки ще вже при якщо би щоб або ми ви із зі",
};

// Letters that only some of the languages use, with the languages.
struct TellingLetter {
  char32_t letter;
  uint16_t languages;
};
constexpr uint16_t Bit(Language language) { return uint16_t{1} << language; }
constexpr TellingLetter kTellingLetters[] = {
    {U'ñ', Bit(kSpanish)},
    {U'ß', Bit(kGerman)},
    {U'ä', Bit(kGerman) | Bit(kSwedish)},
    {U'ö', Bit(kGerman) | Bit(kSwedish) | Bit(kTurkish)},
    {U'ü', Bit(kGerman) | Bit(kTurkish)},
    {U'ã', Bit(kPortuguese)},
    {U'õ', Bit(kPortuguese)},
    {U'ç', Bit(kFrench) | Bit(kPortuguese) | Bit(kTurkish)},
    {U'ł', Bit(kPolish)},
    {U'ą', Bit(kPolish)},
    {U'ę', Bit(kPolish)},
    {U'ś', Bit(kPolish)},
    {U'ź', Bit(kPolish)},
    {U'ż', Bit(kPolish)},
    {U'ń', Bit(kPolish)},
    {U'ć', Bit(kPolish)},
    {U'å', Bit(kSwedish)},
    {U'ğ', Bit(kTurkish)},
    {U'ş', Bit(kTurkish)},
    {U'ı', Bit(kTurkish)},
    {U'è', Bit(kFrench) | Bit(kItalian)},
    {U'ê', Bit(kFrench) | Bit(kPortuguese)},
    {U'â', Bit(kFrench) | Bit(kPortuguese)},
    {U'î', Bit(kFrench)},
    {U'ô', Bit(kFrench) | Bit(kPortuguese)},
    {U'û', Bit(kFrench)},
    {U'ë', Bit(kFrench) | Bit(kDutch)},
    {U'œ', Bit(kFrench)},
    {U'ì', Bit(kItalian)},
    {U'ò', Bit(kItalian)},
    {U'і', Bit(kUkrainian)},
    {U'ї', Bit(kUkrainian)},
    {U'є', Bit(kUkrainian)},
    {U'ґ', Bit(kUkrainian)},
    {U'ы', Bit(kRussian)},
    {U'э', Bit(kRussian)},
    {U'ъ', Bit(kRussian)},
    {U'ё', Bit(kRussian)},
};
// What one telling letter weighs against one function word. Latin letters
// weigh less: names in an article bring letters of other languages along
// ("Erdoğan", "Müller").
constexpr double kLatinLetterWeight = 0.25;
constexpr double kCyrillicLetterWeight = 0.5;

// Words longer than this (in bytes) are no function words.
constexpr size_t kMaxWordBytes = 24;
// Fewer letters than this say nothing.
constexpr int kMinLetters = 20;
// The dominant script must hold at least this share of the letters.
constexpr double kMinScriptShare = 0.6;
// Function-word evidence below this says nothing; at kFullEvidence it is
// enough on its own.
constexpr double kMinScore = 3;
constexpr double kFullEvidence = 8;
// Letters of a script without function words that make a full judgement.
constexpr int kFullScriptLetters = 40;
// A detection below this confidence is reported as "und".
constexpr double kMinConfidence = 0.2;
// Detection stops reading when the best language has this much evidence
// and four times the next one's, or a script without function words has
// this many letters.
constexpr double kDecisiveScore = 12;
constexpr int kDecisiveLetters = 200;
// Devanagari is shared by Hindi, Marathi and Nepali; Hindi is the most
// likely, not a certainty.
constexpr double kDevanagariFactor = 0.8;

using WordTable = absl::flat_hash_map<absl::string_view, uint16_t>;

// A cheap fingerprint of a word (its first, second and last bytes and its
// length) that rules most words out before the table is looked up.
constexpr size_t kPrefilterBits = 1 << 14;
size_t PrefilterIndex(absl::string_view word) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(word[i]); };
  size_t h = byte(0);
  h = h * 31 + (word.size() > 1 ? byte(1) : 0);
  h = h * 31 + byte(word.size() - 1);
  h = h * 31 + word.size();
  return h % kPrefilterBits;
}

struct FunctionWordTable {
  WordTable words;
  std::bitset<kPrefilterBits> may_be_word;
};

const FunctionWordTable& FunctionWords() {
  static const FunctionWordTable* const table = [] {
    auto* table = new FunctionWordTable();
    for (int language = 0; language < kLanguageCount; ++language) {
      for (absl::string_view word :
           absl::StrSplit(kFunctionWords[language], ' ', absl::SkipEmpty())) {
        table->words[word] |= uint16_t{1} << language;
        table->may_be_word.set(PrefilterIndex(word));
      }
    }
    return table;
  }();
  return *table;
}

int PopCount(uint16_t bits) { return __builtin_popcount(bits); }

// The script of a letter, or -1 for a code point that is no letter.
int ScriptOf(char32_t c) {
  if (c < 0x80) {
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 0 : -1;
  }
  // The values follow LanguageDetector::Script.
  if (c >= 0xC0 && c <= 0x24F) return (c == 0xD7 || c == 0xF7) ? -1 : 0;
  if (c >= 0x1E00 && c <= 0x1EFF) return 0;
  if (c >= 0x400 && c <= 0x52F) return 1;
  if (c >= 0x370 && c <= 0x3FF) return 2;
  if ((c >= 0x620 && c <= 0x64A) || (c >= 0x66E && c <= 0x6D3) ||
      (c >= 0x6FA && c <= 0x6FF)) {
    return 3;
  }
  if (c >= 0x5D0 && c <= 0x5EA) return 4;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return 5;
  if (c >= 0x3041 && c <= 0x30FF) return 6;
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF)) return 7;
  if (c >= 0x900 && c <= 0x963) return 8;
  if ((c >= 0xE01 && c <= 0xE3A) || (c >= 0xE40 && c <= 0xE4E)) return 9;
  return u_isalpha(static_cast<UChar32>(c)) ? 10 : -1;
}

bool IsPersianLetter(char32_t c) {
  return c == U'پ' || c == U'چ' || c == U'ژ' || c == U'گ' || c == U'ک' || c == U'ی';
}

}  // namespace

void LanguageDetector::Add(absl::string_view utf8_text) {
  if (bytes_read_ >= kMaxSampleBytes) return;
  const size_t budget = kMaxSampleBytes - bytes_read_;
  if (utf8_text.size() > budget) utf8_text = utf8_text.substr(0, budget);
  bytes_read_ += utf8_text.size();
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8_text.data());
  const int32_t length = static_cast<int32_t>(utf8_text.size());
  char word[kMaxWordBytes];
  size_t word_size = 0;
  bool word_too_long = false;
  // Latin and Cyrillic words are looked up; others only counted.
  bool word_looked_up = true;
  auto end_word = [&] {
    if (word_size > 0 && !word_too_long && word_looked_up) {
      AddWord(absl::string_view(word, word_size));
    }
    word_size = 0;
    word_too_long = false;
    word_looked_up = true;
  };
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      end_word();
      continue;
    }
    const int script = ScriptOf(static_cast<char32_t>(c));
    if (script < 0) {
      end_word();
      continue;
    }
    ++letters_[script];
    if (script != kLatin && script != kCyrillic) {
      word_looked_up = false;
      if (script == kArabic && IsPersianLetter(static_cast<char32_t>(c))) ++persian_letters_;
      continue;
    }
    const char32_t lower =
        c < 0x80 ? static_cast<char32_t>(c | 0x20) : static_cast<char32_t>(u_tolower(c));
    if (lower >= 0x80) AddLetter(lower);
    if (word_too_long) continue;
    if (lower < 0x80) {
      if (word_size + 1 > kMaxWordBytes) {
        word_too_long = true;
      } else {
        word[word_size++] = static_cast<char>(lower);
      }
    } else {
      char encoded[4];
      int32_t n = 0;
      U8_APPEND_UNSAFE(encoded, n, static_cast<UChar32>(lower));
      if (word_size + n > kMaxWordBytes) {
        word_too_long = true;
      } else {
        std::copy(encoded, encoded + n, word + word_size);
        word_size += n;
      }
    }
  }
  end_word();
}

void LanguageDetector::AddWord(absl::string_view lowercase_word) {
  const FunctionWordTable& table = FunctionWords();
  if (!table.may_be_word.test(PrefilterIndex(lowercase_word))) return;
  const auto it = table.words.find(lowercase_word);
  if (it == table.words.end()) return;
  const double weight = 1.0 / PopCount(it->second);
  for (int language = 0; language < kLanguageCount; ++language) {
    if (it->second & (1u << language)) scores_[language] += weight;
  }
}

void LanguageDetector::AddLetter(char32_t lowercase_letter) {
  for (const TellingLetter& telling : kTellingLetters) {
    if (telling.letter != lowercase_letter) continue;
    const bool cyrillic = lowercase_letter >= 0x400 && lowercase_letter <= 0x52F;
    const double weight = (cyrillic ? kCyrillicLetterWeight : kLatinLetterWeight) /
                          PopCount(telling.languages);
    for (int language = 0; language < kLanguageCount; ++language) {
      if (telling.languages & (1u << language)) scores_[language] += weight;
    }
    return;
  }
}

bool LanguageDetector::WantsMore() const {
  if (bytes_read_ >= kMaxSampleBytes) return false;
  for (int script = kGreek; script < kOtherScript; ++script) {
    if (letters_[script] >= kDecisiveLetters) return false;
  }
  std::array<double, kLanguageCount> sorted = scores_;
  std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(),
                    std::greater<double>());
  return !(sorted[0] >= kDecisiveScore && sorted[1] * 4 <= sorted[0]);
}

DetectedLanguage LanguageDetector::Result() const {
  int total = 0;
  for (int count : letters_) total += count;
  if (total < kMinLetters) return {};
  // Han and Kana count together: Japanese writes both.
  std::array<int, kScriptCount> grouped = letters_;
  grouped[kHan] += grouped[kKana];
  grouped[kKana] = 0;
  const int dominant = static_cast<int>(
      std::max_element(grouped.begin(), grouped.end()) - grouped.begin());
  const double share = static_cast<double>(grouped[dominant]) / total;
  if (share < kMinScriptShare) return {};

  DetectedLanguage result;
  if (dominant == kLatin || dominant == kCyrillic) {
    const int first = dominant == kLatin ? kFirstLatin : kFirstCyrillic;
    const int last = dominant == kLatin ? kLastLatin : kLastCyrillic;
    int best = first;
    double second = 0;
    for (int language = first + 1; language <= last; ++language) {
      if (scores_[language] > scores_[best]) {
        second = scores_[best];
        best = language;
      } else {
        second = std::max(second, scores_[language]);
      }
    }
    const double score = scores_[best];
    if (score < kMinScore) return {};
    result.tag = kTags[best];
    result.confidence =
        share * (score - second) / score * std::min(1.0, score / kFullEvidence);
  } else {
    double factor = 1;
    switch (dominant) {
      case kGreek: result.tag = "el"; break;
      case kArabic:
        result.tag = persian_letters_ * 50 >= grouped[kArabic] ? "fa" : "ar";
        break;
      case kHebrew: result.tag = "he"; break;
      case kHan:
        result.tag = letters_[kKana] * 10 >= grouped[kHan] ? "ja" : "zh";
        break;
      case kHangul: result.tag = "ko"; break;
      case kDevanagari:
        result.tag = "hi";
        factor = kDevanagariFactor;
        break;
      case kThai: result.tag = "th"; break;
      default: return {};
    }
    result.confidence = factor * share *
                        std::min(1.0, static_cast<double>(grouped[dominant]) /
                                          kFullScriptLetters);
  }
  if (result.confidence < kMinConfidence) return {};
  return result;
}

DetectedLanguage DetectLanguage(absl::string_view utf8_text) {
  LanguageDetector detector;
  detector.Add(utf8_text);
  return detector.Result();
}

}  // namespace newsdesk::ingest
