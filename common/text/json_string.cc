#include "common/text/json_string.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/text/utf8.h"

namespace newsdesk::text {
namespace {

constexpr uint32_t kReplacementCharacter = 0xFFFD;

// Reads the four hex digits of a \u escape at json[*i]; -1 if malformed.
int32_t ReadHex4(absl::string_view json, size_t* i) {
  if (*i + 4 > json.size()) return -1;
  int32_t value = 0;
  for (size_t k = 0; k < 4; ++k) {
    const char c = json[*i + k];
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return -1;
    value = value * 16 +
            (absl::ascii_isdigit(static_cast<unsigned char>(c))
                 ? c - '0'
                 : absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10);
  }
  *i += 4;
  return value;
}

// Decodes the \uXXXX escape (and a following low surrogate) at json[*i],
// just after the 'u'.
uint32_t ReadUnicodeEscape(absl::string_view json, size_t* i) {
  const int32_t unit = ReadHex4(json, i);
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return kReplacementCharacter;
  if (unit < 0xD800 || unit > 0xDBFF) return static_cast<uint32_t>(unit);
  size_t next = *i + 2;
  if (!absl::StartsWith(json.substr(*i), "\\u")) return kReplacementCharacter;
  const int32_t low = ReadHex4(json, &next);
  if (low < 0xDC00 || low > 0xDFFF) return kReplacementCharacter;
  *i = next;
  return 0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
         (static_cast<uint32_t>(low) - 0xDC00);
}

}  // namespace

std::string ReadJsonString(absl::string_view json, size_t* i) {
  std::string out;
  size_t k = *i + 1;
  while (k < json.size() && json[k] != '"') {
    if (json[k] != '\\' || k + 1 == json.size()) {
      out.push_back(json[k++]);
      continue;
    }
    const char escape = json[k + 1];
    k += 2;
    switch (escape) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u':
        AppendUtf8(ReadUnicodeEscape(json, &k), &out);
        break;
      default:
        out.push_back(escape);
        break;  // \" \\ \/ and unknown escapes
    }
  }
  *i = k < json.size() ? k + 1 : k;
  return out;
}

}  // namespace newsdesk::text
