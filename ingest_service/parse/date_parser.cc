#include "ingest_service/parse/date_parser.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ingest_service/parse/whitespace.h"

namespace newsdesk::ingest {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;
// The longest form, "Last updated on Wednesday, April 26, 2023 at 10:42 a.m.
// GMT+01:00", has 24 tokens; the rest is lookahead.
constexpr int kMaxTokens = 32;
constexpr int kMaxOffsetHours = 14;

// Left uninitialized until the tokenizer fills it in: a scanner holds
// kMaxTokens of them and usually reads only one or two.
struct Token {
  enum class Kind { kNumber, kWord, kPunct };
  Kind kind;
  size_t begin;
  size_t end;
  bool space_before;
  int value;  // a number's value; -1 when it has more than 9 digits
  absl::string_view text;

  size_t length() const { return end - begin; }
};

constexpr std::array<absl::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

constexpr std::array<absl::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

struct Zone {
  absl::string_view name;
  int offset_minutes;
};

// Unambiguous abbreviations only: CST (US or China) and IST (India, Ireland
// or Israel) are left out.
constexpr Zone kZones[] = {{"utc", 0},    {"gmt", 0},     {"wet", 0},     {"west", 60},
                           {"bst", 60},   {"cet", 60},    {"cest", 120},  {"eet", 120},
                           {"eest", 180}, {"msk", 180},   {"est", -300},  {"edt", -240},
                           {"cdt", -300}, {"mst", -420},  {"mdt", -360},  {"pst", -480},
                           {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600},
                           {"hkt", 480},  {"sgt", 480},   {"awst", 480},  {"jst", 540},
                           {"kst", 540},  {"acst", 570},  {"acdt", 630},  {"aest", 600},
                           {"aedt", 660}, {"nzst", 720},  {"nzdt", 780}};

// Index of the first byte of `s` at or after `i` that is not whitespace.
size_t SkipSpace(absl::string_view s, size_t i) {
  while (i < s.size()) {
    const size_t width = WhitespaceWidth(s, i);
    if (width == 0) break;
    i += width;
  }
  return i;
}

// What follows a date on its line, without the separators between them.
absl::string_view RestOfLine(absl::string_view tail) {
  size_t i = 0;
  while (true) {
    i = SkipSpace(tail, i);
    if (i < tail.size() &&
        absl::string_view(",;:|.-").find(tail[i]) != absl::string_view::npos) {
      ++i;
    } else if (absl::StartsWith(tail.substr(i), "\u2013") ||
               absl::StartsWith(tail.substr(i), "\u2014")) {
      i += 3;
    } else {
      return tail.substr(i);
    }
  }
}

// 1-12 when `word` names a month in full or abbreviated to three letters (or
// "Sept"); 0 otherwise.
int MonthNumber(absl::string_view word) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (absl::EqualsIgnoreCase(word, kMonths[i]) ||
        (word.size() == 3 && absl::StartsWithIgnoreCase(kMonths[i], word))) {
      return static_cast<int>(i) + 1;
    }
  }
  return absl::EqualsIgnoreCase(word, "sept") ? 9 : 0;
}

bool IsWeekday(absl::string_view word) {
  for (absl::string_view day : kWeekdays) {
    if (absl::EqualsIgnoreCase(word, day) ||
        (word.size() >= 3 && word.size() <= 5 && absl::StartsWithIgnoreCase(day, word))) {
      return true;
    }
  }
  return false;
}

const Zone* FindZone(absl::string_view word) {
  for (const Zone& zone : kZones) {
    if (absl::EqualsIgnoreCase(word, zone.name)) return &zone;
  }
  return nullptr;
}

// Reads one date expression from the start of a string. Tokens (digit runs,
// letter runs, single punctuation bytes) are produced on demand. A grammar
// rule returning bool either consumes its tokens and returns true or leaves
// the position as it was and returns false; Parse/Skip rules returning void
// consume an optional part when it is there.
class DateScanner {
 public:
  DateScanner(absl::string_view text, const DateOptions& options)
      : text_(text), options_(options) {}

