#include "ingest_service/extract/topic_dataset.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace newsdesk::ingest {

absl::StatusOr<std::vector<DatasetLine>> ParseDataset(absl::string_view text) {
  std::vector<DatasetLine> out;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto error = [line_number](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", what));
    };
    const size_t tab = line.find('\t');
    if (tab == absl::string_view::npos) return error("want labels, a tab, then the content");
    DatasetLine entry;
    entry.line_number = line_number;
    for (absl::string_view label :
         absl::StrSplit(line.substr(0, tab), ',', absl::SkipWhitespace())) {
      entry.labels.emplace_back(absl::StripAsciiWhitespace(label));
    }
    const absl::string_view escaped = line.substr(tab + 1);
    entry.content.reserve(escaped.size());
    for (size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] != '\\') {
        entry.content.push_back(escaped[i]);
        continue;
      }
      if (++i == escaped.size()) return error("content ends in a lone backslash");
      switch (escaped[i]) {
        case 'n': entry.content.push_back('\n'); break;
        case 't': entry.content.push_back('\t'); break;
        case '\\': entry.content.push_back('\\'); break;
        default: return error(absl::StrCat("unknown escape \\", escaped.substr(i, 1)));
      }
    }
    if (absl::StripAsciiWhitespace(entry.content).empty()) return error("empty content");
    out.push_back(std::move(entry));
  }
  return out;
}

absl::StatusOr<std::vector<DatasetLine>> ReadDataset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseDataset(buffer.str());
}

}  // namespace newsdesk::ingest
