// What the parsers treat as whitespace: ASCII whitespace, U+00A0 no-break
// space (common in scraped text) and U+FEFF byte order mark.
#ifndef INGEST_SERVICE_PARSE_WHITESPACE_H_
#define INGEST_SERVICE_PARSE_WHITESPACE_H_

#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace newsdesk::ingest {

// The byte length of the whitespace character at text[i], or 0 when there is
// none. Requires i < text.size().
inline size_t WhitespaceWidth(absl::string_view text, size_t i) {
  if (absl::ascii_isspace(static_cast<unsigned char>(text[i]))) return 1;
  const absl::string_view rest = text.substr(i);
  if (absl::StartsWith(rest, "\u00A0")) return 2;
  if (absl::StartsWith(rest, "\uFEFF")) return 3;
  return 0;
}

}  // namespace newsdesk::ingest

#endif  // INGEST_SERVICE_PARSE_WHITESPACE_H_