  // Reads an expression; a bare year counts only if `allow_bare_year`.
  bool Scan(bool allow_bare_year);

  // Valid after a successful Scan().
  size_t end() const { return pos_ == 0 ? 0 : tokens_[pos_ - 1].end; }
  bool labeled() const { return labeled_; }
  bool update() const { return update_; }
  // True when no letter or digit follows the expression directly.
  bool AtWordBoundary();
  ArticleTime Result() const;

 private:
  const Token* Peek(int ahead = 0);
  bool ReadToken();

  bool AcceptWord(std::initializer_list<absl::string_view> words);
  bool AcceptPunct(char c, bool adjacent = false);
  const Token* NumberAt(int ahead, size_t min_digits, size_t max_digits,
                        bool adjacent = false);

  void ParseLabel();
  void SkipWeekday();
  bool ParseCalendarDate(bool allow_bare_year);
  bool ParseIsoDate();
  bool ParseMonthFirst();
  bool ParseDayFirst();
  bool ParseNumericDate();
  bool ParseYear(int* year);
  void SkipOrdinalSuffix();
  void ParseTrailingTime();
  bool ParseTime();
  bool ParseMeridiem(int* hour);
  void ParseZone();
  bool ParseOffset(int* seconds);
  bool IsValid() const;

  absl::string_view text_;
  DateOptions options_;
  size_t read_pos_ = 0;  // where the tokenizer continues
  std::array<Token, kMaxTokens> tokens_;
  int token_count_ = 0;
  int pos_ = 0;  // next token to consume

  int year_ = 0;
  int month_ = 1;
  int day_ = 1;
  int hour_ = 0;
  int minute_ = 0;
  int second_ = 0;
  bool has_time_ = false;
  int offset_seconds_ = 0;
  bool zone_known_ = false;
  bool labeled_ = false;
  bool update_ = false;
  TimePrecision precision_ = TimePrecision::kUnknown;
};

bool DateScanner::ReadToken() {
  if (token_count_ == kMaxTokens) return false;
  const size_t start = read_pos_;
  size_t i = SkipSpace(text_, start);
  if (i >= text_.size()) return false;
  const unsigned char c = static_cast<unsigned char>(text_[i]);
  if (c >= 0x80) return false;  // expressions are ASCII; anything else ends one
  Token& token = tokens_[token_count_];
  token.begin = i;
  token.space_before = i > start;
  if (absl::ascii_isdigit(c)) {
    token.kind = Token::Kind::kNumber;
    int64_t value = 0;
    while (i < text_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[i]))) {
      if (value >= 0) value = value * 10 + (text_[i] - '0');
      if (value > 999999999) value = -1;
      ++i;
    }
    token.value = static_cast<int>(value);
  } else if (absl::ascii_isalpha(c)) {
    token.kind = Token::Kind::kWord;
    token.value = -1;
    while (i < text_.size() &&
           absl::ascii_isalpha(static_cast<unsigned char>(text_[i]))) {
      ++i;
    }
  } else {
    token.kind = Token::Kind::kPunct;
    token.value = -1;
    ++i;
  }
  token.end = i;
  token.text = text_.substr(token.begin, i - token.begin);
  read_pos_ = i;
  ++token_count_;
  return true;
}

const Token* DateScanner::Peek(int ahead) {
  const int index = pos_ + ahead;
  while (token_count_ <= index) {
    if (!ReadToken()) return nullptr;
  }
  return &tokens_[index];
}

bool DateScanner::AcceptWord(std::initializer_list<absl::string_view> words) {
  const Token* token = Peek();
  if (token == nullptr || token->kind != Token::Kind::kWord) return false;
  for (absl::string_view word : words) {
    if (absl::EqualsIgnoreCase(token->text, word)) {
      ++pos_;
      return true;
    }
  }
  return false;
}

bool DateScanner::AcceptPunct(char c, bool adjacent) {
  const Token* token = Peek();
  if (token == nullptr || token->kind != Token::Kind::kPunct || token->text[0] != c ||
      (adjacent && token->space_before)) {
    return false;
  }
  ++pos_;
  return true;
}

