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

// A date expression found at the start of a line.
struct DateMatch {
  ArticleTime time;  // source kNone; evidence is the matched text
  size_t begin = 0;  // byte span of the match (label included) in the line
  size_t end = 0;
  // The line after the match, without leading spaces and separators such as
  // ",", "|" or "-"; empty when only punctuation follows.
  absl::string_view rest;
  bool labeled = false;  // the match starts with a label such as "Published"
};

// Parses `text`, which after trimming must be exactly one date expression.
// A bare year ("2022") is read with precision kYear. The result's source is
// kNone and its evidence is the trimmed text.
std::optional<ArticleTime> ParseDateExpression(absl::string_view text);

// Finds a date expression (not a bare year) at the start of `line`, after
// leading whitespace. The expression must end at a word boundary.
std::optional<DateMatch> FindDate(absl::string_view line);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_DATE_PARSER_H_
