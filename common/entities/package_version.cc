#include "common/entities/package_version.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace newsdesk::entities {

std::string PackageVersionFromStatus(absl::string_view package,
                                     absl::string_view status_file) {
  // Stanzas are separated by blank lines; each has Package:, Status: and
  // Version: fields among others.
  for (absl::string_view stanza : absl::StrSplit(status_file, "\n\n")) {
    bool named = false, installed = false;
    absl::string_view version;
    for (absl::string_view line : absl::StrSplit(stanza, '\n')) {
      absl::string_view value = line;
      if (absl::ConsumePrefix(&value, "Package: ")) {
        named = value == package;
      } else if (absl::ConsumePrefix(&value, "Status: ")) {
        installed = absl::EndsWith(value, " installed");
      } else if (absl::ConsumePrefix(&value, "Version: ")) {
        version = value;
      }
    }
    if (named && installed && !version.empty()) return std::string(version);
  }
  return "unknown";
}

std::string InstalledPackageVersion(absl::string_view package,
                                    const std::string& status_path) {
  std::ifstream in(status_path, std::ios::binary);
  if (!in) return "unknown";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return PackageVersionFromStatus(package, buffer.str());
}

}  // namespace newsdesk::entities
