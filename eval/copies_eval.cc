// newsdesk-copies-eval: measures near-duplicate detection (the query
// service's NearDuplicateDetector) on Reuters-21578. Every story of the
// corpus is parsed as a wire sends it (as newsdesk-parse-eval does); then
// for every fourth story of at least --min_words body words the program
// makes one edited copy, cycling through five edits:
//   headline    another headline, same body
//   trimmed     the last third of the paragraphs dropped (a single
//               paragraph: its last third of words)
//   reordered   the paragraphs rotated by one (a single paragraph: its two
//               halves swapped)
//   boilerplate a photo caption before the body and another outlet's
//               copyright and newsletter lines after it
//   combined    another headline, the last paragraph dropped and the
//               outlet's lines added
// Each copy is written as plain text (headline, blank line, paragraphs) and
// parsed again, then inserted into the stream of unchanged stories at a
// pseudo-random later place (fixed seed). The detector sees the whole
// stream in order. A link is right when both articles come from the same
// story. The corpus holds reissues of its own (a report sent again with
// small corrections, or repeated the next morning): stories sent within 72
// hours of each other whose titles share at least 60% of their words, or
// whose parsed bodies are identical, count as one story, a judgement that
// never looks at the bodies' words or figures. Precision is
// right links over all links (the unchanged stories' included); recall is
// the share of edited copies linked to their story.
//
// The corpus is research-only: it is read in place and nothing derived from
// it is written. Without the corpus folder the program says so and exits 0.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "eval/reuters_sgml.h"
#include "ingest_service/parse/article_parser.h"
#include "ingest_service/parse/paragraph_cleaner.h"
#include "query_service/index/article_index.h"
#include "query_service/stories/near_duplicates.h"

ABSL_FLAG(std::string, corpus, "../shared/corpora/reuters21578",
          "the Reuters-21578 folder (holding original/reut2-*.sgm or reut2-*.sgm)");
ABSL_FLAG(int, min_words, 40, "least body words of a story that gets an edited copy");
ABSL_FLAG(int, every, 4, "one edited copy for every this many eligible stories");
ABSL_FLAG(int, show_errors, 0, "print up to this many wrong and missed links");
ABSL_FLAG(double, min_similarity, newsdesk::query::NearDuplicateOptions().min_similarity,
          "least containment for a link (the detector's default)");
ABSL_FLAG(
    int, reissue_hours, 72,
    "the judge: stories with titles sharing 60% of their words sent within this many "
    "hours of each other are one story (a reissue)");
ABSL_FLAG(
    double, max_figure_disagreement,
    newsdesk::query::NearDuplicateOptions().max_figure_disagreement,
    "largest share of differing figures in shared contexts for a link (the detector's "
    "default; above 1: figures ignored)");
ABSL_FLAG(int, min_shingles, newsdesk::query::NearDuplicateOptions().min_shingles,
          "fewest shingles of a body that can be linked (the detector's default)");
ABSL_FLAG(int, cache_mib,
          static_cast<int>(newsdesk::query::NearDuplicateOptions().print_cache_bytes >> 20),
          "MiB of copy-prints the detector keeps (the detector's default); the links are "
          "the same with any value, only the reads of earlier articles change");

