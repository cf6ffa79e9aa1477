#include "common/model/publish_time_hints.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace newsdesk {

absl::StatusOr<PublishTimeHints> ParsePublishTimeHints(absl::string_view text,
                                                       absl::string_view origin) {
  PublishTimeHints hints;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::MaxSplits('\t', 1));
    const absl::string_view name = absl::StripAsciiWhitespace(fields[0]);
    const absl::string_view hint =
        fields.size() < 2 ? absl::string_view() : absl::StripAsciiWhitespace(fields[1]);
    if (name.empty() || hint.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          origin, " line ", number, ": want a file name, a tab and a publish-time hint"));
    }
    if (!hints.emplace(std::string(name), std::string(hint)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, " line ", number, ": ", name, " is given twice"));
    }
  }
  return hints;
}

absl::StatusOr<PublishTimeHints> ReadPublishTimeHints(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParsePublishTimeHints(text.str(), path);
}

}  // namespace newsdesk