const Token* DateScanner::NumberAt(int ahead, size_t min_digits, size_t max_digits,
                                   bool adjacent) {
  const Token* token = Peek(ahead);
  if (token == nullptr || token->kind != Token::Kind::kNumber ||
      token->length() < min_digits || token->length() > max_digits ||
      (adjacent && token->space_before)) {
    return nullptr;
  }
  return token;
}

bool DateScanner::Scan(bool allow_bare_year) {
  ParseLabel();
  SkipWeekday();
  if (ParseTime()) {
    // "10:42 AM GMT+1, February 14, 2024"
    AcceptPunct(',');
    AcceptWord({"on"});
    SkipWeekday();
    if (!ParseCalendarDate(/*allow_bare_year=*/false) ||
        precision_ != TimePrecision::kDay) {
      return false;
    }
  } else {
    if (!ParseCalendarDate(allow_bare_year)) return false;
    if (precision_ == TimePrecision::kDay && !has_time_) ParseTrailingTime();
  }
  if (has_time_) precision_ = TimePrecision::kMinute;
  return IsValid();
}

bool DateScanner::AtWordBoundary() {
  const Token* next = Peek();
  return next == nullptr || next->space_before || next->kind == Token::Kind::kPunct;
}

ArticleTime DateScanner::Result() const {
  ArticleTime result;
  const absl::CivilSecond civil(year_, month_, day_, hour_, minute_, second_);
  result.time =
      absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset_seconds_);
  result.precision = precision_;
  result.time_zone_known = zone_known_;
  return result;
}

// "date", "Date:", "Published", "Posted on", "Last updated:", "First published".
void DateScanner::ParseLabel() {
  const int start = pos_;
  AcceptWord({"first", "last"});
  const Token* word = Peek();
  if (!AcceptWord({"date", "dated", "published", "posted", "updated", "modified"})) {
    pos_ = start;
    return;
  }
  update_ = absl::EqualsIgnoreCase(word->text, "updated") ||
            absl::EqualsIgnoreCase(word->text, "modified");
  AcceptPunct(':');
  AcceptWord({"on", "at"});
  labeled_ = true;
}

void DateScanner::SkipWeekday() {
  const Token* token = Peek();
  if (token == nullptr || token->kind != Token::Kind::kWord || !IsWeekday(token->text)) {
    return;
  }
  ++pos_;
  AcceptPunct('.', /*adjacent=*/true);
  AcceptPunct(',');
}

bool DateScanner::ParseCalendarDate(bool allow_bare_year) {
  if (ParseIsoDate() || ParseMonthFirst() || ParseDayFirst() || ParseNumericDate()) {
    return true;
  }
  if (allow_bare_year && ParseYear(&year_)) {
    precision_ = TimePrecision::kYear;
    return true;
  }
  return false;
}

// "2023-04-26", "2023/4/26", "2023-04-26T14:32:00Z".
bool DateScanner::ParseIsoDate() {
  const Token* year = NumberAt(0, 4, 4);
  const Token* sep = Peek(1);
  if (year == nullptr || sep == nullptr || sep->space_before ||
      (sep->text != "-" && sep->text != "/")) {
    return false;
  }
  const Token* month = NumberAt(2, 1, 2, /*adjacent=*/true);
  const Token* sep2 = Peek(3);
  const Token* day = NumberAt(4, 1, 2, /*adjacent=*/true);
  if (month == nullptr || sep2 == nullptr || sep2->space_before ||
      sep2->text != sep->text || day == nullptr) {
    return false;
  }
  year_ = year->value;
  month_ = month->value;
  day_ = day->value;
  precision_ = TimePrecision::kDay;
  pos_ += 5;
  const Token* t = Peek();
  if (t != nullptr && t->kind == Token::Kind::kWord && !t->space_before &&
      absl::EqualsIgnoreCase(t->text, "t") && NumberAt(1, 1, 2, /*adjacent=*/true)) {
    ++pos_;
    if (!ParseTime()) --pos_;
  }
  return true;
}

