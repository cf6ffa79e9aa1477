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
  std::vector<std::string> paragraphs;      // clean body, in order
  std::vector<std::string> key_points;      // "Key Points" bullets
  std::string byline;                       // as written, "" if none
  std::vector<RemovedBlock> removed_blocks; // captions, credits, tails...
  ArticleTime publish_time;                 // unknown unless evidence found
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_PARSED_ARTICLE_H_
