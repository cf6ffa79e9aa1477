#include "ingest_service/parse/json_ld.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "common/text/json_string.h"

namespace newsdesk::ingest {
namespace {

// Deeper JSON is not metadata; the scan stops there.
constexpr size_t kMaxDepth = 64;

struct Frame {
  bool is_object = false;
  bool expect_key = true;   // objects: the next string is a key
  std::string key;          // objects: the key of the value being read
  std::string entered_key;  // the key this container is the value of
  bool article = false;
  JsonLdArticle fields;

  bool Found() const {
    return article && (!fields.headline.empty() || !fields.date_published.empty());
  }
};

bool IsArticleType(absl::string_view type) {
  return absl::EndsWith(type, "Article") || absl::EndsWith(type, "BlogPosting") ||
         absl::EndsWith(type, "Report");
}

// Follows the nesting of objects and arrays and collects the wanted fields
// into the frame of the object that holds them.
class Scanner {
 public:
  std::optional<JsonLdArticle> Run(absl::string_view json);

 private:
  // The key whose value is being read: an object's current key, or for an
  // array the key the array is the value of.
  absl::string_view ContextKey() const;
  // The innermost object at or below stack index `from`, or -1.
  int ObjectBelow(int from) const;
  void OnString(std::string value);

  std::vector<Frame> stack_;
};

std::optional<JsonLdArticle> Scanner::Run(absl::string_view json) {
  for (size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (c == '"') {
      std::string text = text::ReadJsonString(json, &i);
      if (!stack_.empty() && stack_.back().is_object && stack_.back().expect_key) {
        stack_.back().key = std::move(text);
        stack_.back().expect_key = false;
      } else {
        OnString(std::move(text));
      }
      continue;
    }
    ++i;
    if (c == '{' || c == '[') {
      if (stack_.size() == kMaxDepth) break;
      Frame frame;
      frame.is_object = c == '{';
      frame.entered_key = std::string(ContextKey());
      stack_.push_back(std::move(frame));
    } else if ((c == '}' || c == ']') && !stack_.empty()) {
      Frame done = std::move(stack_.back());
      stack_.pop_back();
      if (done.Found()) return std::move(done.fields);
    } else if (c == ',' && !stack_.empty() && stack_.back().is_object) {
      stack_.back().expect_key = true;
    }
  }
  // Truncated or too deep: settle for an open article object.
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    if (it->Found()) return std::move(it->fields);
  }
  return std::nullopt;
}

absl::string_view Scanner::ContextKey() const {
  if (stack_.empty()) return "";
  return stack_.back().is_object ? stack_.back().key : stack_.back().entered_key;
}

int Scanner::ObjectBelow(int from) const {
  for (int i = from; i >= 0; --i) {
    if (stack_[i].is_object) return i;
  }
  return -1;
}

void Scanner::OnString(std::string value) {
  const absl::string_view key = ContextKey();
  const int holder = ObjectBelow(static_cast<int>(stack_.size()) - 1);
  if (holder < 0) return;
  Frame& object = stack_[holder];
  if (key == "@type") {
    object.article = object.article || IsArticleType(value);
  } else if (key == "headline" && object.fields.headline.empty()) {
    object.fields.headline = std::move(value);
  } else if (key == "datePublished" && object.fields.date_published.empty()) {
    object.fields.date_published = std::move(value);
  } else if (key == "dateModified" && object.fields.date_modified.empty()) {
    object.fields.date_modified = std::move(value);
  } else if (key == "description" && object.fields.description.empty()) {
    object.fields.description = std::move(value);
  } else if (key == "inLanguage" && object.fields.in_language.empty()) {
    object.fields.in_language = std::move(value);
  } else if (key == "author") {
    object.fields.authors.push_back(std::move(value));
  } else if (key == "name" && object.entered_key == "author") {
    const int article = ObjectBelow(holder - 1);
    if (article >= 0) stack_[article].fields.authors.push_back(std::move(value));
  } else if (key == "publisher") {
    if (object.fields.publisher.empty()) object.fields.publisher = std::move(value);
  } else if (key == "name" && object.entered_key == "publisher") {
    const int article = ObjectBelow(holder - 1);
    if (article >= 0 && stack_[article].fields.publisher.empty()) {
      stack_[article].fields.publisher = std::move(value);
    }
  }
}

}  // namespace

std::optional<JsonLdArticle> ReadJsonLdArticle(absl::string_view json) {
  return Scanner().Run(json);
}

}  // namespace newsdesk::ingest