// "March 17, 2023", "Mar. 17 2023", "February 2022", "February, 2022".
bool DateScanner::ParseMonthFirst() {
  const Token* word = Peek();
  if (word == nullptr || word->kind != Token::Kind::kWord) return false;
  const int month = MonthNumber(word->text);
  if (month == 0) return false;
  const int start = pos_;
  ++pos_;
  AcceptPunct('.', /*adjacent=*/true);
  int day = 1;
  TimePrecision precision = TimePrecision::kMonth;
  if (const Token* number = NumberAt(0, 1, 2)) {
    day = number->value;
    precision = TimePrecision::kDay;
    ++pos_;
    SkipOrdinalSuffix();
  }
  AcceptPunct(',');
  if (!ParseYear(&year_)) {
    pos_ = start;
    return false;
  }
  month_ = month;
  day_ = day;
  precision_ = precision;
  return true;
}

// "17 March 2023", "5 Jul 2023", "17th of March, 2023", "26-FEB-1987".
bool DateScanner::ParseDayFirst() {
  const Token* day = NumberAt(0, 1, 2);
  if (day == nullptr) return false;
  const int start = pos_;
  ++pos_;
  SkipOrdinalSuffix();
  AcceptWord({"of"});
  const bool hyphenated = AcceptPunct('-', /*adjacent=*/true);
  const Token* word = Peek();
  const int month =
      word != nullptr && word->kind == Token::Kind::kWord ? MonthNumber(word->text) : 0;
  if (month == 0) {
    pos_ = start;
    return false;
  }
  ++pos_;
  if (hyphenated && !AcceptPunct('-', /*adjacent=*/true)) {
    pos_ = start;
    return false;
  }
  if (!hyphenated) {
    AcceptPunct('.', /*adjacent=*/true);
    AcceptPunct(',');
  }
  if (!ParseYear(&year_)) {
    pos_ = start;
    return false;
  }
  day_ = day->value;
  month_ = month;
  precision_ = TimePrecision::kDay;
  return true;
}

// "26/04/2023", "26.04.2023", "4-26-2023": the order comes from options_,
// or from a number above 12 when the order is unknown.
bool DateScanner::ParseNumericDate() {
  const Token* first = NumberAt(0, 1, 2);
  const Token* sep = Peek(1);
  if (first == nullptr || sep == nullptr || sep->space_before ||
      (sep->text != "/" && sep->text != "." && sep->text != "-")) {
    return false;
  }
  const Token* second = NumberAt(2, 1, 2, /*adjacent=*/true);
  const Token* sep2 = Peek(3);
  const Token* year = NumberAt(4, 4, 4, /*adjacent=*/true);
  if (second == nullptr || sep2 == nullptr || sep2->space_before ||
      sep2->text != sep->text || year == nullptr) {
    return false;
  }
  NumericDateOrder order = options_.numeric_order;
  if (order == NumericDateOrder::kUnknown) {
    if (first->value > 12 && second->value <= 12) {
      order = NumericDateOrder::kDayFirst;
    } else if (second->value > 12 && first->value <= 12) {
      order = NumericDateOrder::kMonthFirst;
    } else if (first->value == second->value) {
      order = NumericDateOrder::kDayFirst;
    } else {
      return false;  // "05/04/2023" with no locale: April 5 or May 4
    }
  }
  const bool day_first = order == NumericDateOrder::kDayFirst;
  day_ = day_first ? first->value : second->value;
  month_ = day_first ? second->value : first->value;
  year_ = year->value;
  precision_ = TimePrecision::kDay;
  pos_ += 5;
  return true;
}

bool DateScanner::ParseYear(int* year) {
  const Token* number = NumberAt(0, 4, 4);
  if (number == nullptr) return false;
  *year = number->value;
  ++pos_;
  return true;
}

void DateScanner::SkipOrdinalSuffix() {
  const Token* token = Peek();
  if (token != nullptr && !token->space_before) AcceptWord({"st", "nd", "rd", "th"});
}

