// Decoding of JSON string literals, for the small JSON readers of the
// project (JSON-LD in HTML pages, Debian's iso-codes files).
#ifndef COMMON_TEXT_JSON_STRING_H_
#define COMMON_TEXT_JSON_STRING_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::text {

// Decodes the JSON string whose opening quote is at json[*i] and moves *i
// past its closing quote (or to the end of unterminated input). Escapes are
// decoded, surrogate pairs joined; a malformed \u escape or a lone surrogate
// becomes U+FFFD, an unknown escape its character.
std::string ReadJsonString(absl::string_view json, size_t* i);

}  // namespace newsdesk::text

#endif  // COMMON_TEXT_JSON_STRING_H_
