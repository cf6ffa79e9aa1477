// Sorts the paragraph candidates of an article (the lines of a text article,
// or the blocks extracted from an HTML page) into title, body, key points,
// byline, publish time and removed blocks. TextParser and HtmlParser both end
// here, so the two apply the same boilerplate rules (line_rules.h).
//
// In order: a line that starts with a bullet is a list item; a line that is
// only a date, or in the header zone (the first 10 blocks) a labeled date
// followed by text ("date 2023-04-26 Chinese President..."), is a date line,
// and the first date line in the header zone gives the publish time (source
// kText); reading-time, share, related-links lines, "Key Points" headings and
// credited photo captions are removed; a byline in the header zone is taken.
// Then the list items after a "Key Points" heading become key points, the
// first remaining line becomes the title if it reads as a headline, a short
// line directly before a credited caption is removed as its alt text, the
// line right after the title is the standfirst when header furniture (a date
// line, byline, reading time or key points heading, with at most a photo
// before it) separates it from the body, and a
// dateline ("KYIV, April 26 (Reuters) -") opening the first body paragraph
// is removed from it. A labeled date line saying "Updated" gives the update
// time instead of the publish time.
#ifndef INGEST_SERVICE_PARSE_PARAGRAPH_CLEANER_H_
#define INGEST_SERVICE_PARSE_PARAGRAPH_CLEANER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/model/article.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/parsed_article.h"

namespace newsdesk::ingest {

// One paragraph candidate: whitespace-normalized and not empty.
struct Block {
  std::string text;
  bool list_item = false;  // known to be a list item (an HTML <li>)
  int position = 0;        // 1-based line (text) or block (HTML) number
};

// Trims `text` and turns every run of whitespace (ASCII, U+00A0 no-break
// space, U+FEFF byte order mark) into one space.
std::string NormalizeSpace(absl::string_view text);

// Appends a photo caption to `removed`: its text as kCaption and a trailing
// credit ("Source: AAP / Jane Doe") as kCredit.
void AppendCaption(absl::string_view caption, std::vector<RemovedBlock>* removed);

struct CleanerOptions {
  // Whether the first content line may become the title. HTML pages take
  // their title from markup instead.
  bool detect_title = true;
  // How numeric dates in date lines are read.
  DateOptions date_options;
  // What Block::position counts, for a time's provenance ("line 3").
  absl::string_view position_name = "line";
};

// How sure the parsers are of a time, by where it was read.
inline constexpr double kLabeledDateLineConfidence = 0.9;
inline constexpr double kDateLineConfidence = 0.85;
inline constexpr double kStructuredMetadataConfidence = 0.95;
inline constexpr double kTimeElementConfidence = 0.8;
inline constexpr double kCallerHintConfidence = 0.7;
// Taken off when a time of day is given without a zone.
inline constexpr double kNoZonePenalty = 0.05;

// Sets `time`'s confidence from `base`, less kNoZonePenalty for a time of day
// without a zone.
void SetConfidence(double base, ArticleTime* time);

// Fills `article` from `blocks`, given in document order. A title, byline or
// known publish time already in `article` is kept; paragraphs, key points and
// removed blocks are appended.
void CleanParagraphs(std::vector<Block> blocks, const CleanerOptions& options,
                     ParsedArticle* article);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_PARAGRAPH_CLEANER_H_