// ", 10:42", " at 10:42 a.m.", " - 14:32 BST" after a date.
void DateScanner::ParseTrailingTime() {
  const int start = pos_;
  AcceptPunct(',');
  if (!AcceptWord({"at"}) && !AcceptPunct('-') && !AcceptPunct('|')) AcceptPunct('@');
  if (!ParseTime()) pos_ = start;
}

// "14:32", "14.32", "14:32:05.123", "10:42 AM", "10:42 a.m.", each with an
// optional zone.
bool DateScanner::ParseTime() {
  const Token* hour = NumberAt(0, 1, 2);
  const Token* sep = Peek(1);
  const Token* minute = NumberAt(2, 2, 2, /*adjacent=*/true);
  if (hour == nullptr || hour->value > 23 || sep == nullptr || sep->space_before ||
      (sep->text != ":" && sep->text != ".") || minute == nullptr || minute->value > 59) {
    return false;
  }
  const int start = pos_;
  int h = hour->value;
  const int m = minute->value;
  int s = 0;
  pos_ += 3;
  if (sep->text == ":" && AcceptPunct(':', /*adjacent=*/true)) {
    const Token* second = NumberAt(0, 2, 2, /*adjacent=*/true);
    if (second == nullptr || second->value > 59) {
      pos_ = start;
      return false;
    }
    s = second->value;
    ++pos_;
    if (NumberAt(1, 1, 9, /*adjacent=*/true) && AcceptPunct('.', /*adjacent=*/true)) {
      ++pos_;  // fractions of a second are dropped
    }
  }
  if (!ParseMeridiem(&h)) {
    pos_ = start;
    return false;
  }
  hour_ = h;
  minute_ = m;
  second_ = s;
  has_time_ = true;
  ParseZone();
  return true;
}

// Applies an "AM"/"PM"/"a.m."/"p.m." marker if one follows; false when the
// hour does not fit one.
bool DateScanner::ParseMeridiem(int* hour) {
  const Token* token = Peek();
  if (token == nullptr || token->kind != Token::Kind::kWord) return true;
  bool pm;
  if (absl::EqualsIgnoreCase(token->text, "am") ||
      absl::EqualsIgnoreCase(token->text, "pm")) {
    pm = absl::EqualsIgnoreCase(token->text, "pm");
    ++pos_;
  } else if (absl::EqualsIgnoreCase(token->text, "a") ||
             absl::EqualsIgnoreCase(token->text, "p")) {
    const Token* dot = Peek(1);
    const Token* m = Peek(2);
    if (dot == nullptr || dot->text != "." || dot->space_before || m == nullptr ||
        m->space_before || !absl::EqualsIgnoreCase(m->text, "m")) {
      return true;
    }
    pm = absl::EqualsIgnoreCase(token->text, "p");
    pos_ += 3;
    AcceptPunct('.', /*adjacent=*/true);
  } else {
    return true;
  }
  if (*hour < 1 || *hour > 12) return false;
  *hour = *hour % 12 + (pm ? 12 : 0);
  return true;
}

// "Z", "+02:00", "-0500", "BST", "GMT+1", "UTC-05:30".
void DateScanner::ParseZone() {
  const Token* token = Peek();
  if (token == nullptr) return;
  int offset = 0;
  if (token->kind == Token::Kind::kWord) {
    if (!token->space_before && absl::EqualsIgnoreCase(token->text, "z")) {
      ++pos_;
    } else if (const Zone* zone = FindZone(token->text)) {
      ++pos_;
      offset = zone->offset_minutes * 60;
      const Token* sign = Peek();
      int extra = 0;
      if (zone->offset_minutes == 0 && sign != nullptr && !sign->space_before &&
          ParseOffset(&extra)) {
        offset += extra;
      }
    } else {
      return;
    }
  } else if (!ParseOffset(&offset)) {
    return;
  }
  offset_seconds_ = offset;
  zone_known_ = true;
}

