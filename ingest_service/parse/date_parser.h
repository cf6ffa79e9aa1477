// Reads the date and time expressions that news articles print: ISO 8601
// ("2023-04-26", "2023-04-26T14:32:00Z", "2023-04-26 14:32+02:00"), written
// dates ("March 17, 2023", "17 March 2023", "Wednesday, April 26, 2023",
// "Wed 5 Jul 2023 14.32 BST"), time-first forms ("10:42 AM GMT+1, February
// 14, 2024") and month-year ("February 2022"). A leading label such as "date",
// "Date:", "Published", "Posted on" or "Updated" may precede the expression.
//
// A zone abbreviation (UTC, GMT, BST, CET, EST, PDT...) or a numeric offset
// sets time_zone_known and the time is converted to UTC; without one the
// civil time is taken as UTC. Ambiguous abbreviations (CST, IST) are not read.
// Impossible dates and years outside [1900, 2200] are rejected.
//
// Numeric dates ("26/04/2023", "26.04.2023", "04-26-2023") are read in the
// order DateOptions gives; with the order unknown, only when one of the two
// numbers is above 12 and so says which is the day. Wire stamps such as
// "26-FEB-1987 15:01:01.79" are day-first with a month name and read as such.
//
// The scanner is a hand-written tokenizer over at most a few dozen tokens at
// the start of its input, so it costs the same on any line, never backtracks
// more than a few tokens and accepts any bytes.
#ifndef INGEST_SERVICE_PARSE_DATE_PARSER_H_
#define INGEST_SERVICE_PARSE_DATE_PARSER_H_

#include <cstddef>
#include <optional>

#include "absl/strings/string_view.h"
#include "common/model/article.h"

namespace newsdesk::ingest {

// How a numeric date such as "05/04/2023" is read.
enum class NumericDateOrder { kUnknown, kDayFirst, kMonthFirst };

struct DateOptions {
  NumericDateOrder numeric_order = NumericDateOrder::kUnknown;
};

// The numeric date order of a BCP 47 language tag's region: month first for
// the United States and a few others ("en-US", "en-PH"), day first for any
// other region ("en-GB", "en-AU", "fr-CA"). Without a region, day first for
// languages written day first everywhere ("fr", "de", "ru", "uk"...), unknown
// for others ("en").
NumericDateOrder NumericDateOrderOf(absl::string_view language_tag);

// A date expression found at the start of a line.
struct DateMatch {
  ArticleTime time;  // source kNone; evidence is the matched text
  size_t begin = 0;  // byte span of the match (label included) in the line
  size_t end = 0;
  // The line after the match, without leading spaces and separators such as
  // ",", "|" or "-"; empty when only punctuation follows.
  absl::string_view rest;
  bool labeled = false;  // the match starts with a label such as "Published"
  // The label says the time is an update: "Updated", "Last modified".
  bool update = false;
};

// Parses `text`, which after trimming must be exactly one date expression.
// A bare year ("2022") is read with precision kYear. The result's source is
// kNone and its evidence is the trimmed text.
std::optional<ArticleTime> ParseDateExpression(absl::string_view text,
                                               const DateOptions& options = {});

// Finds a date expression (not a bare year) at the start of `line`, after
// leading whitespace. The expression must end at a word boundary.
std::optional<DateMatch> FindDate(absl::string_view line,
                                  const DateOptions& options = {});

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_DATE_PARSER_H_
