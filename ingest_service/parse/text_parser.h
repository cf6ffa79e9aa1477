// Parses plain-text articles as scraped from web pages or wire feeds: HTML
// character references left in the text ("&amp;", "&#8217;") are decoded,
// then every non-empty line is a paragraph candidate, sorted by CleanParagraphs
// (paragraph_cleaner.h) into title, body, key points, byline, publish time and
// removed boilerplate. The title is never invented: when the first content
// line does not read as a headline, the title stays empty; likewise the
// publish time stays unknown unless a date line near the top gives it.
//
// Hard-wrapped text (wires and e-mail feeds wrap at 65-80 columns: at least
// three lines of 40 characters or more, a third of them ending in the middle
// of a sentence, and nearly none over 100) has its
// wrapped lines joined back into paragraphs first. A line continues the one
// before it unless a blank line separates them, it is indented deeper (a new
// paragraph; any indentation, when some lines of prose are indented and
// others not, as wires indent the first line of each paragraph), the line before is shorter than half the wrap width (a
// paragraph's last line) or ends in a photo credit, or either is a unit of
// its own: the title line, a date line, a byline, a list item, a "Key
// Points" heading, a reading-time, share or related-links line, a row of a
// table (a gap of three spaces or a tab), or a line opening with a dateline.
#ifndef INGEST_SERVICE_PARSE_TEXT_PARSER_H_
#define INGEST_SERVICE_PARSE_TEXT_PARSER_H_

#include "absl/strings/string_view.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/parsed_article.h"

namespace newsdesk::ingest {

// Stateless; Parse() may be called from any number of threads.
class TextParser {
 public:
  // `utf8_text` is any UTF-8 text; parsing never fails. `date_options` say
  // how numeric dates are read.
  ParsedArticle Parse(absl::string_view utf8_text,
                      const DateOptions& date_options = {}) const;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_TEXT_PARSER_H_
