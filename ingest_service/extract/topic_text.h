// How the topic classifiers and the key phrase extractor read words: folded
// (case and diacritics, common/entities FoldName) with a plural ending
// dropped, so "Talks", "talks" and "talk" are one word.
#ifndef INGEST_SERVICE_EXTRACT_TOPIC_TEXT_H_
#define INGEST_SERVICE_EXTRACT_TOPIC_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

// "talks" -> "talk", "casualties" -> "casualty"; "crisis", "us" and "bus"
// stay as they are.
std::string StemWord(absl::string_view word);

// The stems of the words of `term` joined by single spaces; hyphens and
// other punctuation separate words.
std::string TermKey(absl::string_view term);

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_EXTRACT_TOPIC_TEXT_H_
