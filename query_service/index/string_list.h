// A short list of distinct strings kept in one buffer: each string followed
// by a NUL byte, in the order added. An entity's spellings are one of these:
// one allocation (none while they fit a std::string's own space) instead of
// a vector and a string each. Strings holding a NUL byte are not kept whole
// (they come back split); article text with NUL bytes is refused at ingest.
#ifndef QUERY_SERVICE_INDEX_STRING_LIST_H_
#define QUERY_SERVICE_INDEX_STRING_LIST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsdesk::query {

class StringList {
 public:
  // Adds `s` at the end unless the list holds it; true when added.
  bool Add(absl::string_view s) {
    if (Contains(s)) return false;
    bytes_.append(s.data(), s.size());
    bytes_.push_back('\0');
    return true;
  }

  bool Contains(absl::string_view s) const {
    bool found = false;
    ForEach([&found, s](absl::string_view each) { found = found || each == s; });
    return found;
  }

  // Calls fn(string) for each string, in the order added.
  template <typename Fn>
  void ForEach(Fn fn) const {
    size_t begin = 0;
    for (size_t i = 0; i < bytes_.size(); ++i) {
      if (bytes_[i] != '\0') continue;
      fn(absl::string_view(bytes_).substr(begin, i - begin));
      begin = i + 1;
    }
  }

  std::vector<std::string> ToVector() const {
    std::vector<std::string> out;
    ForEach([&out](absl::string_view s) { out.emplace_back(s); });
    return out;
  }

  bool empty() const { return bytes_.empty(); }
  void clear() { bytes_ = std::string(); }
  // Heap bytes held (none while the buffer fits in the string itself).
  size_t HeapBytes() const { return bytes_.capacity() > 15 ? bytes_.capacity() + 1 : 0; }

 private:
  std::string bytes_;
};

}  // namespace newsdesk::query

#endif  // QUERY_SERVICE_INDEX_STRING_LIST_H_
