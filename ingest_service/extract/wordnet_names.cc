#include "ingest_service/extract/wordnet_names.h"

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/entities/name_key.h"

namespace newsdesk::ingest {
namespace {

// The synsets whose descendants are named: person.n.01, location.n.01 and
// organization.n.01 in WordNet 3.0.
constexpr struct {
  uint32_t offset;
  WordNetNames::Kind kind;
} kRoots[] = {{7846, WordNetNames::kPerson},
              {27167, WordNetNames::kLocation},
              {8008335, WordNetNames::kOrganization}};

struct Synset {
  std::vector<uint32_t> hypernyms;  // "@" and "@i" targets
  bool instance = false;            // has an "@i" pointer
  std::vector<std::string> names;   // capitalised lemmas, spaces for '_'
};

// The Kind bits of the roots that `offset` is, or descends from.
uint8_t RootsOf(uint32_t offset, const absl::flat_hash_map<uint32_t, Synset>& synsets,
                absl::flat_hash_map<uint32_t, uint8_t>* memo, int depth = 0) {
  if (auto it = memo->find(offset); it != memo->end()) return it->second;
  uint8_t kinds = 0;
  for (const auto& root : kRoots) {
    if (root.offset == offset) kinds |= root.kind;
  }
  auto it = synsets.find(offset);
  if (it != synsets.end() && depth < 40) {  // WordNet has no cycles; guard anyway
    for (uint32_t up : it->second.hypernyms) kinds |= RootsOf(up, synsets, memo, depth + 1);
  }
  (*memo)[offset] = kinds;
  return kinds;
}

// The synsets of a data.noun or data.adj file, by offset.
absl::flat_hash_map<uint32_t, Synset> ParseSynsets(absl::string_view data) {
  absl::flat_hash_map<uint32_t, Synset> synsets;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    // "offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... | gloss";
    // the licence at the top starts with spaces.
    if (line.empty() || line[0] == ' ') continue;
    line = line.substr(0, line.find(" | "));
    const std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    uint32_t offset = 0, words = 0, pointers = 0;
    if (f.size() < 4 || !absl::SimpleAtoi(f[0], &offset) ||
        !absl::SimpleHexAtoi(f[3], &words)) {
      continue;
    }
    const size_t pointer_count_at = 4 + 2 * static_cast<size_t>(words);
    if (pointer_count_at >= f.size() || !absl::SimpleAtoi(f[pointer_count_at], &pointers) ||
        pointer_count_at + 1 + 4 * static_cast<size_t>(pointers) > f.size()) {
      continue;
    }
    Synset synset;
    for (uint32_t w = 0; w < words; ++w) {
      // Adjectives may carry a position marker: "Reformed(a)".
      const absl::string_view lemma = f[4 + 2 * w].substr(0, f[4 + 2 * w].find('('));
      if (!lemma.empty() && lemma[0] >= 'A' && lemma[0] <= 'Z') {
        synset.names.push_back(absl::StrReplaceAll(lemma, {{"_", " "}}));
      }
    }
    for (uint32_t p = 0; p < pointers; ++p) {
      const size_t at = pointer_count_at + 1 + 4 * p;
      const absl::string_view symbol = f[at];
      uint32_t target = 0;
      if ((symbol == "@" || symbol == "@i") && f[at + 2] == "n" &&
          absl::SimpleAtoi(f[at + 1], &target)) {
        synset.hypernyms.push_back(target);
        synset.instance = synset.instance || symbol == "@i";
      }
    }
    synsets.emplace(offset, std::move(synset));
  }
  return synsets;
}

}  // namespace

WordNetNames WordNetNames::Load(const std::string& dir) {
  if (dir.empty()) return {};
  std::ifstream nouns(dir + "/data.noun");
  if (!nouns) return {};
  std::stringstream noun_text, adjective_text;
  noun_text << nouns.rdbuf();
  if (std::ifstream adjectives(dir + "/data.adj"); adjectives) {
    adjective_text << adjectives.rdbuf();
  }
  return Parse(noun_text.str(), adjective_text.str());
}

WordNetNames WordNetNames::Parse(absl::string_view data_noun, absl::string_view data_adj) {
  const absl::flat_hash_map<uint32_t, Synset> synsets = ParseSynsets(data_noun);
  WordNetNames out;
  absl::flat_hash_map<uint32_t, uint8_t> memo;
  for (const auto& [offset, synset] : synsets) {
    if (synset.names.empty()) continue;
    uint8_t kinds = 0;
    for (uint32_t up : synset.hypernyms) kinds |= RootsOf(up, synsets, &memo);
    if (!synset.instance) {
      // A kind: an organisation's name, or a description of people.
      kinds = (kinds & kOrganization) ? kOrganization
              : (kinds & kPerson)     ? kDescription
                                      : 0;
    }
    if (kinds == 0) continue;
    for (const std::string& name : synset.names) {
      out.kinds_[entities::NameKey(name)] |= kinds;
    }
  }
  for (const auto& [offset, synset] : ParseSynsets(data_adj)) {
    for (const std::string& name : synset.names) {
      out.kinds_[entities::NameKey(name)] |= kDescription;
    }
  }
  return out;
}

}  // namespace newsdesk::ingest
