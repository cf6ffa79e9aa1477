#include "bench/scale_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "eval/reuters_sgml.h"

namespace newsdesk::bench {
namespace {

namespace fs = std::filesystem;

// splitmix64: a small, good, deterministic mixer.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Next(uint64_t& state) { return state = Mix(state); }

template <typename T>
const T& Pick(const std::vector<T>& v, uint64_t& state) {
  return v[Next(state) % v.size()];
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Paragraphs of a text: blank-line separated blocks, inner line breaks joined.
std::vector<std::string> Paragraphs(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view block : absl::StrSplit(text, "\n\n")) {
    std::string joined = absl::StrJoin(
        absl::StrSplit(absl::StripAsciiWhitespace(block), '\n', absl::SkipWhitespace()), " ");
    if (!joined.empty()) out.push_back(std::move(joined));
  }
  return out;
}

// Reuters bodies break paragraphs with an indented line rather than a blank
// one, and end with " Reuter".
std::vector<std::string> ReutersParagraphs(std::string body) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(body);
  absl::ConsumeSuffix(&trimmed, "Reuter");
  std::string text(trimmed);
  std::string spaced;
  spaced.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == ' ') {
      spaced += "\n\n";
    } else {
      spaced += text[i];
    }
  }
  return Paragraphs(spaced);
}

// One field of a CSV line in AG News' quoting: "..." with "" for a quote.
std::vector<std::string> CsvFields(absl::string_view line) {
  std::vector<std::string> fields;
  size_t i = 0;
  while (i < line.size()) {
    std::string field;
    if (line[i] == '"') {
      ++i;
      while (i < line.size()) {
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          i += 2;
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          field += line[i++];
        }
      }
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
    }
    fields.push_back(std::move(field));
    if (i < line.size() && line[i] == ',') ++i;
  }
  return fields;
}

constexpr const char* kOutlets[] = {"Northern Ledger", "Harbor Times",     "Daily Meridian",
                                    "Wire Central",    "Capital Dispatch", "Coastal Gazette",
                                    "Evening Courier", "Summit Post"};

constexpr const char* kVerbs[] = {"said",     "warned",   "announced", "confirmed",
                                  "denied",   "reported", "argued",    "insisted"};

constexpr const char* kFillers[] = {
    "the talks would resume next week",
    "the decision had been expected for months",
    "officials declined to give further details",
    "the figures were higher than analysts had forecast",
    "the plan still needed the approval of parliament",
    "a final agreement was unlikely before the end of the year",
    "the measures would take effect immediately",
    "several questions remained open after the meeting",
};

}  // namespace

absl::StatusOr<ScaleCorpus> ScaleCorpus::Load(const std::string& corpora_dir,
                                              const std::string& data_dir) {
  ScaleCorpus corpus;
  // Names and topic terms from the project's own data: the generator's
  // vocabulary and the closing paragraph of replayed stories.
  std::ifstream entities(data_dir + "/entities/entities.tsv");
  if (!entities) {
    return absl::NotFoundError(absl::StrCat("cannot read ", data_dir, "/entities/entities.tsv"));
  }
  for (std::string line; std::getline(entities, line);) {
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "id\t")) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3) continue;
    if (cols[1] == "person") corpus.names_.people.push_back(cols[2]);
    if (cols[1] == "org") corpus.names_.orgs.push_back(cols[2]);
    if (cols[1] == "location") corpus.names_.places.push_back(cols[2]);
  }
  std::ifstream terms(data_dir + "/topics/topic_terms.tsv");
  for (std::string line; std::getline(terms, line);) {
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "qcode\t")) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3) continue;
    std::vector<std::string> row_terms = absl::StrSplit(cols[2], '|', absl::SkipEmpty());
    // Rows of hints only (roles, entity ids) have no terms.
    if (!row_terms.empty()) corpus.topic_terms_.push_back(std::move(row_terms));
  }
  if (corpus.names_.people.empty() || corpus.names_.orgs.empty() ||
      corpus.names_.places.empty() || corpus.topic_terms_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no entity names or topic terms under ", data_dir));
  }

  int reuters = 0, bbc = 0, ag = 0;
  std::error_code ec;
  if (!corpora_dir.empty() && fs::is_directory(corpora_dir, ec)) {
    for (const fs::path& f :
         eval::ReutersSgmlFiles(fs::path(corpora_dir) / "reuters21578")) {
      for (auto& story : eval::ReadReutersSgml(ReadFile(f))) {
        if (story.title.empty() || story.body.size() < 200) continue;
        corpus.stories_.push_back({story.title, ReutersParagraphs(std::move(story.body))});
        ++reuters;
      }
    }
    const fs::path bbc_dir = fs::path(corpora_dir) / "bbc_news" / "original" / "bbc";
    if (fs::is_directory(bbc_dir, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(bbc_dir)) {
        if (e.path().extension() == ".txt") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        const std::string text = ReadFile(f);
        const size_t eol = text.find('\n');
        if (eol == std::string::npos) continue;
        corpus.stories_.push_back({std::string(absl::StripAsciiWhitespace(text.substr(0, eol))),
                                   Paragraphs(text.substr(eol + 1))});
        ++bbc;
      }
    }
    std::ifstream ag_file(fs::path(corpora_dir) / "ag_news" / "original" / "test.csv");
    for (std::string line; std::getline(ag_file, line);) {
      std::vector<std::string> fields = CsvFields(line);
      if (fields.size() < 3) continue;
      std::string description = absl::StrReplaceAll(fields[2], {{"\\", " "}});
      corpus.stories_.push_back({fields[1], {description}});
      ++ag;
    }
  }
  corpus.stories_.erase(std::remove_if(corpus.stories_.begin(), corpus.stories_.end(),
                                       [](const Story& s) { return s.paragraphs.empty(); }),
                        corpus.stories_.end());
  if (corpus.stories_.empty()) {
    corpus.description_ = "generated from data/entities and data/topics";
  } else {
    corpus.description_ =
        absl::StrCat("real stories replayed: ", corpus.stories_.size(), " (Reuters-21578 ",
                     reuters, ", BBC News ", bbc, ", AG News ", ag, ") from ", corpora_dir);
  }
  return corpus;
}

