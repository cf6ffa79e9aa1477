#include "ingest_service/parse/line_rules.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace newsdesk::ingest {
namespace {

// Boilerplate lines are short; longer lines are body text whatever they say.
constexpr size_t kMaxBoilerplateBytes = 120;
constexpr size_t kMaxBoilerplateWords = 12;
constexpr size_t kMaxReadingTimeBytes = 80;
constexpr size_t kMaxRelatedLinksBytes = 300;
constexpr size_t kMaxRelatedHeadingBytes = 30;
constexpr size_t kMaxRelatedWords = 8;
constexpr size_t kMaxHeadlineChars = 150;
constexpr size_t kMaxAltTextWords = 12;
// A credit starts within this many bytes of the end of its line.
constexpr size_t kCreditWindowBytes = 100;
constexpr size_t kMaxCreditWords = 10;
constexpr size_t kMaxParenCreditBytes = 60;
constexpr size_t kMaxParenCreditWords = 8;
constexpr size_t kMaxBylineBytes = 120;

constexpr absl::string_view kShareWords[] = {
    "share",     "this",     "article",  "story",   "page",      "post",
    "on",        "via",      "with",     "your",    "friends",   "the",
    "or",        "and",      "facebook", "twitter", "x",         "email",
    "e-mail",    "whatsapp", "linkedin", "reddit",  "pinterest", "telegram",
    "messenger", "print",    "copy",     "link",    "tweet",     "flipboard"};

constexpr absl::string_view kRelatedHeadings[] = {
    "related",         "related coverage",  "related stories",    "related articles",
    "related content", "related topics",    "related links",      "read more",
    "also read",       "read also",         "see also",           "read next",
    "more reading",    "further reading",   "recommended",        "recommended reading",
    "most read",       "most popular",      "most viewed",        "top stories",
    "more stories",    "you may also like", "you might also like"};

constexpr absl::string_view kKeyPointsHeadings[] = {
    "key points", "key takeaways", "highlights", "in brief", "at a glance"};

constexpr absl::string_view kCreditMarkers[] = {
    "Source:", "Photo:",  "Photos:",       "Photograph:",   "Picture:",
    "Image:",  "Credit:", "Photo credit:", "Image credit:", "Photo by "};

constexpr absl::string_view kBylineConnectors[] = {
    "and", "&",   "de", "del", "der",    "den",    "van",   "von",
    "da",  "di",  "du", "la",  "le",     "al",     "bin",   "el",
    "in",  "for", "/",  "-",   "\u2013", "\u2014", "\u00B7"};

// Words that mark the end of a byline as an outlet, not a person.
constexpr absl::string_view kOutletWords[] = {
    "news",    "press",   "times",     "post",   "agency", "service", "network",
    "journal", "radio",   "television", "tv",    "media",  "herald",  "wire",
    "daily",   "tribune", "associated", "online", "magazine"};

constexpr absl::string_view kBulletMarkers[] = {"\u2022", "\u00B7", "\u25AA", "\u2023",
                                                "\u25E6"};

// Labels wire services put before a headline; matched in capitals only.
constexpr absl::string_view kWireLabels[] = {
    "BREAKING NEWS", "BREAKING",  "UPDATE", "EXCLUSIVE", "FACTBOX", "WRAPUP", "ANALYSIS",
    "INSIGHT",       "EXPLAINER", "REFILE", "CORRECTED", "FOCUS",   "URGENT", "FLASH"};

constexpr absl::string_view kAbbreviations[] = {
    "mr",   "mrs",  "ms",  "dr", "st",  "jr",  "sr",   "gen", "sen", "rep",
    "gov",  "prof", "no",  "vs", "inc", "co",  "corp", "ltd", "lt",  "col",
    "capt", "maj",  "sgt", "mt", "ft",  "rev", "hon",  "pres"};

bool InList(absl::string_view text, absl::Span<const absl::string_view> list) {
  return std::any_of(list.begin(), list.end(), [text](absl::string_view item) {
    return absl::EqualsIgnoreCase(text, item);
  });
}

size_t CountWords(absl::string_view line) {
  return line.empty() ? 0 : 1 + std::count(line.begin(), line.end(), ' ');
}

size_t CountChars(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

absl::string_view StripPunctuation(absl::string_view word) {
  constexpr absl::string_view kPunctuation = "!\"'(),.:;?|";
  while (!word.empty() && kPunctuation.find(word.front()) != absl::string_view::npos) {
    word.remove_prefix(1);
  }
  while (!word.empty() && kPunctuation.find(word.back()) != absl::string_view::npos) {
    word.remove_suffix(1);
  }
  return word;
}

// The words of a normalized line with surrounding punctuation stripped and
// empty ones dropped.
std::vector<absl::string_view> Words(absl::string_view line) {
  std::vector<absl::string_view> words;
  for (absl::string_view word : absl::StrSplit(line, ' ')) {
    word = StripPunctuation(word);
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

// True when the '.' at `dot` ends an abbreviation or an initial rather than a
// sentence: "U.S.", "J.", "Mr.".
bool EndsAbbreviation(absl::string_view line, size_t dot) {
  const size_t space = line.rfind(' ', dot);
  const size_t start = space == absl::string_view::npos ? 0 : space + 1;
  const absl::string_view word = StripPunctuation(line.substr(start, dot - start));
  return word.size() == 1 || absl::StrContains(word, '.') || InList(word, kAbbreviations);
}

bool StartsWithOpeningQuote(absl::string_view text) {
  return absl::StartsWith(text, "\"") || absl::StartsWith(text, "\u201C") ||
         absl::StartsWith(text, "\u2018");
}

// Removes a closing quote or bracket, which belongs to the sentence before
// it, from the start of `text`.
bool ConsumeClosingMark(absl::string_view* text) {
  return absl::ConsumePrefix(text, "\"") || absl::ConsumePrefix(text, "'") ||
         absl::ConsumePrefix(text, ")") || absl::ConsumePrefix(text, "\u201D") ||
         absl::ConsumePrefix(text, "\u2019");
}

// True when `line` holds a sentence end followed by the start of another
// sentence.
bool HasSentenceBreak(absl::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c != '.' && c != '!' && c != '?') continue;
    absl::string_view after = line.substr(i + 1);
    while (ConsumeClosingMark(&after)) {
    }
    if (!absl::ConsumePrefix(&after, " ") || after.empty()) continue;
    const unsigned char next = static_cast<unsigned char>(after[0]);
    if (!absl::ascii_isupper(next) && !absl::ascii_isdigit(next) &&
        !StartsWithOpeningQuote(after)) {
      continue;
    }
    if (c == '.' && EndsAbbreviation(line, i)) continue;
    return true;
  }
  return false;
}

// True when `text` starts with a capital letter or a non-ASCII character.
bool StartsCapitalized(absl::string_view text) {
  const unsigned char c = text.empty() ? ' ' : static_cast<unsigned char>(text[0]);
  return absl::ascii_isupper(c) || c >= 0x80;
}

// The start of a parenthesized credit ending `line`: "(Reuters/John Doe)".
size_t ParenthesizedCreditStart(absl::string_view line) {
  if (!absl::EndsWith(line, ")")) return absl::string_view::npos;
  const size_t open = line.rfind('(');
  if (open == absl::string_view::npos) return absl::string_view::npos;
  const absl::string_view inner = line.substr(open + 1, line.size() - open - 2);
  if (inner.size() > kMaxParenCreditBytes || !StartsCapitalized(inner) ||
      CountWords(inner) > kMaxParenCreditWords) {
    return absl::string_view::npos;
  }
  const bool credit_like =
      absl::StrContains(inner, '/') || absl::StrContains(inner, "Photo") ||
      absl::StrContains(inner, "Getty") || absl::StrContains(inner, "Images") ||
      absl::StrContains(inner, " via ");
  return credit_like ? open : absl::string_view::npos;
}

// The start of a credit introduced by a marker near the end of `line`:
// "... on Thursday. Source: AAP, EPA / Ng Han Guan".
size_t MarkedCreditStart(absl::string_view line) {
  const size_t window =
      line.size() > kCreditWindowBytes ? line.size() - kCreditWindowBytes : 0;
  size_t best = absl::string_view::npos;
  for (absl::string_view marker : kCreditMarkers) {
    const size_t at = line.find(marker, window);
    if (at == absl::string_view::npos || at >= best || (at > 0 && line[at - 1] != ' ')) {
      continue;
    }
    // A credit names someone: "Source: AAP", not "Source: the ministry".
    const absl::string_view credit =
        absl::StripAsciiWhitespace(line.substr(at + marker.size()));
    if (credit.empty() || !StartsCapitalized(credit) ||
        CountWords(credit) > kMaxCreditWords || absl::StrContains(credit, ". ")) {
      continue;
    }
    best = at;
  }
  return best;
}

// `title` without one wire label such as "UPDATE 2-" or "BREAKING:"; the
// label, number included, goes to `label`.
absl::string_view StripWireLabel(absl::string_view title, absl::string_view* found) {
  for (absl::string_view label : kWireLabels) {
    if (!absl::StartsWith(title, label)) continue;
    size_t i = label.size();
    if (i + 1 < title.size() && title[i] == ' ' &&
        absl::ascii_isdigit(static_cast<unsigned char>(title[i + 1]))) {
      ++i;
      while (i < title.size() &&
             absl::ascii_isdigit(static_cast<unsigned char>(title[i]))) {
        ++i;
      }
    }
    const size_t label_end = i;
    while (i < title.size() && title[i] == ' ') ++i;
    if (i == title.size() || (title[i] != ':' && title[i] != '-')) continue;
    const absl::string_view rest = absl::StripLeadingAsciiWhitespace(title.substr(i + 1));
    if (!rest.empty()) {
      *found = title.substr(0, label_end);
      return rest;
    }
  }
  return title;
}

}  // namespace

bool IsReadingTime(absl::string_view line) {
  if (line.size() > kMaxReadingTimeBytes) return false;
  if (absl::StartsWithIgnoreCase(line, "estimated reading time") ||
      absl::StartsWithIgnoreCase(line, "reading time") ||
      absl::StartsWithIgnoreCase(line, "read time")) {
    return true;
  }
  // "5 min read", "3-minute read".
  size_t digits = 0;
  while (digits < line.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits == line.size()) return false;
  absl::string_view unit = line.substr(digits);
  if (!absl::ConsumePrefix(&unit, " ")) absl::ConsumePrefix(&unit, "-");
  return InList(unit,
                {"min read", "mins read", "min. read", "minute read", "minutes read"});
}

bool IsShareTail(absl::string_view line) {
  if (line.size() > kMaxBoilerplateBytes || CountWords(line) > kMaxBoilerplateWords) {
    return false;
  }
  const std::vector<absl::string_view> words = Words(line);
  if (words.empty()) return false;
  if (absl::EqualsIgnoreCase(words[0], "subscribe")) return true;
  if (words.size() >= 2 && absl::EqualsIgnoreCase(words[0], "follow") &&
      absl::EqualsIgnoreCase(words[1], "us")) {
    return true;
  }
  if (words.size() >= 2 && absl::EqualsIgnoreCase(words[0], "sign") &&
      absl::EqualsIgnoreCase(words[1], "up")) {
    return std::any_of(words.begin(), words.end(), [](absl::string_view word) {
      return absl::StartsWithIgnoreCase(word, "newsletter");
    });
  }
  return absl::EqualsIgnoreCase(words[0], "share") &&
         std::all_of(words.begin(), words.end(),
                     [](absl::string_view word) { return InList(word, kShareWords); });
}

bool IsRelatedLinks(absl::string_view line) {
  if (line.size() > kMaxRelatedLinksBytes) return false;
  const size_t colon = line.find(':');
  if (colon != absl::string_view::npos && colon <= kMaxRelatedHeadingBytes &&
      InList(line.substr(0, colon), kRelatedHeadings)) {
    return true;  // "Read more: <headline>"
  }
  if (line.size() > kMaxBoilerplateBytes || CountWords(line) > kMaxRelatedWords) {
    return false;
  }
  if (InList(StripPunctuation(line), kRelatedHeadings)) return true;
  return (absl::StartsWithIgnoreCase(line, "more in ") ||
          absl::StartsWithIgnoreCase(line, "more from ") ||
          absl::StartsWithIgnoreCase(line, "more on ")) &&
         !absl::EndsWith(line, ".");
}

bool IsKeyPointsHeading(absl::string_view line) {
  return InList(absl::StripSuffix(line, ":"), kKeyPointsHeadings);
}

bool IsImageAltText(absl::string_view line) {
  return !line.empty() && line.back() != ':' && CountWords(line) <= kMaxAltTextWords;
}

size_t FindCreditStart(absl::string_view line) {
  const size_t paren = ParenthesizedCreditStart(line);
  return paren != absl::string_view::npos ? paren : MarkedCreditStart(line);
}

std::optional<absl::string_view> ParseByline(absl::string_view line) {
  if (line.size() > kMaxBylineBytes || !absl::StartsWithIgnoreCase(line, "by ")) {
    return std::nullopt;
  }
  const absl::string_view names = absl::StripLeadingAsciiWhitespace(line.substr(3));
  if (names.empty() ||
      absl::string_view(".?!:").find(names.back()) != absl::string_view::npos ||
      CountWords(names) > kMaxBoilerplateWords) {
    return std::nullopt;
  }
  bool first = true;
  for (absl::string_view word : absl::StrSplit(names, ' ')) {
    const absl::string_view bare = StripPunctuation(word);
    if (!StartsCapitalized(word) &&
        (first || !(bare.empty() || InList(bare, kBylineConnectors)))) {
      return std::nullopt;
    }
    first = false;
  }
  return names;
}

BylineParts SplitByline(absl::string_view names) {
  BylineParts parts;
  // "Jane Doe | Reuters", "Jane Doe for Reuters": the outlet follows a bar or "for".
  absl::string_view people = names;
  for (absl::string_view separator : {" | ", " for ", " \u00B7 ", " - ", " \u2013 ",
                                      " \u2014 "}) {
    const size_t at = people.find(separator);
    if (at == absl::string_view::npos) continue;
    parts.outlet = std::string(absl::StripAsciiWhitespace(people.substr(at + separator.size())));
    people = people.substr(0, at);
    break;
  }
  std::vector<absl::string_view> pieces = absl::StrSplit(people, ',');
  // A last comma-separated piece is the outlet when it reads as one: a
  // single word ("Reuters") or a name with an outlet word ("BBC News").
  if (parts.outlet.empty() && pieces.size() >= 2) {
    const absl::string_view last = absl::StripAsciiWhitespace(pieces.back());
    const std::vector<absl::string_view> words = Words(last);
    const bool outlet_like =
        words.size() == 1 ||
        std::any_of(words.begin(), words.end(),
                    [](absl::string_view word) { return InList(word, kOutletWords); });
    if (outlet_like && !absl::StrContains(last, " and ")) {
      parts.outlet = std::string(last);
      pieces.pop_back();
    }
  }
  for (absl::string_view piece : pieces) {
    for (absl::string_view name : absl::StrSplit(piece, absl::ByAnyChar("&"))) {
      for (absl::string_view part : absl::StrSplit(name, " and ")) {
        part = absl::StripAsciiWhitespace(part);
        absl::ConsumePrefix(&part, "and ");
        part = absl::StripAsciiWhitespace(part);
        if (!part.empty()) parts.authors.emplace_back(part);
      }
    }
  }
  return parts;
}

std::optional<Dateline> ParseDateline(absl::string_view line) {
  // The place: capitalized words up to ",", " (" or the dash.
  size_t i = 0;
  size_t words = 0;
  bool all_caps = true;
  size_t place_end = 0;
  while (i < line.size()) {
    const size_t word_start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != ',' && line[i] != '(') ++i;
    const absl::string_view word = line.substr(word_start, i - word_start);
    if (word.empty() || !StartsCapitalized(word) || absl::StrContains(word, ':') ||
        word == "-") {
      break;
    }
    for (char c : word) {
      if (absl::ascii_islower(static_cast<unsigned char>(c))) all_caps = false;
    }
    ++words;
    place_end = i;
    if (i < line.size() && line[i] == ' ' && i + 1 < line.size() &&
        StartsCapitalized(line.substr(i + 1)) && line[i + 1] != '(') {
      ++i;
      continue;
    }
    break;
  }
  constexpr size_t kMaxPlaceWords = 5;
  if (words == 0 || words > kMaxPlaceWords || place_end < 2) return std::nullopt;
  Dateline dateline;
  dateline.place = line.substr(0, place_end);
  i = place_end;
  bool has_date = false;
  // ", April 26", ", Feb 26", ", 26 April": a short date ending before the
  // agency or the dash.
  if (i < line.size() && line[i] == ',') {
    constexpr size_t kMaxDateBytes = 24;
    const size_t end = line.find_first_of("(-\xE2", i + 1);
    const absl::string_view date =
        absl::StripAsciiWhitespace(line.substr(i + 1, end == absl::string_view::npos
                                                          ? absl::string_view::npos
                                                          : end - i - 1));
    if (end == absl::string_view::npos || date.empty() || date.size() > kMaxDateBytes ||
        !std::any_of(date.begin(), date.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
      return std::nullopt;
    }
    has_date = true;
    i = end;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  if (i < line.size() && line[i] == '(') {
    constexpr size_t kMaxAgencyBytes = 30;
    const size_t close = line.find(')', i);
    if (close == absl::string_view::npos || close - i - 1 > kMaxAgencyBytes ||
        !StartsCapitalized(line.substr(i + 1))) {
      return std::nullopt;
    }
    dateline.agency = line.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  if (!all_caps && !has_date && dateline.agency.empty()) return std::nullopt;
  while (i < line.size() && line[i] == ' ') ++i;
  absl::string_view rest = line.substr(i);
  if (!(absl::ConsumePrefix(&rest, "--") || absl::ConsumePrefix(&rest, "-") ||
        absl::ConsumePrefix(&rest, "\u2014") || absl::ConsumePrefix(&rest, "\u2013"))) {
    return std::nullopt;
  }
  if (!rest.empty() && rest[0] != ' ') return std::nullopt;  // "U.S.-China"
  rest = absl::StripLeadingAsciiWhitespace(rest);
  dateline.length = line.size() - rest.size();
  return dateline;
}

std::optional<absl::string_view> StripBullet(absl::string_view line) {
  absl::string_view rest = line;
  const bool marked = std::any_of(std::begin(kBulletMarkers), std::end(kBulletMarkers),
                                  [&rest](absl::string_view marker) {
                                    return absl::ConsumePrefix(&rest, marker);
                                  }) ||
                      absl::ConsumePrefix(&rest, "- ") ||
                      absl::ConsumePrefix(&rest, "* ");
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (!marked || rest.empty()) return std::nullopt;
  return rest;
}

// True when `line` has letters and none of them is lower case: wire
// headlines are often set in capitals, body text never is.
bool IsAllCapitals(absl::string_view line) {
  bool letters = false;
  for (char c : line) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_islower(u)) return false;
    letters = letters || absl::ascii_isupper(u);
  }
  return letters;
}

bool IsHeadline(absl::string_view line) {
  return !line.empty() && line.back() != ':' && CountChars(line) <= kMaxHeadlineChars &&
         (IsAllCapitals(line) || !HasSentenceBreak(line));
}

std::string CleanHeadline(absl::string_view title, std::vector<std::string>* labels) {
  title = absl::StripAsciiWhitespace(title);
  absl::string_view label;
  for (absl::string_view rest = StripWireLabel(title, &label); rest.size() != title.size();
       rest = StripWireLabel(title, &label)) {
    if (labels != nullptr) labels->emplace_back(label);
    title = rest;
  }
  if (absl::EndsWith(title, ".") && !absl::EndsWith(title, "..") &&
      !HasSentenceBreak(title) && !EndsAbbreviation(title, title.size() - 1)) {
    title.remove_suffix(1);
  }
  return std::string(absl::StripTrailingAsciiWhitespace(title));
}

}  // namespace newsdesk::ingest
