#include "ingest_service/parse/text_parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text/encoding.h"
#include "ingest_service/parse/line_rules.h"
#include "ingest_service/parse/paragraph_cleaner.h"
#include "ingest_service/parse/whitespace.h"

namespace newsdesk::ingest {
namespace {

// Hard-wrapped text has (almost) no line longer than this many characters.
constexpr size_t kMaxWrapColumns = 100;
// ... and at least this many lines of prose, this long.
constexpr size_t kMinProseColumns = 40;
constexpr int kMinProseLines = 3;
// ... of which at least this share end in the middle of a sentence: text
// with one paragraph per line has (almost) none.
constexpr double kMinOpenShare = 1.0 / 3;
constexpr int kMinOpenLines = 2;
// A line shorter than this share of the wrap width ends its paragraph.
constexpr double kMinFullShare = 0.5;
// Whitespace runs this long inside a line set out columns of a table.
constexpr absl::string_view kColumnGap = "   ";

// One line of the content, entities decoded and whitespace normalized.
struct Line {
  absl::string_view raw;  // as sent, without the line end and trailing spaces
  std::string text;       // empty for a blank line
  size_t indent = 0;      // leading whitespace characters
  size_t columns = 0;     // characters of `raw`; set by WrapOf
  int number = 0;         // 1-based
  bool open = false;      // ends in the middle of a sentence
};

// How hard-wrapped text is laid out.
struct Wrap {
  size_t width = 0;  // columns
  // Paragraphs open with an indented line and go on unindented (Reuters):
  // any indented line opens a paragraph (or a row of a table).
  bool indented_paragraphs = false;
};

// True when `text` ends in a letter, a comma or a hyphen: in the middle of
// a sentence. (A final number may close a date line.)
bool EndsOpen(absl::string_view text) {
  if (text.empty()) return false;
  const unsigned char last = static_cast<unsigned char>(text.back());
  if (last < 0x80) return absl::ascii_isalpha(last) || last == ',' || last == '-';
  for (absl::string_view closing : {"\u201D", "\u2019", "\u2026", "\u00BB"}) {
    if (absl::EndsWith(text, closing)) return false;
  }
  return true;  // a letter outside ASCII
}

size_t CountCharacters(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

Line ReadLine(absl::string_view raw, int number) {
  Line line;
  line.number = number;
  while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  size_t i = 0;
  while (i < raw.size()) {
    const size_t width = WhitespaceWidth(raw, i);
    if (width == 0) break;
    ++line.indent;
    i += width;
  }
  line.raw = raw;
  line.text = NormalizeSpace(newsdesk::text::DecodeHtmlEntities(raw));
  line.open = EndsOpen(line.text);
  return line;
}

// The layout of hard-wrapped text (its width is its longest line up to
// kMaxWrapColumns), or nullopt when the text is not hard-wrapped: it has
// fewer than kMinProseLines lines of prose after the first line (a title
// ends in no punctuation), too few of them end in the middle of a sentence,
// or more than a tenth of its lines are longer than kMaxWrapColumns. Sets
// the lines' columns unless told apart sooner.
std::optional<Wrap> WrapOf(std::vector<Line>* lines_ptr) {
  std::vector<Line>& lines = *lines_ptr;
  // Most texts have one paragraph per line and end (almost) every line
  // with punctuation: they are told apart before any characters are
  // counted.
  int open_candidates = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].open && lines[i].raw.size() >= kMinProseColumns) ++open_candidates;
  }
  if (open_candidates < kMinOpenLines) return std::nullopt;
  int prose = 0;
  int open = 0;
  int over = 0;
  int indented = 0;
  Wrap wrap;
  bool first = true;
  for (Line& line : lines) {
    if (line.text.empty()) continue;
    line.columns = CountCharacters(line.raw);
    if (first) {
      first = false;
      continue;
    }
    if (line.columns > kMaxWrapColumns) {
      ++over;
      continue;
    }
    if (line.columns >= kMinProseColumns) {
      ++prose;
      if (line.open) ++open;
      if (line.indent > 0) ++indented;
    }
    wrap.width = std::max(wrap.width, line.columns);
  }
  if (prose < kMinProseLines || over * 10 > prose || open < kMinOpenLines ||
      open < kMinOpenShare * prose) {
    return std::nullopt;
  }
  wrap.indented_paragraphs = indented > 0 && indented < prose;
  return wrap;
}

// True when `raw` (a line as sent) sets out columns: a gap of three spaces
// or a tab after its indentation.
bool IsTableRow(absl::string_view raw) {
  const size_t start = raw.find_first_not_of(" \t");
  if (start == absl::string_view::npos) return false;
  raw.remove_prefix(start);
  return absl::StrContains(raw, kColumnGap) || absl::StrContains(raw, '\t');
}

// True when a line is a unit of its own that a wrapped line never continues
// or is continued by: a list item, a date line, a byline, a heading or tail
// that line_rules.h recognizes, or a row of a table.
bool StandsAlone(const Line& line, const DateOptions& date_options) {
  if (IsTableRow(line.raw) || StripBullet(line.text) || IsKeyPointsHeading(line.text) ||
      ParseByline(line.text) || IsReadingTime(line.text) || IsShareTail(line.text) ||
      IsRelatedLinks(line.text)) {
    return true;
  }
  const std::optional<DateMatch> date = FindDate(line.text, date_options);
  return date && (date->rest.empty() || date->labeled);
}

// True when `next` continues the paragraph whose last line is `previous`
// in hard-wrapped text: `previous` is nearly full and ends no caption, and
// `next` is indented no deeper (not at all when indentation opens
// paragraphs) and opens no dateline.
bool Continues(const Line& previous, const Line& next, const Wrap& wrap,
               const DateOptions& date_options) {
  const bool indented = wrap.indented_paragraphs ? next.indent > 0
                                                 : next.indent > previous.indent;
  return previous.columns >= kMinFullShare * wrap.width && !indented &&
         FindCreditStart(previous.text) == absl::string_view::npos &&
         !ParseDateline(next.text) && !StandsAlone(next, date_options);
}

}  // namespace

ParsedArticle TextParser::Parse(absl::string_view utf8_text,
                                const DateOptions& date_options) const {
  std::vector<Line> lines;
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(utf8_text, '\n')) {
    lines.push_back(ReadLine(raw, ++line_number));
  }
  const std::optional<Wrap> wrap = WrapOf(&lines);

  std::vector<Block> blocks;
  // In hard-wrapped text, the line the next one may continue (the last of
  // the last block), unless a blank line or a unit of its own came between.
  const Line* open = nullptr;
  bool title_seen = false;
  for (Line& line : lines) {
    if (line.text.empty()) {
      open = nullptr;
      continue;
    }
    if (open != nullptr && Continues(*open, line, *wrap, date_options)) {
      absl::StrAppend(&blocks.back().text, " ", line.text);
      open = &line;
      continue;
    }
    open = nullptr;
    // The title (the first line that is not a date line and opens no
    // dateline) is never continued.
    if (wrap && !StandsAlone(line, date_options)) {
      if (title_seen || ParseDateline(line.text)) open = &line;
      title_seen = true;
    }
    // An open line's text is still needed to judge the next one.
    blocks.push_back({open != nullptr ? line.text : std::move(line.text), false,
                      line.number});
  }
  ParsedArticle article;
  CleanerOptions options;
  options.date_options = date_options;
  CleanParagraphs(std::move(blocks), options, &article);
  return article;
}

}  // namespace newsdesk::ingest