std::string ScaleCorpus::Sentence(uint64_t& state) const {
  const std::string& person = Pick(names_.people, state);
  const std::string& org = Pick(names_.orgs, state);
  const std::string& place = Pick(names_.places, state);
  const auto& topic = Pick(topic_terms_, state);
  const std::string& term = Pick(topic, state);
  const char* verb = kVerbs[Next(state) % std::size(kVerbs)];
  const char* filler = kFillers[Next(state) % std::size(kFillers)];
  switch (Next(state) % 6) {
    case 0:
      return absl::StrCat(person, " ", verb, " in ", place, " that ", filler, ".");
    case 1:
      return absl::StrCat("Officials at ", org, " ", verb, " the ", term,
                          " would be discussed again, and ", filler, ".");
    case 2:
      return absl::StrCat("Speaking in ", place, ", ", person, " ", verb,
                          " that the question of ", term, " was now urgent.");
    case 3:
      return absl::StrCat(org, " ", verb, " on Tuesday that ", filler, ", ",
                          "according to people familiar with the matter.");
    case 4:
      return absl::StrCat("The ", term, " has divided opinion in ", place,
                          " for years, and ", person, " has made it a priority.");
    default:
      return absl::StrCat("A spokesperson for ", org, " ", verb, " that ", filler,
                          " and that the ", term, " would continue.");
  }
}

ScaleCorpus::Story ScaleCorpus::Generate(uint64_t seed) const {
  uint64_t state = seed;
  Story story;
  const auto& topic = Pick(topic_terms_, state);
  story.title = absl::StrCat(Pick(names_.people, state), " and ", Pick(names_.orgs, state),
                             " at odds over ", Pick(topic, state), " in ",
                             Pick(names_.places, state));
  const int paragraphs = 3 + static_cast<int>(Next(state) % 10);
  for (int p = 0; p < paragraphs; ++p) {
    std::vector<std::string> sentences;
    const int count = 2 + static_cast<int>(Next(state) % 3);
    for (int s = 0; s < count; ++s) sentences.push_back(Sentence(state));
    story.paragraphs.push_back(absl::StrJoin(sentences, " "));
  }
  return story;
}

RawItem ScaleCorpus::Article(int64_t n) const {
  uint64_t state = Mix(static_cast<uint64_t>(n) * 2654435761ULL + 1);
  Story story;
  if (stories_.empty()) {
    story = Generate(state);
  } else {
    story = stories_[n % stories_.size()];
    if (n >= static_cast<int64_t>(stories_.size())) {
      // Replays differ: the paragraphs after the first in another order, and
      // a closing paragraph naming other people, organisations and places.
      uint64_t shuffle = state;
      for (size_t i = story.paragraphs.size(); i > 2; --i) {
        std::swap(story.paragraphs[i - 1], story.paragraphs[1 + Next(shuffle) % (i - 1)]);
      }
      story.paragraphs.push_back(absl::StrCat(Sentence(state), " ", Sentence(state)));
    }
  }
  // Published at some minute of 2019-2024 (2,192 days).
  const absl::CivilMinute when = absl::CivilMinute(2019, 1, 1) +
                                 static_cast<int64_t>(Next(state) % (2192 * 24 * 60));
  RawItem item;
  item.source = kOutlets[Next(state) % std::size(kOutlets)];
  item.content = absl::StrCat(story.title, "\n\n",
                              absl::FormatTime("%Y-%m-%dT%H:%M:00Z",
                                               absl::FromCivil(when, absl::UTCTimeZone()),
                                               absl::UTCTimeZone()),
                              "\n\n", absl::StrJoin(story.paragraphs, "\n\n"), "\n");
  return item;
}

}  // namespace newsdesk::bench
