#include "ingest_service/parse/text_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "ingest_service/parse/paragraph_cleaner.h"

namespace newsdesk::ingest {

ParsedArticle TextParser::Parse(absl::string_view utf8_text) const {
  std::vector<Block> blocks;
  for (absl::string_view line : absl::StrSplit(utf8_text, '\n')) {
    std::string text = NormalizeSpace(line);
    if (!text.empty()) blocks.push_back({std::move(text)});
  }
  ParsedArticle article;
  CleanParagraphs(std::move(blocks), CleanerOptions(), &article);
  return article;
}

}  // namespace newsdesk::ingest