namespace newsdesk::eval {
namespace {

namespace fs = std::filesystem;
using ::newsdesk::query::CopyMatch;
using ::newsdesk::query::NearDuplicateDetector;
using ::newsdesk::query::NearDuplicateOptions;

constexpr const char* kEdits[] = {"headline", "trimmed", "reordered", "boilerplate", "combined"};
constexpr int kEditCount = 5;

std::string WireText(const ReutersStory& story) {
  if (story.title.empty()) return absl::StrCat(story.date, "\n", story.body);
  return absl::StrCat(story.date, "\n", ingest::NormalizeSpace(story.title), "\n",
                      story.dateline, story.body);
}

int WordCount(const std::vector<std::string>& paragraphs) {
  int words = 0;
  for (const std::string& p : paragraphs) {
    const std::vector<absl::string_view> split = absl::StrSplit(p, ' ', absl::SkipWhitespace());
    words += static_cast<int>(split.size());
  }
  return words;
}

std::string FirstWords(const std::string& text, double share, bool tail) {
  std::vector<std::string> words = absl::StrSplit(text, ' ', absl::SkipWhitespace());
  const size_t cut = static_cast<size_t>(words.size() * share);
  if (tail) return absl::StrJoin(words.begin() + cut, words.end(), " ");
  return absl::StrJoin(words.begin(), words.begin() + cut, " ");
}

// The edited copy's text, as an outlet would publish it.
std::string EditedText(const ReutersStory& story, const std::vector<std::string>& paragraphs,
                       int edit) {
  std::string title = ingest::NormalizeSpace(story.title);
  std::vector<std::string> body = paragraphs;
  const std::string caption =
      "Photo: Traders work on the floor of the exchange on Tuesday. (Staff photographer)";
  const std::vector<std::string> footer = {
      "Copyright 2024 The Evening Ledger. All rights reserved. This material may not be "
      "published, broadcast, rewritten or redistributed.",
      "Sign up for our morning briefing to get the day's top business stories in your inbox."};
  switch (edit) {
    case 0:  // headline
      title = "Business briefing: the news you need to know this morning";
      break;
    case 1:  // trimmed
      if (body.size() == 1) {
        body[0] = FirstWords(body[0], 2.0 / 3.0, false);
      } else {
        body.resize(body.size() - std::max<size_t>(1, body.size() / 3));
      }
      break;
    case 2:  // reordered
      if (body.size() == 1) {
        body = {FirstWords(body[0], 0.5, true), FirstWords(body[0], 0.5, false)};
      } else {
        std::rotate(body.begin(), body.begin() + 1, body.end());
      }
      break;
    case 3:  // boilerplate
      body.insert(body.begin(), caption);
      body.insert(body.end(), footer.begin(), footer.end());
      break;
    default:  // combined
      title = "Markets and companies: what happened overnight";
      if (body.size() > 1) body.pop_back();
      body.insert(body.end(), footer.begin(), footer.end());
      break;
  }
  return absl::StrCat(title, "\n\n", absl::StrJoin(body, "\n\n"), "\n");
}

// Minutes since 1 January 1987 of a DATE field ("26-FEB-1987 15:01:01.79");
// nothing when it does not read so.
std::optional<int64_t> DateMinute(const std::string& date) {
  static constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  int day = 0, year = 0, hour = 0, minute = 0;
  char month[4] = {};
  if (std::sscanf(date.c_str(), "%d-%3s-%d %d:%d", &day, month, &year, &hour, &minute) !=
      5) {
    return std::nullopt;
  }
  for (int m = 0; m < 12; ++m) {
    if (absl::EqualsIgnoreCase(month, kMonths[m])) {
      const absl::CivilMinute t(year, m + 1, day, hour, minute);
      return (t - absl::CivilMinute(1987, 1, 1, 0, 0));
    }
  }
  return std::nullopt;
}

// The article's publication day as parsed, for the error listing.
std::string PublishedDay(const Article& a) {
  if (!a.publish_time.known()) return "(no date)";
  return absl::FormatTime("%Y-%m-%d %H:%M", a.publish_time.time, absl::UTCTimeZone());
}

struct Item {
  Article article;
  int family = 0;
  int edit = -1;  // -1: an unchanged story
};

int Run() {
  const fs::path corpus = absl::GetFlag(FLAGS_corpus);
  const std::vector<fs::path> files = ReutersSgmlFiles(corpus);
  if (files.empty()) {
    std::cout << "Reuters-21578 not found at " << corpus
              << " (no reut2-*.sgm): evaluation skipped.\n";
    return 0;
  }
  const ingest::ArticleParser parser;
  auto parse = [&parser](const std::string& text, const std::string& id) {
    RawArticle raw;
    raw.content = text;
    raw.content_type = ContentType::kText;
    ingest::ParsedArticle parsed = parser.Parse(raw);
    Article a;
    a.id = id;
    a.title = parsed.title;
    a.publish_time = parsed.publish_time;
    a.standfirst = parsed.standfirst;
    a.paragraphs = std::move(parsed.paragraphs);
    return a;
  };

  // The unchanged stories. The corpus itself holds reissued stories (the
  // same report sent again with small corrections); they are one family,
  // judged without looking at the bodies' words: titles sharing at least
  // 60% of their words (Jaccard) sent within --reissue_hours, or identical
  // parsed bodies (one article by content id).
  std::vector<Item> stream;
  std::vector<ReutersStory> stories;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    for (ReutersStory& story : ReadReutersSgml(content.str())) {
      Item item;
      item.article = parse(WireText(story), absl::StrCat("r", story.new_id));
      if (item.article.paragraphs.empty()) continue;
      stream.push_back(std::move(item));
      stories.push_back(std::move(story));
    }
  }
  std::vector<int> parent(stream.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
  std::function<int(int)> find = [&](int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); };
  auto unite = [&](int a, int b) { parent[find(a)] = find(b); };
  std::map<std::string, int> first_with_body;
  for (size_t i = 0; i < stream.size(); ++i) {
    const std::string body = absl::StrJoin(stream[i].article.paragraphs, "\n");
    auto [it, inserted] = first_with_body.emplace(body, static_cast<int>(i));
    if (!inserted) unite(static_cast<int>(i), it->second);
  }
  auto title_words = [&](int i) {
    std::vector<std::string> words = query::ArticleIndex::Tokenize(stories[i].title);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
  };
  // Reissues: titles sharing at least 60% of their words, sent within
  // --reissue_hours of each other (by the DATE field).
  std::vector<std::pair<int64_t, int>> by_time;  // (minute of DATE, story)
  for (size_t i = 0; i < stream.size(); ++i) {
    if (std::optional<int64_t> minute = DateMinute(stories[i].date)) {
      by_time.emplace_back(*minute, static_cast<int>(i));
    }
  }
  std::sort(by_time.begin(), by_time.end());
  std::vector<std::vector<std::string>> titles(stream.size());
  for (const auto& [minute, i] : by_time) titles[i] = title_words(i);
  const int64_t window = int64_t{60} * absl::GetFlag(FLAGS_reissue_hours);
  int reissues = 0;
  for (size_t a = 0; a < by_time.size(); ++a) {
    const int x = by_time[a].second;
    if (titles[x].empty()) continue;
    for (size_t b = a + 1;
         b < by_time.size() && by_time[b].first - by_time[a].first <= window; ++b) {
      const int y = by_time[b].second;
      if (titles[y].empty()) continue;
      std::vector<std::string> common;
      std::set_intersection(titles[x].begin(), titles[x].end(), titles[y].begin(),
                            titles[y].end(), std::back_inserter(common));
      const double jaccard = static_cast<double>(common.size()) /
                             (titles[x].size() + titles[y].size() - common.size());
      if (jaccard >= 0.6 && find(x) != find(y)) {
        unite(x, y);
        ++reissues;
      }
    }
  }
  std::map<int, int> families;
  for (size_t i = 0; i < stream.size(); ++i) {
    stream[i].family =
        families.emplace(find(static_cast<int>(i)), static_cast<int>(families.size()))
            .first->second;
  }
  const size_t unchanged = stream.size();

