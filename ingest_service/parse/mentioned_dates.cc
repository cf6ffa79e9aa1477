#include "ingest_service/parse/mentioned_dates.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace newsdesk::ingest {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2100;
constexpr int kMaxCount = 100;  // "N days ago", "N-year war"
constexpr int kMaxYearSpan = 100;  // "1914-2014"

// What a token can start, decided once per token so that the matchers
// skip almost every word at the cost of one hash lookup.
enum class Kind {
  kOther,
  kNumber,
  kMonth,
  kWeekday,
  kDeictic,
  kShiftLead,
  kCountWord,
  kRangeLead
};

struct Token {
  absl::string_view text;
  size_t begin;
  size_t end;
  bool number;
  int value;  // a number's value (capped)
  Kind kind;
};

constexpr std::array<absl::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

constexpr std::array<absl::string_view, 7> kWeekdays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

constexpr absl::string_view kNumberWords[] = {"zero", "one", "two",   "three", "four",
                                              "five", "six", "seven", "eight", "nine",
                                              "ten",  "eleven", "twelve"};

// Words after which a bare year is a date: "in 2014", "mid-2022".
constexpr absl::string_view kYearLeads[] = {
    "in",   "since",  "by",    "until", "till", "from",  "before", "after",
    "during", "of",   "early", "late",  "mid",  "throughout", "around", "year"};

// Words before which "N-month" names a period that ran up to publication.
constexpr absl::string_view kEventWords[] = {
    "war",      "conflict",   "siege",     "battle",    "invasion", "occupation",
    "blockade", "standoff",   "crisis",    "campaign",  "dispute",  "strike",
    "lockdown", "pandemic",   "ceasefire", "truce",     "drought",  "investigation",
    "probe",    "trial",      "presidency", "tenure",   "insurgency", "offensive",
    "shutdown", "recession",  "struggle",  "negotiations", "talks",  "stalemate"};

bool InList(absl::string_view word, absl::Span<const absl::string_view> list) {
  return std::any_of(list.begin(), list.end(),
                     [word](absl::string_view w) { return absl::EqualsIgnoreCase(word, w); });
}

bool Capitalized(absl::string_view word) {
  return !word.empty() && absl::ascii_isupper(static_cast<unsigned char>(word[0]));
}

// 1-12 for a capitalized month name, its three-letter form or "Sept"; 0
// otherwise. "May" counts only in full, which it always is.
int MonthOf(absl::string_view word) {
  if (!Capitalized(word)) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (absl::EqualsIgnoreCase(word, kMonths[i]) ||
        (word.size() == 3 && absl::StartsWithIgnoreCase(kMonths[i], word))) {
      return static_cast<int>(i) + 1;
    }
  }
  return absl::EqualsIgnoreCase(word, "sept") ? 9 : 0;
}

// 0 (Monday) to 6 for a capitalized weekday name; -1 otherwise.
int WeekdayOf(absl::string_view word) {
  if (!Capitalized(word)) return -1;
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (absl::EqualsIgnoreCase(word, kWeekdays[i])) return static_cast<int>(i);
  }
  return -1;
}

// A count written as digits (up to kMaxCount) or a word ("two", "a").
std::optional<int> CountOf(const Token& token) {
  if (token.number) {
    if (token.value < 1 || token.value > kMaxCount) return std::nullopt;
    return token.value;
  }
  if (absl::EqualsIgnoreCase(token.text, "a") || absl::EqualsIgnoreCase(token.text, "an")) {
    return 1;
  }
  for (size_t i = 1; i < std::size(kNumberWords); ++i) {
    if (absl::EqualsIgnoreCase(token.text, kNumberWords[i])) return static_cast<int>(i);
  }
  return std::nullopt;
}

enum class Unit { kNone, kDay, kWeek, kMonth, kYear };

