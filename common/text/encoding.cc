#include "common/text/encoding.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/text/utf8.h"

namespace newsdesk::text {
namespace {

// Windows-1252 bytes 0x80-0x9F; the undefined ones map to themselves.
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// True when the bytes above 0x7F mostly stand alone, as single-byte
// accented letters and punctuation do.
bool LooksSingleByte(absl::string_view bytes) {
  size_t high = 0;
  size_t in_runs = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) continue;
    ++high;
    const bool prev = i > 0 && static_cast<unsigned char>(bytes[i - 1]) >= 0x80;
    const bool next = i + 1 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) >= 0x80;
    if (prev || next) ++in_runs;
  }
  return in_runs * 2 <= high;
}

struct NamedEntity {
  absl::string_view name;
  uint32_t code_point;
};

constexpr NamedEntity kNamedEntities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},      {"ndash", 0x2013},   {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"sbquo", 0x201A},   {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"bdquo", 0x201E},   {"hellip", 0x2026},  {"laquo", 0xAB},
    {"raquo", 0xBB},    {"middot", 0xB7},    {"bull", 0x2022},    {"copy", 0xA9},
    {"reg", 0xAE},      {"trade", 0x2122},   {"deg", 0xB0},       {"euro", 0x20AC},
    {"pound", 0xA3},    {"yen", 0xA5},       {"cent", 0xA2},      {"sect", 0xA7},
    {"eacute", 0xE9},   {"egrave", 0xE8},    {"ecirc", 0xEA},     {"euml", 0xEB},
    {"aacute", 0xE1},   {"agrave", 0xE0},    {"acirc", 0xE2},     {"auml", 0xE4},
    {"aring", 0xE5},    {"atilde", 0xE3},    {"ccedil", 0xE7},    {"iacute", 0xED},
    {"iuml", 0xEF},     {"oacute", 0xF3},    {"ocirc", 0xF4},     {"ouml", 0xF6},
    {"otilde", 0xF5},   {"oslash", 0xF8},    {"uacute", 0xFA},    {"uuml", 0xFC},
    {"ntilde", 0xF1},   {"szlig", 0xDF},     {"Eacute", 0xC9},    {"Aacute", 0xC1},
    {"Auml", 0xC4},     {"Ouml", 0xD6},      {"Uuml", 0xDC},      {"Ccedil", 0xC7},
    {"Oslash", 0xD8},   {"Ntilde", 0xD1},    {"thinsp", 0x2009},  {"ensp", 0x2002},
    {"emsp", 0x2003},   {"zwj", 0x200D},     {"zwnj", 0x200C},    {"shy", 0xAD}};

}  // namespace

std::string Windows1252ToUtf8(absl::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0xA0) {
      AppendUtf8(kWindows1252High[c - 0x80], &out);
    } else {
      AppendUtf8(c, &out);
    }
  }
  return out;
}

std::string NormalizeNfc(absl::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);  // ICU data missing: leave as is
  // ASCII is always NFC; most articles are nearly all ASCII.
  if (std::all_of(utf8.begin(), utf8.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(utf8);
  }
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (nfc->isNormalized(source, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = nfc->normalize(source, status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "\xFF\xFE") || absl::StartsWith(bytes, "\xFE\xFF")) {
    return absl::InvalidArgumentError(
        "content starts with a UTF-16 byte order mark; send UTF-8, Latin-1 or Windows-1252");
  }
  DecodedText decoded;
  if (const size_t bad = FindInvalidUtf8(bytes); bad != absl::string_view::npos) {
    if (!LooksSingleByte(bytes)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "content is not valid UTF-8 (first invalid byte at offset ", bad,
          ") and does not read as Latin-1 or Windows-1252"));
    }
    const bool c1 = std::any_of(bytes.begin(), bytes.end(), [](char c) {
      const unsigned char u = static_cast<unsigned char>(c);
      return u >= 0x80 && u < 0xA0;
    });
    decoded.source = c1 ? SourceEncoding::kWindows1252 : SourceEncoding::kLatin1;
    decoded.utf8 = NormalizeNfc(Windows1252ToUtf8(bytes));
    return decoded;
  }
  decoded.utf8 = NormalizeNfc(bytes);
  return decoded;
}

std::string DecodeHtmlEntities(absl::string_view text) {
  constexpr size_t kMaxReferenceBytes = 10;  // "&#x10FFFF;"
  if (text.find('&') == absl::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t amp = text.find('&', i);
    if (amp == absl::string_view::npos) break;
    out.append(text.data() + i, amp - i);
    i = amp + 1;
    const size_t semi = text.find(';', i);
    if (semi == absl::string_view::npos || semi - amp > kMaxReferenceBytes) {
      out.push_back('&');
      continue;
    }
    const absl::string_view name = text.substr(i, semi - i);
    uint32_t code = 0;
    bool found = false;
    if (absl::StartsWith(name, "#x") || absl::StartsWith(name, "#X")) {
      found = name.size() > 2 && absl::SimpleHexAtoi(name.substr(2), &code);
    } else if (absl::StartsWith(name, "#")) {
      found = name.size() > 1 && absl::ascii_isdigit(static_cast<unsigned char>(name[1])) &&
              absl::SimpleAtoi(name.substr(1), &code);
    } else {
      for (const NamedEntity& entity : kNamedEntities) {
        if (entity.name == name) {
          code = entity.code_point;
          found = true;
          break;
        }
      }
    }
    if (!found || code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      out.push_back('&');
      continue;
    }
    AppendUtf8(code, &out);
    i = semi + 1;
  }
  out.append(text.data() + i, text.size() - i);
  return out;
}

}  // namespace newsdesk::text
