// What the parsers make of a raw article's content: the text fields of an
// article before entities and topics are extracted.
#ifndef INGEST_SERVICE_PARSE_PARSED_ARTICLE_H_
#define INGEST_SERVICE_PARSE_PARSED_ARTICLE_H_

#include <string>
#include <vector>

#include "common/model/article.h"

namespace newsdesk::ingest {

struct ParsedArticle {
  std::string title;                        // wire prefixes removed
  std::vector<std::string> title_labels;    // the prefixes: "BREAKING", "UPDATE 2"
  std::string standfirst;                   // "" if none
  std::vector<std::string> paragraphs;      // clean body, in order
  std::vector<std::string> key_points;      // "Key Points" bullets
  std::string byline;                       // as written, "" if none
  std::vector<std::string> authors;         // names from the byline or metadata
  std::string outlet;                       // from the byline, dateline or metadata
  std::string dateline_place;               // "KYIV", "" if none
  std::vector<RemovedBlock> removed_blocks; // captions, credits, tails...
  ArticleTime publish_time;                 // unknown unless evidence found
  ArticleTime update_time;                  // unknown unless evidence found
  ArticleTime hinted_publish_time;          // the caller's hint, when given
  std::vector<MentionedDate> mentioned_dates;  // see mentioned_dates.h
  std::vector<Quote> quotes;                   // see quotes.h; not yet linked
  std::string page_language;  // an HTML page's declared language, "" if none
  // The caller's language, else page_language, else detected_language.
  std::string language;
  LanguageSource language_source = LanguageSource::kUnspecified;
  std::string detected_language = "und";  // see language_detector.h
  double detected_language_confidence = 0;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_PARSED_ARTICLE_H_