Unit UnitOf(absl::string_view word) {
  for (const auto& [name, unit] : {std::pair<absl::string_view, Unit>{"day", Unit::kDay},
                                   {"days", Unit::kDay},
                                   {"week", Unit::kWeek},
                                   {"weeks", Unit::kWeek},
                                   {"month", Unit::kMonth},
                                   {"months", Unit::kMonth},
                                   {"year", Unit::kYear},
                                   {"years", Unit::kYear}}) {
    if (absl::EqualsIgnoreCase(word, name)) return unit;
  }
  return Unit::kNone;
}

// Where a word's first two letters and length fall in KindOf's prefilter.
// Tokens are ASCII letters; a one-letter word has no second letter (26).
size_t PrefilterIndex(absl::string_view word) {
  const size_t first = static_cast<size_t>(absl::ascii_tolower(word[0]) - 'a');
  const size_t second =
      word.size() > 1 ? static_cast<size_t>(absl::ascii_tolower(word[1]) - 'a') : 26;
  return (first * 27 + second) * 10 + word.size();
}

Kind KindOf(absl::string_view word) {
  constexpr size_t kLongest = 9;  // "September", "yesterday", "Wednesday"
  if (word.empty() || word.size() > kLongest || !absl::ascii_isalpha(word[0]) ||
      (word.size() > 1 && !absl::ascii_isalpha(word[1]))) {
    return Kind::kOther;
  }
  static const auto* const kKinds = [] {
    auto* kinds = new absl::flat_hash_map<std::string, Kind>();
    for (absl::string_view month : kMonths) {
      (*kinds)[absl::AsciiStrToLower(month)] = Kind::kMonth;
      (*kinds)[absl::AsciiStrToLower(month.substr(0, 3))] = Kind::kMonth;
    }
    (*kinds)["sept"] = Kind::kMonth;
    for (absl::string_view day : kWeekdays) (*kinds)[absl::AsciiStrToLower(day)] = Kind::kWeekday;
    for (const char* word : {"today", "yesterday", "tomorrow"}) (*kinds)[word] = Kind::kDeictic;
    for (const char* word : {"last", "this", "next", "past"}) (*kinds)[word] = Kind::kShiftLead;
    for (const char* word : {"a", "an"}) (*kinds)[word] = Kind::kCountWord;
    for (const char* word : {"between", "from"}) (*kinds)[word] = Kind::kRangeLead;
    for (size_t i = 1; i < std::size(kNumberWords); ++i) {
      (*kinds)[std::string(kNumberWords[i])] = Kind::kCountWord;
    }
    return kinds;
  }();
  // Most words ("the", "and", "said") are no key: a bit per first two
  // letters and length rules them out before any hashing.
  static const auto* const kMayBeKey = [] {
    auto* bits = new std::bitset<26 * 27 * 10>();
    for (const auto& [key, kind] : *kKinds) bits->set(PrefilterIndex(key));
    return bits;
  }();
  if (!kMayBeKey->test(PrefilterIndex(word))) return Kind::kOther;
  char lower[kLongest];
  for (size_t i = 0; i < word.size(); ++i) lower[i] = absl::ascii_tolower(word[i]);
  const auto it = kKinds->find(absl::string_view(lower, word.size()));
  return it == kKinds->end() ? Kind::kOther : it->second;
}

std::vector<Token> Tokenize(absl::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!absl::ascii_isalnum(c)) {
      ++i;
      continue;
    }
    const size_t begin = i;
    const bool number = absl::ascii_isdigit(c);
    int value = 0;
    while (i < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[i]);
      if (number ? !absl::ascii_isdigit(d) : !absl::ascii_isalpha(d)) break;
      if (number) value = std::min(value * 10 + (d - '0'), 1000000);
      ++i;
    }
    const absl::string_view word = text.substr(begin, i - begin);
    tokens.push_back({word, begin, i, number, value, number ? Kind::kNumber : KindOf(word)});
  }
  return tokens;
}