  // Edited copies, each placed after its story.
  uint64_t random = 20240501;
  auto next = [&random]() {
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    return random >> 33;
  };
  std::vector<std::pair<size_t, Item>> copies;  // (insert before this index, copy)
  int eligible = 0;
  int made[kEditCount] = {};
  for (size_t i = 0; i < unchanged; ++i) {
    if (WordCount(stream[i].article.paragraphs) < absl::GetFlag(FLAGS_min_words)) continue;
    if (eligible++ % absl::GetFlag(FLAGS_every) != 0) continue;
    const int edit = static_cast<int>(copies.size() % kEditCount);
    Item copy;
    std::vector<std::string> body = stream[i].article.paragraphs;
    if (!stream[i].article.standfirst.empty()) {
      body.insert(body.begin(), stream[i].article.standfirst);
    }
    copy.article = parse(EditedText(stories[i], body, edit),
                         absl::StrCat(stream[i].article.id, "-", kEdits[edit]));
    copy.family = stream[i].family;
    copy.edit = edit;
    ++made[edit];
    const size_t at = std::min(unchanged, i + 1 + next() % 2000);
    copies.emplace_back(at, std::move(copy));
  }
  std::stable_sort(copies.begin(), copies.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Item> mixed;
  mixed.reserve(unchanged + copies.size());
  size_t c = 0;
  for (size_t i = 0; i <= unchanged; ++i) {
    for (; c < copies.size() && copies[c].first == i; ++c) mixed.push_back(std::move(copies[c].second));
    if (i < unchanged) mixed.push_back(std::move(stream[i]));
  }

  // The detector over the stream. Recall counts the edited copies (whose
  // story always came before them); precision counts every link, the
  // unchanged stories' among them.
  NearDuplicateOptions options;
  options.min_similarity = absl::GetFlag(FLAGS_min_similarity);
  options.min_shingles = absl::GetFlag(FLAGS_min_shingles);
  options.max_figure_disagreement = absl::GetFlag(FLAGS_max_figure_disagreement);
  options.print_cache_bytes = int64_t{absl::GetFlag(FLAGS_cache_mib)} << 20;
  NearDuplicateDetector detector(options);
  int links = 0, right = 0, expected = 0, found = 0;
  int corpus_links = 0, corpus_right = 0;
  absl::flat_hash_map<int, int> followed;  // family -> family its story linked to
  int expected_by_edit[kEditCount] = {}, found_by_edit[kEditCount] = {};
  int shown = 0;
  const int show = absl::GetFlag(FLAGS_show_errors);
  for (size_t i = 0; i < mixed.size(); ++i) {
    const Item& item = mixed[i];
    // The detector numbers the articles in the order added: mixed's order.
    absl::StatusOr<std::optional<CopyMatch>> added = detector.Add(
        item.article, [&](uint32_t n) -> absl::StatusOr<const Article*> {
          return &mixed[n].article;
        });
    if (!added.ok()) {  // cannot happen: every article is in memory
      std::cerr << added.status() << "\n";
      return 1;
    }
    const std::optional<CopyMatch> match = *std::move(added);
    if (item.edit >= 0) {
      ++expected;
      ++expected_by_edit[item.edit];
    }
    if (!match) {
      if (item.edit >= 0 && shown++ < show) std::cout << "missed " << item.article.id << "\n";
      continue;
    }
    ++links;
    // An unchanged story's link joins its family to the target's for the
    // judgement of its edited copies: they link where it did (copy_of
    // names the first of the copies), and that link is judged once.
    const int target = mixed[match->original].family;
    if (item.edit < 0) followed[item.family] = target;
    auto it = followed.find(item.family);
    const bool ok = target == item.family ||
                    (item.edit >= 0 && it != followed.end() && it->second == target);
    if (item.edit < 0) {
      ++corpus_links;
      corpus_right += ok;
    }
    if (ok) {
      ++right;
      if (item.edit >= 0) {
        ++found;
        ++found_by_edit[item.edit];
      }
    } else if (shown++ < show) {
      const Article& original = mixed[match->original].article;
      std::cout << "wrong " << item.article.id << " -> " << original.id << " ("
                << match->similarity << ")\n  " << PublishedDay(item.article) << " "
                << item.article.title << "\n  " << PublishedDay(original) << " "
                << original.title << "\n";
      const NearDuplicateDetector::FigureComparison figures =
          NearDuplicateDetector::CompareFigures(detector.Figures(item.article),
                                                detector.Figures(original));
      std::cout << "  figures in shared contexts " << figures.shared << ", differing "
                << figures.differing << "\n";
    }
  }

  std::cout << absl::StrFormat(
      "Reuters-21578: %d stories with a body (%d with at least %d words), %d edited "
      "copies "
      "(%d headline, %d trimmed, %d reordered, %d boilerplate, %d combined); %d families "
      "(identical bodies, or reissues: %d joined by title within %d hours)\n",
      unchanged, eligible, absl::GetFlag(FLAGS_min_words), copies.size(), made[0],
      made[1], made[2], made[3], made[4], families.size(), reissues,
      absl::GetFlag(FLAGS_reissue_hours));
  std::cout << absl::StrFormat(
      "copy links: %d, right %d (between unchanged stories: %d, right %d); edited copies "
      "linked to their story: %d of %d\n",
      links, right, corpus_links, corpus_right, found, expected);
  std::cout << absl::StrFormat(
      "earlier articles read to confirm a candidate: %d (copy-print cache %d MiB)\n",
      detector.reads(), absl::GetFlag(FLAGS_cache_mib));
  std::cout << absl::StrFormat("precision %.4f\nrecall    %.4f\n",
                               links > 0 ? static_cast<double>(right) / links : 0.0,
                               expected > 0 ? static_cast<double>(found) / expected : 0.0);
  for (int e = 0; e < kEditCount; ++e) {
    std::cout << absl::StrFormat(
        "  recall %-11s %.4f (%d/%d)\n", kEdits[e],
        expected_by_edit[e] > 0 ? static_cast<double>(found_by_edit[e]) / expected_by_edit[e]
                                : 0.0,
        found_by_edit[e], expected_by_edit[e]);
  }
  return 0;
}

}  // namespace
}  // namespace newsdesk::eval

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return newsdesk::eval::Run();
}
