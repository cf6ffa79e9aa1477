// Feeds arbitrary bytes to the article parser as HTML: the prefilter,
// gumbo, metadata and JSON-LD readers, body extraction and the cleaner.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest_service/parse/article_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const newsdesk::ingest::ArticleParser parser;
  newsdesk::RawArticle raw;
  raw.content.assign(reinterpret_cast<const char*>(data), size);
  raw.content_type = newsdesk::ContentType::kHtml;
  parser.Parse(raw);
  return 0;
}