absl::Time Start(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

// Finds mentions in one text. Each Match* reads at tokens_[i] and returns
// the number of tokens it used, 0 when it does not apply.
class Finder {
 public:
  Finder(absl::string_view text, std::optional<absl::CivilDay> anchor,
         std::vector<MentionedDate>* out)
      : text_(text), tokens_(Tokenize(text)), anchor_(anchor), out_(out) {}

  void Run() {
    for (size_t i = 0; i < tokens_.size();) {
      size_t used = 0;
      switch (tokens_[i].kind) {
        case Kind::kOther:
          break;
        case Kind::kMonth:
          used = MatchMonthDayRange(i);
          if (used == 0) used = MatchDashRange(i);
          if (used == 0) used = MatchMonthFirst(i);
          break;
        case Kind::kRangeLead:
          used = MatchLeadRange(i);
          break;
        case Kind::kNumber:
          used = MatchDashRange(i);
          if (used == 0) used = MatchDayFirst(i);
          if (used == 0) used = MatchYear(i);
          if (used == 0 && anchor_) used = MatchAgo(i);
          if (used == 0 && anchor_) used = MatchPeriod(i);
          break;
        case Kind::kCountWord:
          if (anchor_) used = MatchAgo(i);
          if (used == 0 && anchor_) used = MatchPeriod(i);
          break;
        case Kind::kWeekday:
          if (anchor_) used = MatchWeekday(i);
          break;
        case Kind::kDeictic:
          if (anchor_) used = MatchDeictic(i);
          break;
        case Kind::kShiftLead:
          if (anchor_) used = MatchShift(i);
          break;
      }
      i += used == 0 ? 1 : used;
    }
  }

 private:
  const Token* At(size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }

  // Only spaces (or a comma, or a period after an abbreviation) between
  // tokens a and b.
  bool Near(size_t a, size_t b) const {
    const absl::string_view gap =
        text_.substr(tokens_[a].end, tokens_[b].begin - tokens_[a].end);
    return gap.size() <= 3 && gap.find_first_not_of(" ,.") == absl::string_view::npos;
  }
  bool Hyphenated(size_t a, size_t b) const {
    const absl::string_view gap =
        text_.substr(tokens_[a].end, tokens_[b].begin - tokens_[a].end);
    return gap == "-" || gap == "\u2011";
  }
  bool Spaced(size_t a, size_t b) const {
    return text_.substr(tokens_[a].end, tokens_[b].begin - tokens_[a].end) == " ";
  }
  bool IsYear(const Token* t) const {
    return t != nullptr && t->number && t->text.size() == 4 && t->value >= kMinYear &&
           t->value <= kMaxYear;
  }
  bool IsDay(const Token* t) const {
    return t != nullptr && t->number && t->text.size() <= 2 && t->value >= 1 &&
           t->value <= 31;
  }
  bool PrecededBy(size_t i, absl::Span<const absl::string_view> words) const {
    return i > 0 && InList(tokens_[i - 1].text, words) &&
           (Spaced(i - 1, i) || Hyphenated(i - 1, i));
  }
  // The day token may carry an ordinal suffix: "17th".
  size_t SkipOrdinal(size_t i) const {
    const Token* t = At(i);
    if (t != nullptr && !t->number && tokens_[i - 1].end == t->begin &&
        InList(t->text, {"st", "nd", "rd", "th"})) {
      return i + 1;
    }
    return i;
  }

  std::string Span(size_t first, size_t last) const {
    return std::string(text_.substr(tokens_[first].begin, tokens_[last].end - tokens_[first].begin));
  }

  void Add(size_t first, size_t last, absl::Time start, absl::Time end,
           TimePrecision precision, bool relative) {
    if (out_->size() >= kMaxMentionedDates) return;
    MentionedDate date{Span(first, last), start, end, precision, relative};
    for (const MentionedDate& seen : *out_) {
      if (seen.text == date.text && seen.start == date.start && seen.end == date.end) return;
    }
    out_->push_back(std::move(date));
  }
  void AddDay(size_t first, size_t last, absl::CivilDay day, bool relative) {
    Add(first, last, Start(day), Start(day + 1), TimePrecision::kDay, relative);
  }
  void AddMonth(size_t first, size_t last, absl::CivilMonth month, bool relative) {
    Add(first, last, Start(absl::CivilDay(month)), Start(absl::CivilDay(month + 1)),
        TimePrecision::kMonth, relative);
  }
  void AddYear(size_t first, size_t last, absl::CivilYear year, bool relative) {
    Add(first, last, Start(absl::CivilDay(year)), Start(absl::CivilDay(year + 1)),
        TimePrecision::kYear, relative);
  }

  // One end of a range as written: a year, a month, a day, or several of
  // them (0 when not written). `last` is its last token.
  struct Endpoint {
    size_t last = 0;
    int year = 0;
    int month = 0;
    int day = 0;
  };

  // Reads "March 17, 2023", "March 17", "17 March 2023", "17 March",
  // "February 2022", "February" or "2014" at token i.
  std::optional<Endpoint> ReadEndpoint(size_t i) const {
    const Token* t = At(i);
    if (t == nullptr) return std::nullopt;
    Endpoint e;
    e.last = i;
    if ((e.month = MonthOf(t->text)) != 0) {
      const Token* next = At(i + 1);
      if (IsDay(next) && Near(i, i + 1)) {
        e.day = next->value;
        const size_t after = SkipOrdinal(i + 2);
        e.last = after - 1;
        if (IsYear(At(after)) && Near(after - 1, after)) {
          e.year = tokens_[after].value;
          e.last = after;
        }
      } else if (IsYear(next) && Near(i, i + 1)) {
        e.year = next->value;
        e.last = i + 1;
      }
      return e;
    }
    if (IsYear(t)) {
      e.year = t->value;
      return e;
    }
    if (!IsDay(t)) return std::nullopt;
    size_t m = SkipOrdinal(i + 1);
    if (const Token* of = At(m); of != nullptr && absl::EqualsIgnoreCase(of->text, "of")) ++m;
    const Token* month = At(m);
    if (month == nullptr || !Near(m - 1, m) || (e.month = MonthOf(month->text)) == 0) {
      return std::nullopt;
    }
    e.day = t->value;
    e.last = m;
    if (IsYear(At(m + 1)) && Near(m, m + 1)) {
      e.year = tokens_[m + 1].value;
      e.last = m + 1;
    }
    return e;
  }

  // A dash between tokens a and b: "-", an en dash, either with spaces.
  bool Dashed(size_t a, size_t b) const {
    const absl::string_view gap =
        text_.substr(tokens_[a].end, tokens_[b].begin - tokens_[a].end);
    return gap == "-" || gap == "\u2013" || gap == " - " || gap == " \u2013 ";
  }

  static TimePrecision PrecisionOf(const Endpoint& e) {
    return e.day != 0 ? TimePrecision::kDay
                      : e.month != 0 ? TimePrecision::kMonth : TimePrecision::kYear;
  }

  // The first day of an endpoint's period, and the day after its last.
  static std::optional<std::pair<absl::CivilDay, absl::CivilDay>> PeriodOf(
      const Endpoint& e) {
    if (e.day != 0) {
      const absl::CivilDay day(e.year, e.month, e.day);
      if (day.day() != e.day) return std::nullopt;
      return std::make_pair(day, day + 1);
    }
    if (e.month != 0) {
      const absl::CivilMonth month(e.year, e.month);
      return std::make_pair(absl::CivilDay(month), absl::CivilDay(month + 1));
    }
    const absl::CivilYear year(e.year);
    return std::make_pair(absl::CivilDay(year), absl::CivilDay(year + 1));
  }

  // Adds the range from the start of `from` to the end of `to`, tokens
  // first..last, with the coarser of their precisions. A missing year is
  // taken from the other end (the year before for a start later in the
  // year than the end: "between November and February 2023"), else from
  // the publication year. Returns the tokens used, 0 when the range is not
  // one: an end without a year and no publication day, an impossible day, or
  // an end not after the start.
  size_t AddRange(size_t first, size_t last, Endpoint from, Endpoint to) {
    bool relative = false;
    if (to.year == 0) {
      if (from.year != 0 && from.month != 0) {
        to.year = from.year;
        if (std::make_pair(to.month, to.day) < std::make_pair(from.month, from.day)) {
          ++to.year;
        }
      } else if (anchor_ && to.month != 0) {
        to.year = YearFor(to.month, std::max(to.day, 1)).year();
        relative = true;
      } else {
        return 0;
      }
    }
    if (from.year == 0) {
      if (from.month == 0 || to.month == 0) return 0;
      from.year = to.year;
      if (std::make_pair(from.month, from.day) > std::make_pair(to.month, to.day)) {
        --from.year;
      }
    }
    const auto start = PeriodOf(from);
    const auto end = PeriodOf(to);
    if (!start || !end || end->second <= start->first) return 0;
    const TimePrecision precision = std::min(PrecisionOf(from), PrecisionOf(to));
    Add(first, last, Start(start->first), Start(end->second), precision, relative);
    return last + 1 - first;
  }

  // "between March and May 2023", "from 2014 to 2022", "from March 3 to
  // May 5, 2023".
  size_t MatchLeadRange(size_t i) {
    const bool between = absl::EqualsIgnoreCase(tokens_[i].text, "between");
    const std::optional<Endpoint> from = ReadEndpoint(i + 1);
    if (!from || !Spaced(i, i + 1)) return 0;
    const size_t connector = from->last + 1;
    const Token* word = At(connector);
    if (word == nullptr || !Spaced(from->last, connector) ||
        !(between ? absl::EqualsIgnoreCase(word->text, "and")
                  : InList(word->text, {"to", "until", "till", "through"}))) {
      return 0;
    }
    const std::optional<Endpoint> to = ReadEndpoint(connector + 1);
    if (!to || !Spaced(connector, connector + 1)) return 0;
    return AddRange(i, to->last, *from, *to);
  }

  // "2019-2021", "2019–21", "3-5 March 2023", "March-May 2023". ("March
  // 3-5" is MatchMonthDayRange's.)
  size_t MatchDashRange(size_t i) {
    const Token* second = At(i + 2);
    if (At(i + 1) == nullptr || !Dashed(i, i + 1)) return 0;
    const Token& a = tokens_[i];
    const Token& b = tokens_[i + 1];
    // Not part of a longer hyphenated number such as "2011-12-05".
    const bool continues = second != nullptr && Hyphenated(i + 1, i + 2);
    if (IsYear(&a) && b.number && !continues && (i == 0 || !Hyphenated(i - 1, i))) {
      Endpoint from{i, a.value, 0, 0};
      Endpoint to{i + 1, b.value, 0, 0};
      if (b.text.size() == 2) to.year = a.value - a.value % 100 + b.value;
      if ((b.text.size() != 4 && b.text.size() != 2) || to.year <= from.year ||
          to.year > kMaxYear || to.year - from.year > kMaxYearSpan) {
        return 0;
      }
      return AddRange(i, i + 1, from, to);
    }
    if (const int month = MonthOf(a.text); month != 0) {
      // "March-May 2023": the year follows the second month.
      if (const int to_month = MonthOf(b.text); to_month != 0) {
        Endpoint from{i, 0, month, 0};
        Endpoint to{i + 1, 0, to_month, 0};
        if (IsYear(second) && Near(i + 1, i + 2)) {
          to.year = second->value;
          to.last = i + 2;
        }
        return AddRange(i, to.last, from, to);
      }
      return 0;
    }
    if (!IsDay(&a) || !IsDay(&b) || b.value <= a.value || continues) return 0;
    // "3-5 March 2023": the month and year follow the second day.
    if (std::optional<Endpoint> to = ReadEndpoint(i + 1); to && to->month != 0) {
      return AddRange(i, to->last, Endpoint{i, to->year, to->month, a.value}, *to);
    }
    return 0;
  }

  // "March 3-5", "March 3–5, 2023", read from the month token.
  size_t MatchMonthDayRange(size_t i) {
    const int month = MonthOf(tokens_[i].text);
    const Token* a = At(i + 1);
    const Token* b = At(i + 2);
    if (month == 0 || !IsDay(a) || !IsDay(b) || !Near(i, i + 1) || !Dashed(i + 1, i + 2) ||
        b->value <= a->value) {
      return 0;
    }
    Endpoint to{i + 2, 0, month, b->value};
    if (const Token* year = At(i + 3); IsYear(year) && Near(i + 2, i + 3)) {
      to.year = year->value;
      to.last = i + 3;
    } else if (const Token* year = At(i + 3); year != nullptr && Hyphenated(i + 2, i + 3)) {
      return 0;  // "March 3-5-2023" is no range
    }
    return AddRange(i, to.last, Endpoint{i, to.year, month, a->value}, to);
  }

  // A month and day with no year: in the publication year, or the year
  // before when that would be more than six months after publication.
  absl::CivilYear YearFor(int month, int day) const {
    absl::CivilYear year(anchor_->year());
    if (absl::CivilDay(year.year(), month, day) > *anchor_ + 183) year -= 1;
    return year;
  }

  // "March 17, 2023", "Mar. 17", "February 2022", "in February".
  size_t MatchMonthFirst(size_t i) {
    const int month = MonthOf(tokens_[i].text);
    if (month == 0) return 0;
    const bool abbreviated = tokens_[i].text.size() < 5 && month != 5 && month != 6 &&
                             month != 7;
    const Token* next = At(i + 1);
    if (IsDay(next) && Near(i, i + 1)) {
      const size_t after = SkipOrdinal(i + 2);
      const Token* year = At(after);
      if (IsYear(year) && Near(after - 1, after)) {
        const absl::CivilDay day(year->value, month, next->value);
        if (day.day() != next->value) return 0;
        AddDay(i, after, day, false);
        return after + 1 - i;
      }
      if (!anchor_) return 0;
      const absl::CivilYear y = YearFor(month, next->value);
      const absl::CivilDay day(y.year(), month, next->value);
      if (day.day() != next->value) return 0;
      AddDay(i, after - 1, day, true);
      return after - i;
    }
    if (IsYear(next) && Near(i, i + 1)) {
      AddMonth(i, i + 1, absl::CivilMonth(next->value, month), false);
      return 2;
    }
    if (abbreviated || !anchor_ ||
        !PrecededBy(i, {"in", "since", "by", "until", "from", "before", "after", "during",
                        "early", "late", "mid", "last", "next", "this"})) {
      return 0;
    }
    const absl::string_view lead = tokens_[i - 1].text;
    absl::CivilMonth resolved(anchor_->year(), month);
    const absl::CivilMonth now(*anchor_);
    if (absl::EqualsIgnoreCase(lead, "next")) {
      if (resolved <= now) resolved = absl::CivilMonth(anchor_->year() + 1, month);
    } else if (absl::EqualsIgnoreCase(lead, "last")) {
      if (resolved >= now) resolved = absl::CivilMonth(anchor_->year() - 1, month);
    } else if (resolved - now > 6) {
      resolved = absl::CivilMonth(anchor_->year() - 1, month);
    }
    AddMonth(i, i, resolved, true);
    return 1;
  }

  // "17 March 2023", "17th of March", "5 Jul".
  size_t MatchDayFirst(size_t i) {
    if (!IsDay(&tokens_[i])) return 0;
    size_t m = SkipOrdinal(i + 1);
    if (const Token* of = At(m); of != nullptr && absl::EqualsIgnoreCase(of->text, "of")) ++m;
    const Token* month_token = At(m);
    const int month = month_token == nullptr ? 0 : MonthOf(month_token->text);
    if (month == 0 || !Near(m - 1, m)) return 0;
    const int d = tokens_[i].value;
    const Token* year = At(m + 1);
    if (IsYear(year) && Near(m, m + 1)) {
      const absl::CivilDay day(year->value, month, d);
      if (day.day() != d) return 0;
      AddDay(i, m + 1, day, false);
      return m + 2 - i;
    }
    if (!anchor_) return 0;
    const absl::CivilDay day(YearFor(month, d).year(), month, d);
    if (day.day() != d) return 0;
    AddDay(i, m, day, true);
    return m + 1 - i;
  }

  // "in 2014", "since 2014", "mid-2022".
  size_t MatchYear(size_t i) {
    if (!IsYear(&tokens_[i]) || !PrecededBy(i, kYearLeads)) return 0;
    AddYear(i, i, absl::CivilYear(tokens_[i].value), false);
    return 1;
  }

  // "on Wednesday", "next Monday", "last Friday".
  size_t MatchWeekday(size_t i) {
    const int weekday = WeekdayOf(tokens_[i].text);
    if (weekday < 0) return 0;
    const int today = static_cast<int>(absl::GetWeekday(*anchor_));  // Monday = 0
    absl::CivilDay day;
    if (PrecededBy(i, {"next"})) {
      const int ahead = (weekday - today + 7) % 7;
      day = *anchor_ + (ahead == 0 ? 7 : ahead);
    } else if (PrecededBy(i, {"last"})) {
      const int back = (today - weekday + 7) % 7;
      day = *anchor_ - (back == 0 ? 7 : back);
    } else {
      day = *anchor_ - (today - weekday + 7) % 7;
    }
    AddDay(i, i, day, true);
    return 1;
  }

  // "today", "yesterday", "tomorrow".
  size_t MatchDeictic(size_t i) {
    const absl::string_view word = tokens_[i].text;
    int offset;
    if (absl::EqualsIgnoreCase(word, "today")) {
      offset = 0;
    } else if (absl::EqualsIgnoreCase(word, "yesterday")) {
      offset = -1;
    } else if (absl::EqualsIgnoreCase(word, "tomorrow")) {
      offset = 1;
    } else {
      return 0;
    }
    AddDay(i, i, *anchor_ + offset, true);
    return 1;
  }

  // "last week", "this month", "next year", "past year".
  size_t MatchShift(size_t i) {
    const absl::string_view lead = tokens_[i].text;
    const Token* unit_token = At(i + 1);
    if (unit_token == nullptr || !Spaced(i, i + 1)) return 0;
    const Unit unit = UnitOf(unit_token->text);
    if (unit == Unit::kNone || unit == Unit::kDay || absl::EndsWith(unit_token->text, "s")) {
      return 0;
    }
    int shift;
    if (absl::EqualsIgnoreCase(lead, "last")) {
      shift = -1;
    } else if (absl::EqualsIgnoreCase(lead, "this")) {
      shift = 0;
    } else if (absl::EqualsIgnoreCase(lead, "next")) {
      shift = 1;
    } else if (absl::EqualsIgnoreCase(lead, "past")) {
      // A rolling period ending on the publication day.
      const absl::CivilDay end = *anchor_ + 1;
      switch (unit) {
        case Unit::kWeek:
          Add(i, i + 1, Start(end - 7), Start(end), TimePrecision::kDay, true);
          break;
        case Unit::kMonth:
          Add(i, i + 1, Start(absl::CivilDay(absl::CivilMonth(*anchor_) - 1)), Start(end),
              TimePrecision::kMonth, true);
          break;
        default:
          Add(i, i + 1, Start(absl::CivilDay(absl::CivilYear(*anchor_) - 1)), Start(end),
              TimePrecision::kYear, true);
          break;
      }
      return 2;
    } else {
      return 0;
    }
    switch (unit) {
      case Unit::kWeek: {
        const absl::CivilDay monday =
            *anchor_ - static_cast<int>(absl::GetWeekday(*anchor_)) + 7 * shift;
        Add(i, i + 1, Start(monday), Start(monday + 7), TimePrecision::kDay, true);
        break;
      }
      case Unit::kMonth:
        AddMonth(i, i + 1, absl::CivilMonth(*anchor_) + shift, true);
        break;
      default:
        AddYear(i, i + 1, absl::CivilYear(*anchor_) + shift, true);
        break;
    }
    return 2;
  }

  // "two days ago", "3 months ago", "a year ago".
  size_t MatchAgo(size_t i) {
    const std::optional<int> count = CountOf(tokens_[i]);
    const Token* unit_token = At(i + 1);
    const Token* ago = At(i + 2);
    if (!count || unit_token == nullptr || ago == nullptr || !Spaced(i, i + 1) ||
        !Spaced(i + 1, i + 2) || !absl::EqualsIgnoreCase(ago->text, "ago")) {
      return 0;
    }
    switch (UnitOf(unit_token->text)) {
      case Unit::kDay:
        AddDay(i, i + 2, *anchor_ - *count, true);
        break;
      case Unit::kWeek: {
        const absl::CivilDay start = *anchor_ - 7 * *count;
        Add(i, i + 2, Start(start), Start(start + 7), TimePrecision::kDay, true);
        break;
      }
      case Unit::kMonth:
        AddMonth(i, i + 2, absl::CivilMonth(*anchor_) - *count, true);
        break;
      case Unit::kYear:
        AddYear(i, i + 2, absl::CivilYear(*anchor_) - *count, true);
        break;
      case Unit::kNone:
        return 0;
    }
    return 3;
  }

  // "the 14-month war", "a two-year conflict", "the 100-day siege".
  size_t MatchPeriod(size_t i) {
    const std::optional<int> count = CountOf(tokens_[i]);
    const Token* unit_token = At(i + 1);
    if (!count || unit_token == nullptr || !Hyphenated(i, i + 1)) return 0;
    const Unit unit = UnitOf(unit_token->text);
    size_t noun = i + 2;
    if (const Token* t = At(noun); t != nullptr && Hyphenated(i + 1, noun) &&
                                   absl::EqualsIgnoreCase(t->text, "long")) {
      ++noun;
    }
    const Token* event = At(noun);
    if (unit == Unit::kNone || absl::EndsWith(unit_token->text, "s") || event == nullptr ||
        !Spaced(noun - 1, noun) || !InList(event->text, kEventWords)) {
      return 0;
    }
    const absl::CivilDay end = *anchor_ + 1;
    switch (unit) {
      case Unit::kDay:
        Add(i, noun, Start(end - *count), Start(end), TimePrecision::kDay, true);
        break;
      case Unit::kWeek:
        Add(i, noun, Start(end - 7 * *count), Start(end), TimePrecision::kDay, true);
        break;
      case Unit::kMonth:
        Add(i, noun, Start(absl::CivilDay(absl::CivilMonth(*anchor_) - *count)),
            Start(absl::CivilDay(absl::CivilMonth(*anchor_) + 1)), TimePrecision::kMonth,
            true);
        break;
      default:
        Add(i, noun, Start(absl::CivilDay(absl::CivilYear(*anchor_) - *count)),
            Start(absl::CivilDay(absl::CivilYear(*anchor_) + 1)), TimePrecision::kYear, true);
        break;
    }
    return noun + 1 - i;
  }

  absl::string_view text_;
  std::vector<Token> tokens_;
  std::optional<absl::CivilDay> anchor_;
  std::vector<MentionedDate>* out_;
};

}  // namespace

void AppendMentionedDates(absl::string_view text, const ArticleTime& published,
                          std::vector<MentionedDate>* dates) {
  if (dates->size() >= kMaxMentionedDates) return;
  std::optional<absl::CivilDay> anchor;
  if (published.known() && published.precision != TimePrecision::kYear &&
      published.precision != TimePrecision::kMonth) {
    anchor = absl::ToCivilDay(published.time, absl::UTCTimeZone());
  }
  Finder(text, anchor, dates).Run();
}

}  // namespace newsdesk::ingest
