#include "eval/conll.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace newsdesk::eval {

absl::StatusOr<std::vector<ConllDocument>> ParseConll(absl::string_view text) {
  std::vector<ConllDocument> documents;
  ConllSentence sentence;
  auto end_sentence = [&]() {
    if (sentence.tokens.empty()) return;
    if (documents.empty()) documents.emplace_back();
    documents.back().sentences.push_back(std::move(sentence));
    sentence = ConllSentence();
  };
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) {
      end_sentence();
      continue;
    }
    std::vector<absl::string_view> cols = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (cols.size() < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_number, ": want \"token ... tag\", got \"", line, "\""));
    }
    if (cols[0] == "-DOCSTART-") {
      end_sentence();
      documents.emplace_back();
      continue;
    }
    sentence.tokens.emplace_back(cols.front());
    sentence.tags.emplace_back(cols.back());
  }
  end_sentence();
  documents.erase(std::remove_if(documents.begin(), documents.end(),
                                 [](const ConllDocument& d) { return d.sentences.empty(); }),
                  documents.end());
  return documents;
}

absl::StatusOr<std::vector<ConllDocument>> ReadConll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseConll(buffer.str());
}

std::vector<Span> SpansFromTags(const std::vector<std::string>& tags, int sentence) {
  std::vector<Span> spans;
  std::string open;  // type of the open chunk, empty when none
  for (int i = 0; i <= static_cast<int>(tags.size()); ++i) {
    const absl::string_view tag = i < static_cast<int>(tags.size()) ? tags[i] : "O";
    const bool inside = tag.size() > 2 && tag[1] == '-';
    const std::string type = inside ? std::string(tag.substr(2)) : "";
    const bool begins = inside && (tag[0] == 'B' || type != open);
    if (!open.empty() && (!inside || begins)) {
      open.clear();
    }
    if (begins) {
      spans.push_back(Span{sentence, i, i + 1, type});
      open = type;
    } else if (inside) {
      spans.back().end = i + 1;
    }
  }
  return spans;
}

void AddScores(const std::vector<Span>& gold, const std::vector<Span>& predicted,
               const std::vector<std::string>& types, std::map<std::string, Score>* scores) {
  auto counted = [&](const std::string& type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  std::vector<Span> g, p;
  for (const Span& s : gold) {
    if (!counted(s.type)) continue;
    g.push_back(s);
    ++(*scores)[s.type].gold;
    ++(*scores)["ALL"].gold;
  }
  for (const Span& s : predicted) {
    if (!counted(s.type)) continue;
    p.push_back(s);
    ++(*scores)[s.type].predicted;
    ++(*scores)["ALL"].predicted;
  }
  std::sort(g.begin(), g.end());
  std::sort(p.begin(), p.end());
  std::vector<Span> both;
  std::set_intersection(g.begin(), g.end(), p.begin(), p.end(), std::back_inserter(both));
  for (const Span& s : both) {
    ++(*scores)[s.type].correct;
    ++(*scores)["ALL"].correct;
  }
}

std::string FormatScores(const std::map<std::string, Score>& scores,
                         const std::vector<std::string>& types) {
  std::string out = absl::StrFormat("%-5s %7s %9s %9s %7s %7s\n", "type", "gold",
                                    "predicted", "precision", "recall", "F1");
  std::vector<std::string> rows = types;
  rows.push_back("ALL");
  for (const std::string& type : rows) {
    auto it = scores.find(type);
    const Score s = it == scores.end() ? Score() : it->second;
    absl::StrAppendFormat(&out, "%-5s %7d %9d %9.2f %7.2f %7.2f\n", type, s.gold,
                          s.predicted, s.precision(), s.recall(), s.f1());
  }
  return out;
}

}  // namespace newsdesk::eval
