#include "ingest_service/extract/topic_text.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/entities/name_key.h"

namespace newsdesk::ingest {

std::string StemWord(absl::string_view word) {
  std::string folded = entities::FoldName(word);
  const size_t n = folded.size();
  if (n >= 5 && absl::EndsWith(folded, "ies")) {
    folded.replace(n - 3, 3, "y");
  } else if (n >= 4 && folded[n - 1] == 's' && folded[n - 2] != 's' &&
             folded[n - 2] != 'u' && folded[n - 2] != 'i') {
    folded.pop_back();
  }
  return folded;
}

std::string TermKey(absl::string_view term) {
  std::vector<std::string> stems;
  for (absl::string_view word :
       absl::StrSplit(entities::FoldName(term), ' ', absl::SkipEmpty())) {
    stems.push_back(StemWord(word));
  }
  return absl::StrJoin(stems, " ");
}

}  // namespace newsdesk::ingest
