// The IPTC Media Topics vocabulary: codes, labels, definitions, hierarchy and
// retired flags, loaded from the TSV shipped in data/iptc/. Immutable after
// loading and safe to share between threads.
#ifndef COMMON_TAXONOMY_TAXONOMY_H_
#define COMMON_TAXONOMY_TAXONOMY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk {

class Taxonomy {
 public:
  struct Topic {
    std::string code;         // "medtop:20000638"
    std::string parent_code;  // empty at the top level
    int level = 0;            // 1 at the top level
    bool retired = false;
    std::string label;        // "international relations"
    std::string definition;
  };

  // Reads the TSV written by data/iptc/to_tsv.py (header line, then qcode,
  // parent_qcode, level, retired, label_en, definition_en). `version` names
  // the release ("2025-10-09"); it is recorded on classified articles.
  static absl::StatusOr<std::unique_ptr<Taxonomy>> LoadFromFile(
      const std::string& path, std::string version);
  static absl::StatusOr<std::unique_ptr<Taxonomy>> LoadFromString(
      absl::string_view tsv, std::string version);

  // The topic with this qcode ("medtop:20000638" or "20000638") or English
  // label (case insensitive); nullptr when there is none.
  const Topic* Find(absl::string_view code_or_label) const;

  // The codes above `code`, nearest first; empty for a top-level or unknown
  // code.
  std::vector<std::string> Ancestors(absl::string_view code) const;

  // Whether `ancestor` is among the Ancestors of `code` (without building
  // them).
  bool IsBelow(absl::string_view code, absl::string_view ancestor) const;

  const std::vector<Topic>& topics() const { return topics_; }
  const std::string& version() const { return version_; }

 private:
  Taxonomy() = default;

  // Calls visit(parent code) up the hierarchy from `code`, nearest first,
  // while it returns true.
  template <typename Visit>
  void ForEachAncestor(absl::string_view code, Visit visit) const;

  std::vector<Topic> topics_;
  absl::flat_hash_map<std::string, size_t> by_code_;
  absl::flat_hash_map<std::string, size_t> by_label_;  // lower-case labels
  std::string version_;
};

}  // namespace newsdesk

#endif  // COMMON_TAXONOMY_TAXONOMY_H_
