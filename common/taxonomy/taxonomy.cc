#include "common/taxonomy/taxonomy.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace newsdesk {

absl::StatusOr<std::unique_ptr<Taxonomy>> Taxonomy::LoadFromFile(
    const std::string& path, std::string version) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read taxonomy file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return LoadFromString(buffer.str(), std::move(version));
}

absl::StatusOr<std::unique_ptr<Taxonomy>> Taxonomy::LoadFromString(
    absl::string_view tsv, std::string version) {
  std::unique_ptr<Taxonomy> taxonomy(new Taxonomy());
  taxonomy->version_ = std::move(version);
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_number;
    if (line_number == 1 || line.empty()) continue;  // header
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 5) {
      return absl::InvalidArgumentError(
          absl::StrCat("taxonomy line ", line_number, " has ", cols.size(),
                       " columns, want at least 5"));
    }
    Topic topic;
    topic.code = std::string(cols[0]);
    topic.parent_code = std::string(cols[1]);
    if (!absl::SimpleAtoi(cols[2], &topic.level)) {
      return absl::InvalidArgumentError(
          absl::StrCat("taxonomy line ", line_number, ": bad level"));
    }
    topic.retired = cols[3] == "1";
    topic.label = std::string(cols[4]);
    if (cols.size() > 5) topic.definition = std::string(cols[5]);
    const size_t index = taxonomy->topics_.size();
    taxonomy->by_code_[topic.code] = index;
    // Active topics win a label shared with a retired one.
    std::string label = absl::AsciiStrToLower(topic.label);
    auto it = taxonomy->by_label_.find(label);
    if (it == taxonomy->by_label_.end() ||
        (taxonomy->topics_[it->second].retired && !topic.retired)) {
      taxonomy->by_label_[label] = index;
    }
    taxonomy->topics_.push_back(std::move(topic));
  }
  if (taxonomy->topics_.empty()) return absl::InvalidArgumentError("taxonomy is empty");
  return taxonomy;
}

const Taxonomy::Topic* Taxonomy::Find(absl::string_view code_or_label) const {
  std::string key(absl::StripAsciiWhitespace(code_or_label));
  auto it = by_code_.find(key);
  if (it == by_code_.end()) it = by_code_.find(absl::StrCat("medtop:", key));
  if (it != by_code_.end()) return &topics_[it->second];
  auto by_label = by_label_.find(absl::AsciiStrToLower(key));
  if (by_label != by_label_.end()) return &topics_[by_label->second];
  return nullptr;
}

template <typename Visit>
void Taxonomy::ForEachAncestor(absl::string_view code, Visit visit) const {
  auto it = by_code_.find(code);
  // The hierarchy is at most six levels deep; the bound guards against a
  // malformed file with a cycle.
  for (int guard = 0; it != by_code_.end() && guard < 16; ++guard) {
    const std::string& parent = topics_[it->second].parent_code;
    if (parent.empty() || !visit(parent)) break;
    it = by_code_.find(parent);
  }
}

std::vector<std::string> Taxonomy::Ancestors(absl::string_view code) const {
  std::vector<std::string> out;
  ForEachAncestor(code, [&out](const std::string& parent) {
    out.push_back(parent);
    return true;
  });
  return out;
}

bool Taxonomy::IsBelow(absl::string_view code, absl::string_view ancestor) const {
  bool below = false;
  ForEachAncestor(code, [&](const std::string& parent) {
    below = parent == ancestor;
    return !below;
  });
  return below;
}

}  // namespace newsdesk
