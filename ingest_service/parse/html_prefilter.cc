#include "ingest_service/parse/html_prefilter.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/types/span.h"

namespace newsdesk::ingest {
namespace {

constexpr absl::string_view kEmptyComment = "<!---->";
constexpr size_t kNone = absl::string_view::npos;

// Start tags that end foreign content: an <svg> followed by one of them
// before its end tag is taken as unterminated.
constexpr absl::string_view kBreakoutTags[] = {
    "b",       "big",   "blockquote", "body",   "br",     "center", "code", "dd",
    "div",     "dl",    "dt",         "em",     "embed",  "h1",     "h2",   "h3",
    "h4",      "h5",    "h6",         "head",   "hr",     "i",      "img",  "li",
    "listing", "menu",  "meta",       "nobr",   "ol",     "p",      "pre",  "ruby",
    "s",       "small", "span",       "strong", "strike", "sub",    "sup",  "table",
    "tt",      "u",     "ul",         "var"};
constexpr absl::string_view kFormattingTags[] = {
    "a",    "b", "big",   "code",   "em",     "font", "i",
    "nobr", "s", "small", "strike", "strong", "tt",   "u"};
constexpr absl::string_view kVoidTags[] = {
    "area",  "base",  "basefont", "bgsound", "br",    "col",    "embed",
    "frame", "hr",    "image",    "img",     "input", "keygen", "link",
    "meta",  "param", "source",   "track",   "wbr"};
// Elements the tree builder closes by itself when a sibling opens; they never
// nest without an element of another kind between them.
constexpr absl::string_view kSelfClosingTags[] = {
    "html",   "head",     "body",    "p",  "li", "dt",    "dd",
    "option", "optgroup", "tr",      "td", "th", "thead", "tbody",
    "tfoot",  "colgroup", "caption", "rb", "rt", "rtc",   "rp"};
// Raw text ends at the element's end tag (script and plaintext differ).
constexpr absl::string_view kRawTextTags[] = {"style",    "xmp",   "iframe",  "noembed",
                                              "noframes", "title", "textarea"};
// The tree builder's special elements, as far as they reach this scan's stack.
constexpr absl::string_view kSpecialTags[] = {
    "address", "applet",  "article",  "aside",    "blockquote", "button",     "center",
    "details", "dir",     "div",      "dl",       "fieldset",   "figcaption", "figure",
    "footer",  "form",    "frameset", "h1",       "h2",         "h3",         "h4",
    "h5",      "h6",      "header",   "hgroup",   "listing",    "main",       "marquee",
    "menu",    "nav",     "noscript", "object",   "ol",         "pre",        "section",
    "select",  "summary", "table",    "template", "ul"};
// Elements that bound the scope an end tag of a special element searches.
constexpr absl::string_view kScopeTags[] = {"applet", "marquee", "object", "table",
                                            "template"};
// Tags that close a <select> inside a table.
constexpr absl::string_view kTableTags[] = {"caption", "table", "tbody", "tfoot",
                                            "thead",   "tr",    "td",    "th"};

bool In(absl::Span<const absl::string_view> list, absl::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool IsHtmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// True when html[i] ends a tag name: whitespace, '/', '>' or the end.
bool EndsTagName(absl::string_view html, size_t i) {
  return i >= html.size() || IsHtmlSpace(html[i]) || html[i] == '/' || html[i] == '>';
}

bool IsAsciiAlphaAt(absl::string_view html, size_t i) {
  return i < html.size() && absl::ascii_isalpha(static_cast<unsigned char>(html[i]));
}

// The tag name starting at `begin`, lower-cased.
std::string TagNameAt(absl::string_view html, size_t begin) {
  size_t end = begin;
  while (!EndsTagName(html, end)) ++end;
  return absl::AsciiStrToLower(html.substr(begin, end - begin));
}

// True when `html` holds the tag "<name" (or "</name" for an end tag) at `i`,
// in any case.
bool IsTagAt(absl::string_view html, size_t i, absl::string_view name, bool end_tag) {
  const size_t name_begin = i + (end_tag ? 2 : 1);
  return name_begin + name.size() <= html.size() && html[i] == '<' &&
         (!end_tag || html[i + 1] == '/') &&
         absl::EqualsIgnoreCase(html.substr(name_begin, name.size()), name) &&
         EndsTagName(html, name_begin + name.size());
}

// The first end tag "</name" at or after `from`, or kNone.
size_t FindEndTag(absl::string_view html, absl::string_view name, size_t from) {
  for (size_t at = html.find("</", from); at != kNone; at = html.find("</", at + 2)) {
    if (IsTagAt(html, at, name, /*end_tag=*/true)) return at;
  }
  return kNone;
}

// The index just past the '>' ending the tag whose name ends at `from`, or
// the end of `html`. Follows the tokenizer: quotes matter only where an
// attribute value starts.
size_t TagEnd(absl::string_view html, size_t from) {
  enum class State { kBetween, kName, kAfterName, kBeforeValue, kQuoted, kUnquoted };
  State state = State::kBetween;
  char quote = 0;
  for (size_t i = from; i < html.size(); ++i) {
    const char c = html[i];
    if (state == State::kQuoted) {
      if (c == quote) state = State::kBetween;
    } else if (c == '>') {
      return i + 1;
    } else if (state == State::kUnquoted) {
      if (IsHtmlSpace(c)) state = State::kBetween;
    } else if (state == State::kBeforeValue) {
      if (c == '"' || c == '\'') {
        quote = c;
        state = State::kQuoted;
      } else if (!IsHtmlSpace(c)) {
        state = State::kUnquoted;
      }
    } else if (c == '/') {
      state = State::kBetween;
    } else if (IsHtmlSpace(c)) {
      if (state == State::kName) state = State::kAfterName;
    } else if (c == '=' && state != State::kBetween) {
      state = State::kBeforeValue;
    } else {
      state = State::kName;
    }
  }
  return html.size();
}

// Where the text of a <script> starting at `from` ends (the start of its end
// tag, or the end of `html`), following the tokenizer's escape states: inside
// "<!--", a nested "<script>" hides the next "</script>".
size_t ScriptEnd(absl::string_view html, size_t from) {
  enum class State { kData, kEscaped, kDoubleEscaped };
  State state = State::kData;
  for (size_t i = from; i < html.size(); ++i) {
    if (html[i] == '-' && state != State::kData &&
        absl::StartsWith(html.substr(i), "-->")) {
      state = State::kData;
      i += 2;
    } else if (html[i] != '<') {
      continue;
    } else if (IsTagAt(html, i, "script", /*end_tag=*/true)) {
      if (state != State::kDoubleEscaped) return i;
      state = State::kEscaped;
    } else if (state == State::kData && absl::StartsWith(html.substr(i), "<!--")) {
      state = State::kEscaped;
      ++i;  // the dashes may also end the escape: "<!-->"
    } else if (state == State::kEscaped &&
               IsTagAt(html, i, "script", /*end_tag=*/false)) {
      state = State::kDoubleEscaped;
    }
  }
  return html.size();
}

// Where a comment starting at html[i] ("<!--") ends.
size_t CommentEnd(absl::string_view html, size_t i) {
  const size_t dashes = html.find("-->", i + 2);
  const size_t bang = html.find("--!>", i + 2);
  if (dashes == kNone && bang == kNone) return html.size();
  return dashes <= bang ? dashes + 3 : bang + 4;
}

// Where a bogus comment ("<!DOCTYPE ...>", "<?xml ...>", "</ x>") starting
// at html[i] ends.
size_t BogusCommentEnd(absl::string_view html, size_t i) {
  const size_t close = html.find('>', i + 1);
  return close == kNone ? html.size() : close + 1;
}

// Copies a document, replacing byte ranges, given in order, by an empty
// comment, which cannot merge with its neighbours into new markup.
class Splicer {
 public:
  explicit Splicer(absl::string_view text) : text_(text) {}

  void Replace(size_t begin, size_t end) {
    if (!changed_) out_.reserve(text_.size());
    out_.append(text_.data() + copied_, begin - copied_);
    out_.append(kEmptyComment.data(), kEmptyComment.size());
    copied_ = end;
    changed_ = true;
  }

  std::optional<std::string> Finish() {
    if (!changed_) return std::nullopt;
    out_.append(text_.data() + copied_, text_.size() - copied_);
    return std::move(out_);
  }

 private:
  absl::string_view text_;
  std::string out_;
  size_t copied_ = 0;
  bool changed_ = false;
};

// The next position at or after `from` where `match(html, i)` holds, for
// `from` that never decreases; linear over all calls.
template <typename Match>
class ForwardSearch {
 public:
  ForwardSearch(absl::string_view html, Match match) : html_(html), match_(match) {}

  size_t From(size_t from) {
    if (searched_ && (found_ == kNone || found_ >= from)) return found_;
    searched_ = true;
    for (found_ = html_.find('<', from); found_ != kNone;
         found_ = html_.find('<', found_ + 1)) {
      if (match_(html_, found_)) break;
    }
    return found_;
  }

 private:
  absl::string_view html_;
  Match match_;
  bool searched_ = false;
  size_t found_ = kNone;
};

bool IsBreakoutStartTag(absl::string_view html, size_t i) {
  return IsAsciiAlphaAt(html, i + 1) && In(kBreakoutTags, TagNameAt(html, i + 1));
}

// Replaces every <svg> and <math> element; see the header.
std::optional<std::string> RemoveForeignContent(absl::string_view html) {
  Splicer splicer(html);
  ForwardSearch breakout(html, IsBreakoutStartTag);
  auto end_tag_of = [](absl::string_view name) {
    return [name](absl::string_view text, size_t i) {
      return IsTagAt(text, i, name, /*end_tag=*/true);
    };
  };
  ForwardSearch svg_end(html, end_tag_of("svg"));
  ForwardSearch math_end(html, end_tag_of("math"));
  for (size_t i = html.find('<'); i != kNone; i = html.find('<', i)) {
    const bool svg = IsTagAt(html, i, "svg", /*end_tag=*/false);
    if (!svg && !IsTagAt(html, i, "math", /*end_tag=*/false)) {
      ++i;
      continue;
    }
    const size_t name_end = i + (svg ? 4 : 5);
    const size_t start_tag_end = TagEnd(html, name_end);
    const bool self_closing =
        absl::EndsWith(html.substr(name_end, start_tag_end - name_end), "/>");
    const size_t close = self_closing ? kNone
                         : svg        ? svg_end.From(start_tag_end)
                                      : math_end.From(start_tag_end);
    const bool whole_element = close != kNone && breakout.From(start_tag_end) > close;
    const size_t end =
        whole_element ? TagEnd(html, close + (name_end - i) + 1) : start_tag_end;
    splicer.Replace(i, end);
    i = end;
  }
  return splicer.Finish();
}

// The elements this scan takes to be open, innermost last.
class OpenElements {
 public:
  size_t size() const { return names_.size(); }
  const std::string& operator[](size_t k) const { return names_[k]; }

  void Push(std::string name) {
    if (name == "select" || name == "template") modes_.push_back(names_.size());
    names_.push_back(std::move(name));
  }

  // Closes the element at `k` and everything inside it.
  void CloseFrom(size_t k) {
    names_.resize(k);
    while (!modes_.empty() && modes_.back() >= k) modes_.pop_back();
  }

  // The index of the <select> the tree builder is in, if any: the innermost
  // open one with no <template> inside it.
  std::optional<size_t> OpenSelect() const {
    if (modes_.empty() || names_[modes_.back()] != "select") return std::nullopt;
    return modes_.back();
  }

  // True when a <table> encloses the element at `k` (within its template).
  bool IsInTable(size_t k) const {
    while (k-- > 0) {
      if (names_[k] == "table") return true;
      if (names_[k] == "template") return false;
    }
    return false;
  }

 private:
  std::vector<std::string> names_;
  std::vector<size_t> modes_;  // indices of open selects and templates
};

// Drops formatting tags and the tags of elements nested too deeply; see the
// header.
class NestingLimiter {
 public:
  NestingLimiter(absl::string_view html, const PrefilterOptions& options)
      : html_(html), options_(options), splicer_(html) {}

  std::optional<std::string> Run();

 private:
  // Each handles markup starting at html_[i] and returns where scanning
  // continues.
  size_t OnMarkup(size_t i);
  size_t OnTag(size_t i, bool end_tag);
  size_t OnStartTag(std::string name, size_t begin, size_t end);
  size_t OnEndTag(const std::string& name, size_t begin, size_t end);

  absl::string_view html_;
  PrefilterOptions options_;
  Splicer splicer_;
  OpenElements open_;
  absl::flat_hash_map<std::string, int> dropped_;  // start tags dropped, by name
};

std::optional<std::string> NestingLimiter::Run() {
  for (size_t i = html_.find('<'); i != kNone; i = html_.find('<', i)) i = OnMarkup(i);
  return splicer_.Finish();
}

size_t NestingLimiter::OnMarkup(size_t i) {
  const absl::string_view rest = html_.substr(i);
  if (absl::StartsWith(rest, "<!--")) return CommentEnd(html_, i);
  if (absl::StartsWith(rest, "<!") || absl::StartsWith(rest, "<?")) {
    return BogusCommentEnd(html_, i);
  }
  if (absl::StartsWith(rest, "</")) {
    if (IsAsciiAlphaAt(html_, i + 2)) return OnTag(i, /*end_tag=*/true);
    if (absl::StartsWith(rest, "</>")) return i + 3;
    return rest.size() == 2 ? html_.size() : BogusCommentEnd(html_, i);
  }
  return IsAsciiAlphaAt(html_, i + 1) ? OnTag(i, /*end_tag=*/false) : i + 1;
}

size_t NestingLimiter::OnTag(size_t i, bool end_tag) {
  const size_t name_begin = i + (end_tag ? 2 : 1);
  std::string name = TagNameAt(html_, name_begin);
  const size_t end = TagEnd(html_, name_begin + name.size());
  if (In(kFormattingTags, name)) {
    splicer_.Replace(i, end);
    return end;
  }
  return end_tag ? OnEndTag(name, i, end) : OnStartTag(std::move(name), i, end);
}

size_t NestingLimiter::OnStartTag(std::string name, size_t begin, size_t end) {
  if (const std::optional<size_t> select = open_.OpenSelect()) {
    // Inside a select the tree builder ignores most tags, and some close it.
    if (name == "select" || name == "input" || name == "keygen" || name == "textarea" ||
        (In(kTableTags, name) && open_.IsInTable(*select))) {
      open_.CloseFrom(*select);
      if (name == "select") return end;
    } else if (name != "script" && name != "template") {
      return end;
    }
  }
  if (name == "script") return ScriptEnd(html_, end);
  if (name == "plaintext") return html_.size();
  if (In(kRawTextTags, name)) {
    const size_t close = FindEndTag(html_, name, end);
    return close == kNone ? html_.size() : close;
  }
  if (In(kVoidTags, name) || In(kSelfClosingTags, name)) return end;
  if (open_.size() >= static_cast<size_t>(options_.max_depth)) {
    splicer_.Replace(begin, end);
    ++dropped_[name];
    return end;
  }
  open_.Push(std::move(name));
  return end;
}

size_t NestingLimiter::OnEndTag(const std::string& name, size_t begin, size_t end) {
  if (auto it = dropped_.find(name); it != dropped_.end() && it->second > 0) {
    splicer_.Replace(begin, end);
    --it->second;
    return end;
  }
  if (const std::optional<size_t> select = open_.OpenSelect()) {
    const bool closes_select =
        name == "select" || (In(kTableTags, name) && open_.IsInTable(*select));
    if (closes_select) open_.CloseFrom(*select);
    if (name == "select" || (!closes_select && name != "template")) return end;
  }
  // The tree builder closes the innermost open element of this name, unless
  // an element that bounds the search comes first: any special element for
  // an ordinary end tag, a scope boundary for a special one.
  const bool special = In(kSpecialTags, name);
  for (size_t k = open_.size(); k-- > 0;) {
    if (open_[k] == name) {
      open_.CloseFrom(k);
      break;
    }
    if (special ? In(kScopeTags, open_[k]) : In(kSpecialTags, open_[k])) break;
  }
  return end;
}

}  // namespace

std::optional<std::string> PrefilterHtml(absl::string_view html,
                                         const PrefilterOptions& options) {
  std::optional<std::string> without_foreign = RemoveForeignContent(html);
  const absl::string_view input = without_foreign ? *without_foreign : html;
  std::optional<std::string> limited = NestingLimiter(input, options).Run();
  return limited ? std::move(limited) : std::move(without_foreign);
}

}  // namespace newsdesk::ingest