bool DateScanner::ParseOffset(int* seconds) {
  const Token* sign = Peek();
  if (sign == nullptr || (sign->text != "+" && sign->text != "-")) return false;
  const Token* number = NumberAt(1, 1, 4, /*adjacent=*/true);
  if (number == nullptr || number->length() == 3) return false;
  const int start = pos_;
  pos_ += 2;
  int hours = number->value;
  int minutes = 0;
  if (number->length() == 4) {
    hours = number->value / 100;
    minutes = number->value % 100;
  } else if (const Token* mm = NumberAt(1, 2, 2, /*adjacent=*/true);
             mm != nullptr && AcceptPunct(':', /*adjacent=*/true)) {
    minutes = mm->value;
    ++pos_;
  }
  if (hours > kMaxOffsetHours || minutes > 59) {
    pos_ = start;
    return false;
  }
  *seconds = (sign->text == "-" ? -1 : 1) * (hours * 3600 + minutes * 60);
  return true;
}

bool DateScanner::IsValid() const {
  if (year_ < kMinYear || year_ > kMaxYear || month_ < 1 || month_ > 12 || day_ < 1) {
    return false;
  }
  const absl::CivilDay day(year_, month_, day_);
  return day.month() == month_ && day.day() == day_;
}

}  // namespace

NumericDateOrder NumericDateOrderOf(absl::string_view language_tag) {
  // The region is the first two-letter or three-digit subtag after the
  // language: "en-US", "en-Latn-US", "es-419".
  std::vector<absl::string_view> subtags = absl::StrSplit(language_tag, absl::ByAnyChar("-_"));
  for (size_t i = 1; i < subtags.size(); ++i) {
    const absl::string_view tag = subtags[i];
    const bool alpha_region = tag.size() == 2 && absl::ascii_isalpha(tag[0]) &&
                              absl::ascii_isalpha(tag[1]);
    const bool numeric_region = tag.size() == 3 && absl::ascii_isdigit(tag[0]);
    if (!alpha_region && !numeric_region) continue;
    for (absl::string_view month_first : {"us", "ph", "fm", "mh", "pw", "as", "gu",
                                          "mp", "pr", "um", "vi"}) {
      if (absl::EqualsIgnoreCase(tag, month_first)) return NumericDateOrder::kMonthFirst;
    }
    return NumericDateOrder::kDayFirst;
  }
  // Without a region: languages written day first wherever they are used.
  // English is not among them (the United States write month first).
  for (absl::string_view day_first : {"fr", "de", "es", "it", "pt", "nl", "pl", "sv",
                                      "tr", "id", "ru", "uk", "el"}) {
    if (absl::EqualsIgnoreCase(subtags[0], day_first)) return NumericDateOrder::kDayFirst;
  }
  return NumericDateOrder::kUnknown;
}

std::optional<ArticleTime> ParseDateExpression(absl::string_view text,
                                               const DateOptions& options) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  DateScanner scanner(trimmed, options);
  if (!scanner.Scan(/*allow_bare_year=*/true) || scanner.end() != trimmed.size()) {
    return std::nullopt;
  }
  ArticleTime result = scanner.Result();
  result.evidence = std::string(trimmed);
  return result;
}

std::optional<DateMatch> FindDate(absl::string_view line, const DateOptions& options) {
  const size_t begin = SkipSpace(line, 0);
  if (begin == line.size() ||
      !absl::ascii_isalnum(static_cast<unsigned char>(line[begin]))) {
    return std::nullopt;
  }
  DateScanner scanner(line.substr(begin), options);
  if (!scanner.Scan(/*allow_bare_year=*/false) || !scanner.AtWordBoundary()) {
    return std::nullopt;
  }
  DateMatch match;
  match.begin = begin;
  match.end = begin + scanner.end();
  match.time = scanner.Result();
  match.time.evidence = std::string(line.substr(begin, match.end - begin));
  match.rest = RestOfLine(line.substr(match.end));
  match.labeled = scanner.labeled();
  match.update = scanner.update();
  return match;
}

}  // namespace newsdesk::ingest
