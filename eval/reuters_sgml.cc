#include "eval/reuters_sgml.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/text/utf8.h"

namespace newsdesk::eval {
namespace {

// The text between <tag...> and </tag> inside `element`, or "".
absl::string_view Element(absl::string_view element, absl::string_view tag) {
  const std::string open = absl::StrCat("<", tag);
  size_t start = element.find(open);
  while (start != absl::string_view::npos) {
    const char next = start + open.size() < element.size() ? element[start + open.size()] : 0;
    if (next == '>' || next == ' ') break;
    start = element.find(open, start + 1);
  }
  if (start == absl::string_view::npos) return "";
  const size_t content = element.find('>', start);
  const size_t close = element.find(absl::StrCat("</", tag, ">"), content);
  if (content == absl::string_view::npos || close == absl::string_view::npos) return "";
  return element.substr(content + 1, close - content - 1);
}

// The value of attribute `name` in the start tag at the front of `element`.
std::string Attribute(absl::string_view element, absl::string_view name) {
  const absl::string_view tag = element.substr(0, element.find('>'));
  const std::string key = absl::StrCat(name, "=\"");
  const size_t at = tag.find(key);
  if (at == absl::string_view::npos) return "";
  const size_t end = tag.find('"', at + key.size());
  return std::string(tag.substr(at + key.size(), end - at - key.size()));
}

// Decodes &lt; &gt; &amp; and &#N;, drops control codes other than newline
// and tab, and reads bytes above 0x7F as Latin-1.
std::string Decode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '&') {
      const size_t semi = text.find(';', i);
      if (semi != absl::string_view::npos && semi - i <= 6) {
        absl::string_view name = text.substr(i + 1, semi - i - 1);
        unsigned int code = 0;
        if (name == "lt") {
          out.push_back('<');
        } else if (name == "gt") {
          out.push_back('>');
        } else if (name == "amp") {
          out.push_back('&');
        } else if (absl::ConsumePrefix(&name, "#") && absl::SimpleAtoi(name, &code)) {
          if (code >= 0x20 && code < 0x100) text::AppendUtf8(code, &out);
        } else {
          out.push_back('&');
          continue;
        }
        i = semi;
        continue;
      }
    }
    if (c < 0x20 && c != '\n' && c != '\t') continue;
    text::AppendUtf8(c, &out);
  }
  return out;
}

}  // namespace

std::vector<ReutersStory> ReadReutersSgml(absl::string_view sgml) {
  std::vector<ReutersStory> stories;
  for (size_t start = sgml.find("<REUTERS "); start != absl::string_view::npos;
       start = sgml.find("<REUTERS ", start + 1)) {
    const size_t end = sgml.find("</REUTERS>", start);
    if (end == absl::string_view::npos) break;
    const absl::string_view element = sgml.substr(start, end - start);
    ReutersStory story;
    story.new_id = Attribute(element, "NEWID");
    story.lewis_split = Attribute(element, "LEWISSPLIT");
    story.date = std::string(absl::StripAsciiWhitespace(Decode(Element(element, "DATE"))));
    const absl::string_view text = Element(element, "TEXT");
    story.title = Decode(Element(text, "TITLE"));
    story.dateline = Decode(Element(text, "DATELINE"));
    const absl::string_view body = Element(text, "BODY");
    story.body = Decode(body.empty() && story.title.empty() ? text : body);
    stories.push_back(std::move(story));
  }
  return stories;
}

std::vector<std::filesystem::path> ReutersSgmlFiles(const std::filesystem::path& corpus) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const fs::path& dir : {corpus / "original", corpus}) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (absl::StartsWith(name, "reut2-") && absl::EndsWith(name, ".sgm")) {
        files.push_back(entry.path());
      }
    }
    if (!files.empty()) break;
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace newsdesk::eval
