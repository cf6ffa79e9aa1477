// Checks on raw bytes before any parsing: valid UTF-8, and whether the bytes
// look like binary data rather than text; and UTF-8 encoding of a code point.
#ifndef COMMON_TEXT_UTF8_H_
#define COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace newsdesk::text {

// Returns the byte offset of the first invalid UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are invalid), or npos
// when `s` is valid UTF-8.
size_t FindInvalidUtf8(absl::string_view s);
inline bool IsValidUtf8(absl::string_view s) {
  return FindInvalidUtf8(s) == absl::string_view::npos;
}

// True when `s` holds a NUL byte or when more than 1% of its bytes are C0
// control characters other than tab, line feed, form feed and carriage
// return: the signature of binary data.
bool LooksBinary(absl::string_view s);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF; callers
// reject surrogates) to `out`.
void AppendUtf8(uint32_t code_point, std::string* out);

}  // namespace newsdesk::text

#endif  // COMMON_TEXT_UTF8_H_
