// An English word list (Debian's wamerican, /usr/share/dict/american-english)
// read as evidence about names: a word listed in lower case is a common word,
// one listed capitalised is a proper name ("Aberdeen", "Abigail").
#ifndef INGEST_SERVICE_EXTRACT_WORD_LIST_H_
#define INGEST_SERVICE_EXTRACT_WORD_LIST_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

inline constexpr char kDefaultWordListPath[] = "/usr/share/dict/american-english";

class WordList {
 public:
  enum Kind : uint8_t { kCommon = 1, kProper = 2 };

  // Reads one word a line; possessive entries ("Aachen's") are skipped. An
  // empty path or unreadable file gives an empty list (loaded() false).
  static WordList Load(const std::string& path);

  // The Kind bits of a word by its NameKey; 0 when not listed.
  uint8_t Lookup(absl::string_view key) const {
    auto it = kinds_.find(key);
    return it == kinds_.end() ? 0 : it->second;
  }
  bool loaded() const { return !kinds_.empty(); }

 private:
  absl::flat_hash_map<std::string, uint8_t> kinds_;
};

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_WORD_LIST_H_
