// Parses HTML article pages with gumbo.
//
//   title         JSON-LD (News)Article "headline", else og:title, else the
//                 <h1> of the <article>, else <title> without a " - Site" or
//                 " | Site" suffix; wire prefixes removed (CleanHeadline).
//   publish_time  JSON-LD datePublished, else <meta property=
//                 "article:published_time">, else a date/pubdate meta tag or
//                 itemprop="datePublished", else the first <time datetime>;
//                 source kHtmlMetadata.
//   update_time   JSON-LD dateModified, else article:modified_time.
//   byline        JSON-LD author names, else <meta name="author">; authors
//                 the same names.
//   standfirst    JSON-LD description, else og:description or description
//                 (the first body block is dropped when it repeats it).
//   outlet        JSON-LD publisher name, else og:site_name.
//   page_language JSON-LD inLanguage, else <html lang>, else og:locale, as a
//                 BCP 47 tag ("fr_FR" becomes "fr-FR").
//   body          the <p>, <h2>, <h3> and <li> blocks of the <article>, else of
//                 <main>, else of the element holding the most <p> text;
//                 navigation, header, footer, aside, scripts, forms, media and
//                 elements whose class or id mentions ads, sharing, related
//                 links, comments, newsletters or promotions are skipped, and
//                 figure captions become removed blocks.
//
// The blocks then go through CleanParagraphs (paragraph_cleaner.h) like the
// lines of a text article, which also supplies a byline or a date line when
// the markup had none. Gumbo sees the page only after PrefilterHtml
// (html_prefilter.h) has removed what makes it abort or slow down, and the
// tree is walked with explicit stacks, so no input exhausts the stack.
#ifndef INGEST_SERVICE_PARSE_HTML_PARSER_H_
#define INGEST_SERVICE_PARSE_HTML_PARSER_H_

#include "absl/strings/string_view.h"
#include "ingest_service/parse/date_parser.h"
#include "ingest_service/parse/parsed_article.h"

namespace newsdesk::ingest {

// Stateless; Parse() may be called from any number of threads.
class HtmlParser {
 public:
  // `html` is any UTF-8 text; parsing never fails. Entities are decoded.
  // `date_options` say how numeric dates are read; when their order is
  // unknown, the order of the page's language region is used
  // (NumericDateOrderOf).
  ParsedArticle Parse(absl::string_view html, const DateOptions& date_options = {}) const;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_HTML_PARSER_H_
