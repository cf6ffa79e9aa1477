// The entry point of article parsing: picks the HTML or the text parser for a
// raw article and applies the caller's publish-time hint.
#ifndef INGEST_SERVICE_PARSE_ARTICLE_PARSER_H_
#define INGEST_SERVICE_PARSE_ARTICLE_PARSER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/model/article.h"
#include "ingest_service/parse/html_parser.h"
#include "ingest_service/parse/parsed_article.h"
#include "ingest_service/parse/text_parser.h"

namespace newsdesk::ingest {

// True when `content` is HTML: after any byte order mark and whitespace it
// starts with "<!doctype", "<html", "<head", "<body" or "<article" (in any
// case), or its first 4 KiB are dominated by tags.
bool LooksLikeHtml(absl::string_view content);

// Parses raw articles. The content must already be validated (non-empty,
// bounded, UTF-8); Parse() never fails and never invents a title or a time.
// Stateless; Parse() may be called from any number of threads.
class ArticleParser {
 public:
  // Parses raw.content as HTML when content_type is kHtml, or kAuto and
  // LooksLikeHtml(); otherwise as text. The language of the title,
  // standfirst and body is detected (language_detector.h) and kept as
  // detected_language; `language` is raw.metadata.language when given, else
  // the page's declared language, else the detected one. Numeric dates are
  // read in the order of that language (NumericDateOrderOf). When
  // raw.metadata.publish_time_hint parses, it is kept as hinted_publish_time
  // (source kCallerHint, the hint as evidence); when the content gives no
  // publish time, it is also the publish time. Then the dates the title,
  // standfirst, key points and paragraphs mention are found and resolved
  // against the publish time (mentioned_dates.h), and the paragraphs' quotes
  // with their speakers (quotes.h).
  ParsedArticle Parse(const RawArticle& raw) const;

  // OK for an empty hint or one ParseDateExpression reads (numeric dates in
  // the order of `language`'s region); otherwise INVALID_ARGUMENT, for the
  // caller to reject the request.
  static absl::Status ValidateHint(absl::string_view hint,
                                   absl::string_view language = "");

 private:
  TextParser text_parser_;
  HtmlParser html_parser_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_ARTICLE_PARSER_H_
