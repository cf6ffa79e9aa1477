// newsdesk-parse-eval: measures the text parser on the TEST split of
// Reuters-21578 (ModApte, LEWISSPLIT="TEST", all of it). Each story is given
// to the parser as the plain text a wire sends: its DATE stamp line, the
// title line, then the dateline and the body. It prints the share of titles
// that match the TITLE element exactly (whitespace collapsed; a wire label
// such as "CORRECTED -" that the parser moved to title_labels counts as
// kept) and the share of publication days that match the DATE element's day.
//
// The corpus is research-only: it is read in place and nothing from it is
// kept. Without the corpus folder the program says so and exits 0.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "eval/reuters_sgml.h"
#include "ingest_service/parse/article_parser.h"
#include "ingest_service/parse/paragraph_cleaner.h"

ABSL_FLAG(std::string, corpus, "../shared/corpora/reuters21578",
          "the Reuters-21578 folder (holding original/reut2-*.sgm or reut2-*.sgm)");
ABSL_FLAG(int, show_failures, 0, "print up to this many mismatches of each kind");

namespace newsdesk::eval {
namespace {

namespace fs = std::filesystem;

// The day of a DATE element, "26-FEB-1987 15:01:01.79", read on its own
// terms (not with the parser under test).
std::optional<absl::CivilDay> GoldDay(absl::string_view date) {
  constexpr absl::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                           "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  const std::vector<absl::string_view> parts =
      absl::StrSplit(date.substr(0, date.find(' ')), '-');
  int day = 0;
  int year = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &day) ||
      !absl::SimpleAtoi(parts[2], &year)) {
    return std::nullopt;
  }
  for (int m = 0; m < 12; ++m) {
    if (absl::EqualsIgnoreCase(parts[1], kMonths[m])) {
      return absl::CivilDay(year, m + 1, day);
    }
  }
  return std::nullopt;
}

// The SGML wraps some long titles over two lines; a wire sends the title as
// one line.
std::string WireText(const ReutersStory& story) {
  if (story.title.empty()) return absl::StrCat(story.date, "\n", story.body);
  return absl::StrCat(story.date, "\n", ingest::NormalizeSpace(story.title), "\n",
                      story.dateline, story.body);
}

// True when `title` and the wire labels the parser removed from it ("UPDATE
// 2", "CORRECTED") make up `gold`, whatever separators stood between them.
bool MatchesWithLabels(absl::string_view gold, const ingest::ParsedArticle& article) {
  if (article.title_labels.empty() || !absl::EndsWith(gold, article.title)) return false;
  std::string prefix;
  for (char c : gold.substr(0, gold.size() - article.title.size())) {
    if (c != ' ' && c != '-' && c != ':') prefix.push_back(c);
  }
  std::string labels;
  for (const std::string& label : article.title_labels) {
    for (char c : label) {
      if (c != ' ') labels.push_back(c);
    }
  }
  return prefix == labels;
}

int Run() {
  const fs::path corpus = absl::GetFlag(FLAGS_corpus);
  const std::vector<fs::path> files = ReutersSgmlFiles(corpus);
  if (files.empty()) {
    std::cout << "Reuters-21578 not found at " << corpus
              << " (no reut2-*.sgm): evaluation skipped.\n";
    return 0;
  }
  const int show = absl::GetFlag(FLAGS_show_failures);
  const ingest::ArticleParser parser;
  int stories = 0, titled = 0, titles_right = 0, dated = 0, days_right = 0;
  int title_failures = 0, date_failures = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    for (const ReutersStory& story : ReadReutersSgml(content.str())) {
      if (story.lewis_split != "TEST") continue;
      ++stories;
      RawArticle raw;
      raw.content = WireText(story);
      raw.content_type = ContentType::kText;
      const ingest::ParsedArticle article = parser.Parse(raw);
      if (const std::string gold = ingest::NormalizeSpace(story.title); !gold.empty()) {
        ++titled;
        if (article.title == gold || MatchesWithLabels(gold, article)) {
          ++titles_right;
        } else if (title_failures++ < show) {
          std::cout << "title " << story.new_id << ": want \"" << gold << "\" got \""
                    << article.title << "\"\n";
        }
      }
      if (const std::optional<absl::CivilDay> gold = GoldDay(story.date)) {
        ++dated;
        const bool right =
            article.publish_time.known() &&
            absl::ToCivilDay(article.publish_time.time, absl::UTCTimeZone()) == *gold;
        if (right) {
          ++days_right;
        } else if (date_failures++ < show) {
          std::cout << "date " << story.new_id << ": want " << *gold << " from \""
                    << story.date << "\" got \"" << article.publish_time.evidence << "\"\n";
        }
      }
    }
  }
  auto percent = [](int part, int whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; };
  absl::PrintF("Reuters-21578 TEST split (LEWISSPLIT=\"TEST\"): %d stories from %d files\n",
               stories, files.size());
  absl::PrintF("title exact match:          %d / %d = %.2f%%\n", titles_right, titled,
               percent(titles_right, titled));
  absl::PrintF("publication day exact match: %d / %d = %.2f%%\n", days_right, dated,
               percent(days_right, dated));
  return 0;
}

}  // namespace
}  // namespace newsdesk::eval

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::eval::Run();
}
