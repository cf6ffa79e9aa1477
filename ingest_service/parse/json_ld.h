// Reads the few fields newsdesk needs from a page's JSON-LD (schema.org)
// metadata: an article's headline, description, datePublished, dateModified,
// author names, publisher name and inLanguage. A small
// tolerant scanner rather than a JSON parser: it follows objects and arrays
// with an explicit stack, decodes strings (\" \\ \uXXXX and the other
// escapes), skips everything else, and never fails on malformed input.
#ifndef INGEST_SERVICE_PARSE_JSON_LD_H_
#define INGEST_SERVICE_PARSE_JSON_LD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

// String fields as written in the JSON, escapes decoded.
struct JsonLdArticle {
  std::string headline;
  std::string description;
  std::string date_published;
  std::string date_modified;
  std::vector<std::string> authors;  // "author" strings or author "name"s
  std::string publisher;             // "publisher" string or its "name"
  std::string in_language;           // "inLanguage" as a string: "fr-FR"
};

// Returns the fields of the first object in `json`, the text of one
// <script type="application/ld+json"> element, whose "@type" names an article
// (NewsArticle, Article, ReportageNewsArticle, BlogPosting, Report...) and
// that has a headline or datePublished. Such objects are found at any depth,
// for example inside an "@graph" array. nullopt when there is none.
std::optional<JsonLdArticle> ReadJsonLdArticle(absl::string_view json);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_JSON_LD_H_
