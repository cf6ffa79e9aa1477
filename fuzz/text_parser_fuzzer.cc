// Feeds arbitrary bytes to the article parser as plain text, with each
// numeric date order or no language (so the detected one decides), so the
// text parser, wrapped-line joining, line rules, date lines, datelines,
// language detection, mentioned dates and quotes all see them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest_service/parse/article_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const newsdesk::ingest::ArticleParser parser;
  newsdesk::RawArticle raw;
  raw.content.assign(reinterpret_cast<const char*>(data), size);
  raw.content_type = newsdesk::ContentType::kText;
  raw.metadata.language = size % 3 == 0 ? "en-US" : size % 3 == 1 ? "en-GB" : "";
  raw.metadata.publish_time_hint = "2023-04-26";
  parser.Parse(raw);
  return 0;
}
