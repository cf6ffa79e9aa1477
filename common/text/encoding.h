// Turns the bytes a caller sends into the one text form the parsers read:
// UTF-8 in Unicode Normalization Form C. Content that is not valid UTF-8 is
// read as Windows-1252, the superset of Latin-1 that the WHATWG Encoding
// Standard also uses for the "iso-8859-1" label, when its bytes look like
// it: bytes above 0x7F standing mostly alone between ASCII bytes, as
// accented letters and typographic quotes do. Runs of such bytes are the
// mark of a multi-byte encoding (Shift_JIS, GBK, UTF-16) and are refused.
// HTML character references are decoded in text (DecodeHtmlEntities); HTML
// pages have theirs decoded by the HTML parser.
#ifndef COMMON_TEXT_ENCODING_H_
#define COMMON_TEXT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsdesk::text {

enum class SourceEncoding { kUtf8, kLatin1, kWindows1252 };

struct DecodedText {
  std::string utf8;  // NFC
  SourceEncoding source = SourceEncoding::kUtf8;
};

// Decodes `bytes` as described above and normalizes to NFC. A UTF-8 byte
// order mark is kept (the parsers treat it as whitespace). INVALID_ARGUMENT
// when the bytes are neither UTF-8 nor plausibly Latin-1/Windows-1252, or
// start with a UTF-16 byte order mark.
absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes);

// Windows-1252 bytes as UTF-8; bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, which
// the code page leaves undefined, become U+0081 and so on, as in WHATWG.
// Latin-1 text is the same bytes without 0x80-0x9F.
std::string Windows1252ToUtf8(absl::string_view bytes);

// `utf8` in Normalization Form C: "e" + U+0301 becomes "é", so one name
// written two ways is one string. Invalid UTF-8 is replaced by U+FFFD.
std::string NormalizeNfc(absl::string_view utf8);

// Decodes HTML character references in text scraped from a page: numeric
// ("&#8217;", "&#x2019;") and the named ones news text uses ("&amp;",
// "&quot;", "&nbsp;", "&rsquo;", "&mdash;", "&eacute;"...). Unknown names,
// references without ';' and invalid code points are left as written.
std::string DecodeHtmlEntities(absl::string_view text);

}  // namespace newsdesk::text

#endif  // COMMON_TEXT_ENCODING_H_
