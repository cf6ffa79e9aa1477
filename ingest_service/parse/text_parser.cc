#include "ingest_service/parse/text_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/text/encoding.h"
#include "ingest_service/parse/paragraph_cleaner.h"

namespace newsdesk::ingest {

ParsedArticle TextParser::Parse(absl::string_view utf8_text,
                                const DateOptions& date_options) const {
  std::vector<Block> blocks;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(utf8_text, '\n')) {
    ++line_number;
    std::string text = NormalizeSpace(newsdesk::text::DecodeHtmlEntities(line));
    if (!text.empty()) blocks.push_back({std::move(text), false, line_number});
  }
  ParsedArticle article;
  CleanerOptions options;
  options.date_options = date_options;
  CleanParagraphs(std::move(blocks), options, &article);
  return article;
}

}  // namespace newsdesk::ingest
